import { InvalidObjectError, type FieldCause } from '../../kinds/errors';
import { invalidValue, reasonOfMessage } from '../../kinds/field-error';
import type { KubeObject } from '../../kinds/meta';
import { ServiceKind, type Service } from '../../kinds/service';
import { goStrings, isHeadless } from '../../kinds/service-checks';
import type { ObjectStore } from '../../store/object-store';
import type { ServiceRef } from './allocation-kinds';
import { freeIfOrphaned } from './orphaned-record';
import { claimAnyValue, claimValue, type Range } from './range-allocator';
import type { ServiceNetwork } from './service-network';

/**
 * What kube-apiserver's Service REST storage does around validation (pkg/registry/core/service/
 * storage): default the IP families for this single-stack IPv4 cluster, allocate the ClusterIP and
 * node ports a Service needs, keep allocated values across updates that leave them out, and
 * refuse changing a ClusterIP once set. Values are claimed before the Service is written; `undo`
 * gives back what this write claimed when the write fails. Values a Service stops using are
 * released by the Service allocation controller (lib/controllers/service-allocation).
 */
export interface AdmittedService {
  object: KubeObject;
  undo(): Promise<void>;
}

/** A value could not be allocated because its range has none left (kube answers 500). */
export class RangeFullError extends Error {
  constructor(what: 'serviceIP' | 'nodePort') {
    super(`Internal error occurred: failed to allocate a ${what}: range is full`);
  }
}

type Spec = Service['spec'];

function needsClusterIP(spec: Spec): boolean {
  return spec.type !== 'ExternalName' && !isHeadless(spec);
}

function needsNodePorts(spec: Spec): boolean {
  return (
    spec.type === 'NodePort' || (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false)
  );
}

/** Claims on behalf of one write, undone together when the write fails. */
class Claims {
  private readonly held: { range: Range; value: string }[] = [];

  constructor(
    private readonly store: ObjectStore,
    private readonly parent: ServiceRef,
  ) {}

  /** Claims a value asked for; one a lost write left held is freed and claimed (freeIfOrphaned). */
  async claim(range: Range, value: string): Promise<boolean> {
    let claimed = (await claimValue(this.store, range, value, this.parent)) === 'claimed';
    if (!claimed && (await freeIfOrphaned(this.store, range, value, new Date())))
      claimed = (await claimValue(this.store, range, value, this.parent)) === 'claimed';
    if (claimed) this.held.push({ range, value });
    return claimed;
  }

  async claimAny(range: Range): Promise<string | undefined> {
    const value = await claimAnyValue(this.store, range, this.parent);
    if (value !== undefined) this.held.push({ range, value });
    return value;
  }

  async undo(): Promise<void> {
    for (const { range, value } of this.held.splice(0))
      await this.store.delete(range.kind, undefined, value).catch(() => undefined);
  }
}

function invalid(service: KubeObject, field: string, message: string): InvalidObjectError {
  const cause: FieldCause = { reason: reasonOfMessage(message), field, message };
  return new InvalidObjectError(ServiceKind, service.metadata.name ?? '', [cause]);
}

/** ipFamilies and ipFamilyPolicy as kube defaults them on a single-stack IPv4 cluster. */
function withIPFamilies(service: KubeObject, spec: Spec): Spec {
  if (spec.type === 'ExternalName') return spec;
  const families = spec.ipFamilies ?? [];
  families.forEach((family, i) => {
    if (family !== 'IPv4' && !(isHeadless(spec) && !spec.selector))
      throw invalid(service, `spec.ipFamilies[${i}]`, invalidValue(family, 'not configured on this cluster'));
  });
  const selectorless = !spec.selector || Object.keys(spec.selector).length === 0;
  // Headless Services without a selector take every family the cluster has, as kube does.
  const policy =
    spec.ipFamilyPolicy ?? (isHeadless(spec) && selectorless ? 'RequireDualStack' : 'SingleStack');
  if (policy === 'RequireDualStack' && !(isHeadless(spec) && selectorless))
    throw invalid(
      service,
      'spec.ipFamilyPolicy',
      invalidValue(policy, 'this cluster is not configured for dual-stack services'),
    );
  return { ...spec, ipFamilies: ['IPv4'], ipFamilyPolicy: policy };
}

async function allocateClusterIP(
  service: KubeObject,
  spec: Spec,
  network: ServiceNetwork,
  claims: Claims,
): Promise<Spec> {
  if (!needsClusterIP(spec)) return spec;
  if (spec.clusterIP) {
    const ip = spec.clusterIP;
    const fail = (why: string) =>
      invalid(
        service,
        'spec.clusterIPs',
        invalidValue(goStrings(spec.clusterIPs ?? [ip]), `failed to allocate IP ${ip}: ${why}`),
      );
    if (network.cidr.offsetOf(ip) === undefined)
      throw fail(
        `the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${network.cidr.text}`,
      );
    if (!(await claims.claim(network.ips, ip))) throw fail('provided IP is already allocated');
    return spec;
  }
  const ip = await claims.claimAny(network.ips);
  if (ip === undefined) throw new RangeFullError('serviceIP');
  return { ...spec, clusterIP: ip, clusterIPs: [ip] };
}

