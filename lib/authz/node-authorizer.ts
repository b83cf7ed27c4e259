import type { Pod } from '../kinds/pod';
import { allow, type Decision, deny, noOpinion, type UserInfo } from './decision';
import { podReferences } from './pod-references';
import type { RequestAttributes, ResourceAttributes } from './request-attributes';

/** The group every node identity belongs to, and the prefix of a node's user name. */
export const NODES_GROUP = 'system:nodes';
export const NODE_USER_PREFIX = 'system:node:';
/** Where nodes keep their heartbeat Leases, one per node, named after it. */
export const NODE_LEASE_NAMESPACE = 'kube-node-lease';

/**
 * What the node authorizer reads: the pods bound to a node (`spec.nodeName`), the edges of kube's
 * node graph. An adapter over the store implements it (a list by the nodeName field selector).
 */
export interface NodeGraph {
  podsBoundTo(nodeName: string): Promise<readonly Pod[]>;
}

/** The node a user is, or undefined for any other identity (kube's NodeIdentifier). */
export function nodeNameOf(user: UserInfo): string | undefined {
  if (!user.name.startsWith(NODE_USER_PREFIX) || !user.groups.includes(NODES_GROUP)) return undefined;
  const name = user.name.slice(NODE_USER_PREFIX.length);
  return name === '' ? undefined : name;
}

const READ = ['get', 'list', 'watch'];

/**
 * kube's Node authorizer and NodeRestriction admission in one, simplified (docs/api.md,
 * "Authorization"): a node may
 * - read pods, nodes, services, endpoints and endpointslices (as the `system:node` role allows);
 * - read a Secret or ConfigMap only when a pod bound to it references it (the node graph);
 * - create, update and patch only its own Node (and its status) and its own Lease in
 *   kube-node-lease (create names come from the body: see nodeRestriction);
 * - update or patch the status of, and delete, only pods bound to it;
 * - create, update and patch Events.
 * A node's write to another node's objects is denied outright, as NodeRestriction's admission
 * denial is final; anything else gets no opinion, so RBAC may still allow it (discovery).
 * Other identities get no opinion.
 */
export function nodeAuthorizer(graph: NodeGraph) {
  return async (user: UserInfo, request: RequestAttributes): Promise<Decision> => {
    const node = nodeNameOf(user);
    if (node === undefined || !request.resourceRequest) return noOpinion();
    const r = request;
    const is = (group: string, resource: string, subresource = '') =>
      r.apiGroup === group && r.resource === resource && r.subresource === subresource;
    const verbIn = (verbs: readonly string[]) => verbs.includes(r.verb);
    const allowed = allow(`node "${node}" may ${r.verb} ${r.resource}`);

    if (verbIn(READ) && (is('', 'pods') || is('', 'nodes') || is('', 'services') || is('', 'endpoints')))
      return allowed;
    if (verbIn(READ) && is('discovery.k8s.io', 'endpointslices')) return allowed;
    if (is('', 'secrets') || is('', 'configmaps')) return referencedRead(graph, node, r);
    if (is('', 'nodes') || is('', 'nodes', 'status')) {
      if (verbIn(['create', 'get', 'update', 'patch']) && (r.verb === 'create' || r.name === node))
        return allowed;
      if (verbIn(['update', 'patch', 'delete']))
        return deny(`node "${node}" is not allowed to modify node "${r.name}"`);
      return noOpinion();
    }
    if (is('coordination.k8s.io', 'leases') && r.namespace === NODE_LEASE_NAMESPACE) {
      if (r.verb === 'create' || (verbIn(['get', 'update', 'patch', 'delete']) && r.name === node))
        return allowed;
      return deny(`can only access node lease with the same name as the requesting node`);
    }
    if ((is('', 'events') || is('events.k8s.io', 'events')) && verbIn(['create', 'update', 'patch']))
      return allowed;
    if (r.apiGroup === '' && r.resource === 'pods' && !verbIn(READ)) return podWrite(graph, node, r);
    return noOpinion();
  };
}

/** A Secret or ConfigMap named in the request and referenced by a pod bound to the node. */
async function referencedRead(graph: NodeGraph, node: string, r: ResourceAttributes): Promise<Decision> {
  if (!READ.includes(r.verb) || r.subresource !== '' || r.name === '')
    return noOpinion(`can only get individual resources of this type`);
  for (const pod of await graph.podsBoundTo(node)) {
    if (pod.metadata.namespace !== r.namespace) continue;
    const refs = podReferences(pod);
    if ((r.resource === 'secrets' ? refs.secrets : refs.configMaps).has(r.name))
      return allow(`node "${node}" runs a pod that references ${r.resource} "${r.namespace}/${r.name}"`);
  }
  return noOpinion(`no relationship found between node '${node}' and this object`);
}

/**
 * NodeRestriction's pod rules: a node updates the status of, and deletes, only pods bound to it; it
 * creates no pods (Skiff has no static pods to mirror) and changes no pod spec.
 */
async function podWrite(graph: NodeGraph, node: string, r: ResourceAttributes): Promise<Decision> {
  const bound = async () =>
    (await graph.podsBoundTo(node)).some(
      (p) => p.metadata.namespace === r.namespace && p.metadata.name === r.name,
    );
  if (r.subresource === 'status' && ['update', 'patch'].includes(r.verb)) {
    if (r.name !== '' && (await bound())) return allow(`node "${node}" may update the status of its pod`);
    return deny(`node "${node}" can only update pod status for pods with spec.nodeName set to itself`);
  }
  if (r.subresource === '' && r.verb === 'delete') {
    if (r.name !== '' && (await bound())) return allow(`node "${node}" may delete its pod`);
    return deny(`node "${node}" can only delete pods with spec.nodeName set to itself`);
  }
  return deny(`node "${node}" may not ${r.verb} pods${r.subresource ? `/${r.subresource}` : ''}`);
}
