import { stringify } from 'yaml';
import { ageOf } from '../../api/table/human-duration';
import type { KubeObject } from '../../kinds/meta';
import { alignColumns } from '../table-printer';
import { conditionsOf, lastSeen, specOf, statusOf, type EventLike, type Loose } from './describe-types';
import { notConverged } from './not-converged';

/**
 * `skiff describe`'s text, shaped as kubectl describe's: aligned `Field:  value` lines, the kind's
 * main fields, Conditions, then a `Not converged:` section saying why the object is not what its
 * spec asks (Skiff's addition), then Events.
 */
export function describeLines(object: KubeObject, events: EventLike[], now = Date.now()): string[] {
  const meta = object.metadata;
  const lines = fields([
    ['Name', meta.name],
    ['Namespace', meta.namespace],
    ['Labels', mapLines(meta.labels)],
    ['Annotations', mapLines(meta.annotations)],
    ['CreationTimestamp', meta.creationTimestamp],
    ...(meta.deletionTimestamp ? ([['DeletionTimestamp', meta.deletionTimestamp]] as Field[]) : []),
    ...kindFields(object),
  ]);
  const conditions = conditionsOf(object);
  if (conditions.length > 0) {
    lines.push('Conditions:');
    lines.push(
      ...indent(
        alignColumns([
          ['Type', 'Status', 'Reason', 'Message'],
          ['----', '------', '------', '-------'],
          ...conditions.map((c) => [c.type ?? '', c.status ?? '', c.reason ?? '', c.message ?? '']),
        ]),
      ),
    );
  }
  const reasons = notConverged(object, events);
  if (reasons.length > 0) lines.push('Not converged:', ...indent(reasons));
  lines.push(...eventLines(events, now));
  return lines;
}

/** A multi-line value printed under its label, indented (kubectl's Containers:, Pod Template:). */
interface Block {
  block: string[];
}
type Field = [string, string | number | boolean | string[] | Block | undefined];

/** `Label:  value` lines, values aligned; a list value continues on aligned lines. */
function fields(entries: Field[]): string[] {
  const width = Math.max(...entries.map(([label]) => label.length)) + 3;
  return entries.flatMap(([label, value]) => {
    if (value !== undefined && typeof value === 'object' && 'block' in value)
      return value.block.length === 0
        ? [`${`${label}:`.padEnd(width)}<none>`]
        : [`${label}:`, ...indent(value.block)];
    const values = Array.isArray(value)
      ? value
      : [value === undefined || value === '' ? '<none>' : String(value)];
    const [first = '<none>', ...rest] = values;
    return [`${`${label}:`.padEnd(width)}${first}`.trimEnd(), ...rest.map((v) => `${' '.repeat(width)}${v}`)];
  });
}

function mapLines(map: Record<string, string> | undefined): string[] {
  const entries = Object.entries(map ?? {});
  if (entries.length === 0) return ['<none>'];
  return entries.map(([key, value]) => `${key}=${value.length > 120 ? `${value.slice(0, 117)}...` : value}`);
}

const indent = (lines: string[], by = '  ') => lines.map((line) => `${by}${line}`.trimEnd());