/** Node ports for every port that lacks one; `held` are those the Service already owns. */
async function allocateNodePorts(
  service: KubeObject,
  spec: Spec,
  network: ServiceNetwork,
  claims: Claims,
  held: ReadonlySet<number>,
): Promise<Spec> {
  if (!needsNodePorts(spec)) return spec;
  const claimedNow = new Set<number>(held);
  const ports: Spec['ports'] = [];
  for (const [i, port] of spec.ports.entries()) {
    if (port.nodePort) {
      const { first, last } = network.nodePorts;
      const fail = (why: string) =>
        invalid(service, `spec.ports[${i}].nodePort`, invalidValue(port.nodePort, why));
      if (port.nodePort < first || port.nodePort > last)
        throw fail(`provided port is not in the valid range. The range of valid ports is ${first}-${last}`);
      if (!claimedNow.has(port.nodePort)) {
        if (!(await claims.claim(network.nodePorts, String(port.nodePort))))
          throw fail('provided port is already allocated');
        claimedNow.add(port.nodePort);
      }
      ports.push(port);
      continue;
    }
    const value = await claims.claimAny(network.nodePorts);
    if (value === undefined) throw new RangeFullError('nodePort');
    claimedNow.add(Number(value));
    ports.push({ ...port, nodePort: Number(value) });
  }
  return { ...spec, ports };
}

function refOf(service: KubeObject): ServiceRef {
  return { namespace: service.metadata.namespace ?? '', name: service.metadata.name ?? '' };
}

/** A new Service with its IP families, ClusterIP and node ports. */
export async function admitServiceCreate(
  object: KubeObject,
  store: ObjectStore,
  network: ServiceNetwork,
): Promise<AdmittedService> {
  const service = object as unknown as Service;
  const claims = new Claims(store, refOf(object));
  try {
    let spec = withIPFamilies(object, service.spec);
    spec = await allocateClusterIP(object, spec, network, claims);
    spec = await allocateNodePorts(object, spec, network, claims, new Set());
    return { object: { ...object, spec }, undo: () => claims.undo() };
  } catch (error) {
    await claims.undo();
    throw error;
  }
}

/**
 * An update: allocated values the new object leaves out are kept (kube's patchAllocatedValues),
 * a set ClusterIP may not change (values of a type left behind were dropped from the body before
 * validation: service-update-body.ts), and a
 * Service that newly needs a ClusterIP or node ports gets them.
 */
export async function admitServiceUpdate(
  object: KubeObject,
  current: KubeObject,
  store: ObjectStore,
  network: ServiceNetwork,
): Promise<AdmittedService> {
  const old = (current as unknown as Service).spec;
  let spec = keepAllocatedValues(old, (object as unknown as Service).spec);
  checkClusterIPUnchanged(object, old, spec);
  const claims = new Claims(store, refOf(object));
  try {
    if (!old.ipFamilies || spec.ipFamilies) spec = withIPFamilies(object, spec);
    else if (spec.type !== 'ExternalName')
      spec = withIPFamilies(object, {
        ...spec,
        ipFamilies: old.ipFamilies,
        ipFamilyPolicy: spec.ipFamilyPolicy ?? old.ipFamilyPolicy,
      });
    if (
      spec.type !== 'ExternalName' &&
      old.ipFamilies &&
      spec.ipFamilies?.[0] !== old.ipFamilies[0] &&
      !isHeadless(spec)
    )
      throw invalid(
        object,
        'spec.ipFamilies[0]',
        invalidValue(goStrings(spec.ipFamilies), 'may not change once set'),
      );
    if (!(needsClusterIP(old) && spec.clusterIP === old.clusterIP))
      spec = await allocateClusterIP(object, spec, network, claims);
    const held = needsNodePorts(old)
      ? new Set(old.ports.map((p) => p.nodePort ?? 0).filter((p) => p > 0))
      : new Set<number>();
    spec = await allocateNodePorts(object, spec, network, claims, held);
    return { object: { ...object, spec }, undo: () => claims.undo() };
  } catch (error) {
    await claims.undo();
    throw error;
  }
}

function keepAllocatedValues(old: Spec, spec: Spec): Spec {
  let next = spec;
  if (needsClusterIP(old) && needsClusterIP(next) && !next.clusterIP)
    next = { ...next, clusterIP: old.clusterIP, clusterIPs: old.clusterIPs };
  if (needsNodePorts(old) && needsNodePorts(next)) {
    const used = new Set(next.ports.map((p) => p.nodePort ?? 0));
    const byName = new Map(old.ports.map((p) => [p.name ?? '', p.nodePort ?? 0]));
    next = {
      ...next,
      ports: next.ports.map((port) => {
        const previous = byName.get(port.name ?? '') ?? 0;
        return port.nodePort || !previous || used.has(previous) ? port : { ...port, nodePort: previous };
      }),
    };
  }
  return next;
}

/** validateUpgradeDowngradeClusterIPs, for one IP family. */
function checkClusterIPUnchanged(object: KubeObject, old: Spec, spec: Spec): void {
  if (old.type === 'ExternalName' || spec.type === 'ExternalName') return;
  if (isHeadless(old) && isHeadless(spec)) return;
  const before = old.clusterIPs ?? [];
  const after = spec.clusterIPs ?? [];
  if (before.length > 0 && after.length === 0)
    throw invalid(
      object,
      'spec.clusterIPs[0]',
      invalidValue(goStrings(after), 'primary clusterIP can not be unset'),
    );
  if (before.length > 0 && after[0] !== before[0])
    throw invalid(object, 'spec.clusterIPs[0]', invalidValue(goStrings(after), 'may not change once set'));
}
