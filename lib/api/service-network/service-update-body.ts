/**
 * kube's dropTypeDependentFields, on the written body before it is validated: when an update
 * changes a Service's type, the values only the old type used (ClusterIPs and IP families when
 * it becomes ExternalName, node ports when it stops needing them) are dropped if the writer left
 * them as they were, so `kubectl apply` of a new type is not refused over values it never wrote.
 */

type Loose = Record<string, unknown>;

function isObject(value: unknown): value is Loose {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function needsNodePorts(spec: Loose): boolean {
  return (
    spec.type === 'NodePort' || (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false)
  );
}

/** The body with the old type's values dropped; the body itself when the type did not change. */
export function dropTypeDependentFields(body: Loose, current: Loose): Loose {
  const spec = isObject(body.spec) ? body.spec : undefined;
  const old = isObject(current.spec) ? current.spec : {};
  if (!spec) return body;
  const type = spec.type ?? 'ClusterIP';
  if (type === old.type) return body;
  const next: Loose = { ...spec };
  if (type === 'ExternalName') {
    for (const field of ['clusterIP', 'clusterIPs', 'ipFamilies', 'ipFamilyPolicy'])
      if (same(next[field], old[field])) delete next[field];
    if (next.clusterIP === undefined && same(next.clusterIPs, old.clusterIPs)) delete next.clusterIPs;
  }
  if (needsNodePorts(old) && !needsNodePorts({ ...next, type }) && Array.isArray(next.ports)) {
    const oldPorts = new Set(
      (Array.isArray(old.ports) ? old.ports : []).map((p) => (isObject(p) ? p.nodePort : undefined)),
    );
    next.ports = next.ports.map((port) => {
      if (!isObject(port) || !oldPorts.has(port.nodePort)) return port;
      const { nodePort: _dropped, ...rest } = port;
      return rest;
    });
  }
  if (
    old.type === 'LoadBalancer' &&
    type !== 'LoadBalancer' &&
    same(next.allocateLoadBalancerNodePorts, old.allocateLoadBalancerNodePorts)
  )
    delete next.allocateLoadBalancerNodePorts;
  if (
    (type === 'ClusterIP' || type === 'ExternalName') &&
    same(next.externalTrafficPolicy, old.externalTrafficPolicy) &&
    !(Array.isArray(next.externalIPs) && next.externalIPs.length > 0)
  )
    delete next.externalTrafficPolicy;
  if (type === 'ExternalName' && same(next.internalTrafficPolicy, old.internalTrafficPolicy))
    delete next.internalTrafficPolicy;
  return { ...body, spec: next };
}