/** The fields particular to a kind; the spec as YAML for kinds without their own. */
function kindFields(object: KubeObject): Field[] {
  const spec = specOf(object);
  const status = statusOf(object);
  switch (object.kind) {
    case 'Pod':
      return [
        ['Node', spec.nodeName],
        ['Status', object.metadata.deletionTimestamp ? 'Terminating' : (status.phase ?? 'Pending')],
        ['IP', status.podIP],
        ['Controlled By', controller(object)],
        ['Containers', { block: containerLines(spec.containers ?? [], status.containerStatuses ?? []) }],
        ['Node-Selectors', mapLines(spec.nodeSelector)],
        [
          'Tolerations',
          (spec.tolerations ?? []).map(
            (t: Loose) => `${t.key ?? ''}${t.value ? `=${t.value}` : ''}:${t.effect ?? ''}`,
          ),
        ],
      ];
    case 'Deployment':
      return [
        ['Selector', labelSelector(spec.selector)],
        [
          'Replicas',
          `${spec.replicas ?? 1} desired | ${status.updatedReplicas ?? 0} updated | ${status.replicas ?? 0} total | ${status.availableReplicas ?? 0} available | ${status.unavailableReplicas ?? 0} unavailable`,
        ],
        ['StrategyType', spec.strategy?.type ?? 'RollingUpdate'],
        ['Pod Template', { block: containerLines(spec.template?.spec?.containers ?? [], []) }],
      ];
    case 'ReplicaSet':
      return [
        ['Selector', labelSelector(spec.selector)],
        ['Controlled By', controller(object)],
        ['Replicas', `${status.replicas ?? 0} current / ${spec.replicas ?? 1} desired`],
        ['Pods Status', `${status.readyReplicas ?? 0} Ready / ${status.availableReplicas ?? 0} Available`],
      ];
    case 'Job':
      return [
        ['Completions', `${status.succeeded ?? 0}/${spec.completions ?? 1}`],
        ['Parallelism', spec.parallelism ?? 1],
        ['Backoff Limit', spec.backoffLimit ?? 6],
        [
          'Pods Statuses',
          `${status.active ?? 0} Active / ${status.succeeded ?? 0} Succeeded / ${status.failed ?? 0} Failed`,
        ],
      ];
    case 'Node':
      return [
        ['ProviderID', spec.providerID],
        ['Unschedulable', Boolean(spec.unschedulable)],
        [
          'Taints',
          (spec.taints ?? []).map((t: Loose) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`),
        ],
        ['Capacity', mapLines(status.capacity)],
        ['Allocatable', mapLines(status.allocatable)],
        ['Addresses', (status.addresses ?? []).map((a: Loose) => `${a.type}: ${a.address}`)],
      ];
    case 'NodeClaim':
      return [
        ['NodePool', spec.nodePool],
        ['Instance Type', spec.instanceType],
        ['Capacity Type', spec.capacityType],
        ['Zone', spec.zone],
        ['Price', spec.usdPerHour === undefined ? undefined : `$${spec.usdPerHour}/hour`],
        ['Reason', spec.reason],
        ['Node', status.nodeName],
        ['ProviderID', status.providerID],
      ];
    default:
      return object.spec === undefined
        ? []
        : [['Spec', { block: stringify(object.spec).trimEnd().split('\n') }]];
  }
}

function controller(object: KubeObject): string | undefined {
  const owner = object.metadata.ownerReferences?.find((o) => o.controller);
  return owner ? `${owner.kind}/${owner.name}` : undefined;
}

function labelSelector(selector: Loose | undefined): string {
  return Object.entries(selector?.matchLabels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/** One block per container: image, command, state, readiness, restarts, requests. */
function containerLines(containers: Loose[], statuses: Loose[]): string[] {
  return containers.flatMap((container) => {
    const status = statuses.find((s) => s.name === container.name);
    const state = status?.state ?? {};
    const stateName = Object.keys(state)[0];
    const detail = stateName ? (state[stateName].reason ?? '') : '';
    return [
      `${container.name}:`,
      `  Image:     ${container.image ?? '<none>'}`,
      ...argumentLines('Command', container.command),
      ...argumentLines('Args', container.args),
      ...(status
        ? [
            `  State:     ${stateName ? stateName[0].toUpperCase() + stateName.slice(1) : 'Unknown'}${detail ? ` (${detail})` : ''}`,
            `  Ready:     ${Boolean(status.ready)}`,
            `  Restarts:  ${status.restartCount ?? 0}`,
          ]
        : []),
      ...(container.resources?.requests
        ? [`  Requests:  ${mapLines(container.resources.requests).join(', ')}`]
        : []),
    ];
  });
}

/** A container's command or args as kubectl describe prints them: one item a line, indented. */
function argumentLines(label: string, items: string[] | undefined): string[] {
  if (!items || items.length === 0) return [];
  return [`  ${label}:`, ...items.flatMap((item) => item.trimEnd().split('\n')).map((line) => `    ${line}`)];
}

/** kubectl's Events table: Type, Reason, Age (`3m (x5 over 10m)`), From, Message; oldest first. */
export function eventLines(events: EventLike[], now = Date.now()): string[] {
  if (events.length === 0) return ['Events:  <none>'];
  const sorted = [...events].sort((a, b) => String(lastSeen(a)).localeCompare(String(lastSeen(b))));
  const rows = sorted.map((e) => [
    e.type ?? '',
    e.reason ?? '',
    eventAge(e, now),
    e.source?.component || e.reportingComponent || '',
    e.message ?? '',
  ]);
  return [
    'Events:',
    ...indent(
      alignColumns([
        ['Type', 'Reason', 'Age', 'From', 'Message'],
        ['----', '------', '----', '----', '-------'],
        ...rows,
      ]),
    ),
  ];
}

function eventAge(event: EventLike, now: number): string {
  const last = ageOf(lastSeen(event), now);
  if ((event.count ?? 1) <= 1 || !event.firstTimestamp) return last;
  return `${last} (x${event.count} over ${ageOf(event.firstTimestamp, now)})`;
}
