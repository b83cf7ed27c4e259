import type { KubeObject } from '../../kinds/meta';
import type { Column } from '../../kinds/table-column';
import { ageOf, humanDuration } from './human-duration';
import { podRowCells, type PodRowCells } from './pod-row';
import { endpointsCell } from './endpoints-cell';
import { eventSource, eventTarget, eventTimes, nodeAddress, nodeRoles } from './event-node-cells';

// Objects reach the printers as stored JSON; each reads the few fields it shows.
type Loose = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const spec = (o: KubeObject): Loose => (o.spec as Loose) ?? {};
const status = (o: KubeObject): Loose => (o.status as Loose) ?? {};

const name: Column = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description: 'Name must be unique within a namespace.',
  priority: 0,
  cell: (o) => o.metadata.name ?? '',
};
const age: Column = {
  name: 'Age',
  type: 'string',
  description: 'Time since the object was created.',
  priority: 0,
  cell: (o) => ageOf(o.metadata.creationTimestamp),
};
/** kube's default table's second column: the creation time itself, not an age. */
const createdAt: Column = {
  name: 'Created At',
  type: 'date',
  description: 'CreationTimestamp is a timestamp representing the server time when this object was created.',
  priority: 0,
  cell: (o) => o.metadata.creationTimestamp ?? '',
};

const column = (title: string, description: string, cell: Column['cell'], priority = 0): Column => ({
  name: title,
  type: 'string',
  description,
  priority,
  cell,
});
const containers = (o: KubeObject): Loose[] => spec(o).template?.spec?.containers ?? [];
const wide = [
  column(
    'Containers',
    'Names of each container in the template.',
    (o) =>
      containers(o)
        .map((c) => c.name)
        .join(','),
    1,
  ),
  column(
    'Images',
    'Images referenced by each container in the template.',
    (o) =>
      containers(o)
        .map((c) => c.image)
        .join(','),
    1,
  ),
  column('Selector', 'The label selector of the workload.', (o) => selectorText(spec(o).selector), 1),
];

function selectorText(selector: Loose | undefined): string {
  const labels = Object.entries(selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  const expressions = (selector?.matchExpressions ?? []).map(
    (e: Loose) => `${e.key} ${String(e.operator).toLowerCase()} (${(e.values ?? []).join(',')})`,
  );
  return [...labels, ...expressions].join(',') || '<none>';
}

/** A pod's READY, STATUS and RESTARTS cells, computed once per row (pod-row.ts). */
const podCells = new WeakMap<KubeObject, PodRowCells>();
function podCell(o: KubeObject, cell: keyof PodRowCells): string {
  let cells = podCells.get(o);
  if (!cells) podCells.set(o, (cells = podRowCells(o)));
  return cells[cell];
}

/** kube's printJob COMPLETIONS: `succeeded/completions`, or `n/1` (`n/1 of p` when parallel) without a count. */
function jobCompletions(o: KubeObject): string {
  const succeeded = status(o).succeeded ?? 0;
  const { completions, parallelism } = spec(o);
  if (completions !== undefined && completions !== null) return `${succeeded}/${completions}`;
  return (parallelism ?? 0) > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

/** kube's printJob DURATION: from start to completion, or to now while it runs; empty before it starts. */
function jobDuration(o: KubeObject): string {
  const { startTime, completionTime } = status(o);
  if (!startTime) return '';
  return humanDuration((completionTime ? Date.parse(completionTime) : Date.now()) - Date.parse(startTime));
}

/**
 * kube's printJob STATUS, the first condition that holds in its order. Skiff's Job controller does
 * not write the Suspended condition, so a suspended spec counts as it.
 */
function jobStatus(o: KubeObject): string {
  const holds = (type: string) =>
    (status(o).conditions ?? []).some((c: Loose) => c.type === type && c.status === 'True');
  if (holds('Complete')) return 'Complete';
  if (holds('Failed')) return 'Failed';
  if (o.metadata.deletionTimestamp) return 'Terminating';
  if (holds('Suspended') || spec(o).suspend === true) return 'Suspended';
  if (holds('FailureTarget')) return 'FailureTarget';
  return 'Running';
}

/** kube's getServiceExternalIP: what reaches the Service from outside, per type. */
function serviceExternalIP(o: KubeObject): string {
  const externalIPs: string[] = spec(o).externalIPs ?? [];
  switch (spec(o).type) {
    case 'ExternalName':
      return spec(o).externalName ?? '';
    case 'LoadBalancer': {
      const ingress: Loose[] = status(o).loadBalancer?.ingress ?? [];
      const addresses = [...ingress.map((i) => i.ip || i.hostname).filter(Boolean), ...externalIPs];
      return addresses.length > 0 ? addresses.join(',') : '<pending>';
    }
    default:
      return externalIPs.length > 0 ? externalIPs.join(',') : '<none>';
  }
}

/** kube's makePortString: `80/TCP`, `80:30080/TCP` with a node port. */
function servicePorts(o: KubeObject): string {
  const ports: Loose[] = spec(o).ports ?? [];
  const text = ports
    .map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol ?? 'TCP'}`)
    .join(',');
  return text || '<none>';
}

/** kube's listWithMoreString: at most three values, then how many more; `<unset>` for none. */
function listWithMore(values: string[], max = 3): string {
  if (values.length === 0) return '<unset>';
  const shown = values.slice(0, max).join(',');
  return values.length > max ? `${shown} + ${values.length - max} more...` : shown;
}

const COLUMNS: Record<string, Column[]> = {
  CronJob: [
    name,
    column('Schedule', 'The schedule in Cron format.', (o) => spec(o).schedule ?? ''),
    column('Timezone', 'The time zone of the schedule.', (o) => spec(o).timeZone ?? '<none>'),
    {
      ...column('Suspend', 'Whether later runs are suspended.', (o) =>
        spec(o).suspend === undefined ? '<unset>' : spec(o).suspend ? 'True' : 'False',
      ),
      type: 'boolean',
    },
    { ...column('Active', 'Jobs running now.', (o) => (status(o).active ?? []).length), type: 'integer' },
    column('Last Schedule', 'When a job was last scheduled.', (o) =>
      status(o).lastScheduleTime ? ageOf(status(o).lastScheduleTime) : '<none>',
    ),
    age,
    column(
      'Containers',
      'Names of each container in the template.',
      (o) =>
        ((spec(o).jobTemplate?.spec?.template?.spec?.containers ?? []) as Loose[])
          .map((c) => c.name)
          .join(','),
      1,
    ),
    column(
      'Images',
      'Images referenced by each container in the template.',
      (o) =>
        ((spec(o).jobTemplate?.spec?.template?.spec?.containers ?? []) as Loose[])
          .map((c) => c.image)
          .join(','),
      1,
    ),
    column(
      'Selector',
      'The label selector of the jobs.',
      (o) => selectorText(spec(o).jobTemplate?.spec?.selector),
      1,
    ),
  ],
  Endpoints: [name, column('Endpoints', 'The ready addresses and their ports.', endpointsCell), age],
  EndpointSlice: [
    name,
    column('AddressType', 'The type of addresses the slice holds.', (o) => (o.addressType as string) ?? ''),
    column('Ports', 'The ports of the slice.', (o) =>
      listWithMore(
        ((o.ports as Loose[]) ?? []).map((p) => (p.port !== undefined ? String(p.port) : p.name || '*')),
      ),
    ),
    column('Endpoints', 'The addresses of the endpoints.', (o) =>
      listWithMore(((o.endpoints as Loose[]) ?? []).flatMap((e) => e.addresses ?? [])),
    ),
    age,
  ],
  Service: [
    name,
    column('Type', 'The type of the service.', (o) => spec(o).type ?? 'ClusterIP'),
    column('Cluster-IP', 'The cluster IP of the service.', (o) => spec(o).clusterIP || '<none>'),
    column('External-IP', 'The external IP of the service.', serviceExternalIP),
    column('Port(s)', 'The ports of the service.', servicePorts),
    age,
    column(
      'Selector',
      'The label selector of the service.',
      (o) => selectorText({ matchLabels: Object.fromEntries(Object.entries(spec(o).selector ?? {}).sort()) }),
      1,
    ),
  ],
  Deployment: [
    name,
    column(
      'Ready',
      'Ready replicas of the desired.',
      (o) => `${status(o).readyReplicas ?? 0}/${spec(o).replicas ?? 0}`,
    ),
    {
      ...column(
        'Up-to-date',
        'Replicas updated to the current template.',
        (o) => status(o).updatedReplicas ?? 0,
      ),
      type: 'integer',
    },
    {
      ...column('Available', 'Replicas available to serve.', (o) => status(o).availableReplicas ?? 0),
      type: 'integer',
    },
    age,
    ...wide,
  ],
  ReplicaSet: [
    name,
    { ...column('Desired', 'Desired replicas.', (o) => spec(o).replicas ?? 0), type: 'integer' },
    { ...column('Current', 'Existing replicas.', (o) => status(o).replicas ?? 0), type: 'integer' },
    { ...column('Ready', 'Ready replicas.', (o) => status(o).readyReplicas ?? 0), type: 'integer' },
    age,
    ...wide,
  ],
  Pod: [
    name,
    column('Ready', 'The number of ready containers of all containers.', (o) => podCell(o, 'ready')),
    column(
      'Status',
      'The aggregate readiness state of this pod for accepting traffic, or why it is not running.',
      (o) => podCell(o, 'status'),
    ),
    column(
      'Restarts',
      'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
      (o) => podCell(o, 'restarts'),
    ),
    age,
    column('IP', 'The pod IP.', (o) => status(o).podIP ?? '<none>', 1),
    column('Node', 'The node the pod is bound to.', (o) => spec(o).nodeName ?? '<none>', 1),
    column(
      'Nominated Node',
      'The node the scheduler nominated for the pod, before binding.',
      (o) => status(o).nominatedNodeName ?? '<none>',
      1,
    ),
    column('Readiness Gates', 'Readiness gates whose condition is True, of all.', readinessGates, 1),
  ],
  Job: [
    name,
    column('Status', 'Status of the job.', jobStatus),
    column(
      'Completions',
      'The completed job pods of those wanted (with their parallelism when no completion count is set).',
      jobCompletions,
    ),
    column('Duration', 'Time required to complete the job.', jobDuration),
    age,
    ...wide,
  ],
  Namespace: [name, column('Status', 'The namespace phase.', (o) => status(o).phase ?? 'Active'), age],
  // kube's printNode.
  Node: [
    name,
    column('Status', 'The status of the node', (o) => {
      const ready = (status(o).conditions ?? []).find((c: Loose) => c.type === 'Ready');
      const state = ready?.status === 'True' ? 'Ready' : ready ? 'NotReady' : 'Unknown';
      return spec(o).unschedulable ? `${state},SchedulingDisabled` : state;
    }),
    column('Roles', 'The roles of the node', nodeRoles),
    age,
    column(
      'Version',
      'Kubelet Version reported by the node.',
      (o) => status(o).nodeInfo?.kubeletVersion ?? '',
    ),
    column('Internal-IP', "The node's internal address.", (o) => nodeAddress(o, 'InternalIP'), 1),
    column('External-IP', "The node's external address.", (o) => nodeAddress(o, 'ExternalIP'), 1),
    column(
      'OS-Image',
      'OS Image reported by the node from /etc/os-release.',
      (o) => status(o).nodeInfo?.osImage || '<unknown>',
      1,
    ),
    column(
      'Kernel-Version',
      "Kernel Version reported by the node from 'uname -r'.",
      (o) => status(o).nodeInfo?.kernelVersion || '<unknown>',
      1,
    ),
    column(
      'Container-Runtime',
      'ContainerRuntime Version reported by the node through runtime remote API.',
      (o) => status(o).nodeInfo?.containerRuntimeVersion || '<unknown>',
      1,
    ),
  ],
  ConfigMap: [
    name,
    {
      ...column(
        'Data',
        'Number of keys.',
        (o) =>
          Object.keys((o.data as Loose) ?? {}).length + Object.keys((o.binaryData as Loose) ?? {}).length,
      ),
      type: 'integer',
    },
    age,
  ],
  Secret: [
    name,
    column('Type', 'The type of secret.', (o) => (o.type as string) ?? ''),
    {
      ...column('Data', 'Number of keys.', (o) => Object.keys((o.data as Loose) ?? {}).length),
      type: 'integer',
    },
    age,
  ],
  ServiceAccount: [
    name,
    {
      ...column('Secrets', 'Number of secrets.', (o) => ((o.secrets as Loose[]) ?? []).length),
      type: 'integer',
    },
    age,
  ],
  PodDisruptionBudget: [
    name,
    column('Min Available', 'The minimum number of pods that must be available.', (o) =>
      String(spec(o).minAvailable ?? 'N/A'),
    ),
    column('Max Unavailable', 'The maximum number of pods that may be unavailable.', (o) =>
      String(spec(o).maxUnavailable ?? 'N/A'),
    ),
    {
      ...column(
        'Allowed Disruptions',
        'Calculated number of pods that may be disrupted at this time.',
        (o) => status(o).disruptionsAllowed ?? 0,
      ),
      type: 'integer',
    },
    age,
  ],
  // kube's printEvent: the default columns, and with -o wide the sub-object, source, first seen, count and name.
  Event: [
    column(
      'Last Seen',
      'The time at which the most recent occurrence of this event was recorded.',
      (o) => eventTimes(o).last,
    ),
    column(
      'Type',
      'Type of this event (Normal, Warning), new types could be added in the future',
      (o) => (o.type as string) ?? '',
    ),
    column(
      'Reason',
      "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.",
      (o) => (o.reason as string) ?? '',
    ),
    column('Object', 'The object that this event is about.', eventTarget),
    column(
      'Subobject',
      'The field of the object the event is about, such as spec.containers{name}.',
      (o) => (o.involvedObject as Loose)?.fieldPath ?? '',
      1,
    ),
    column('Source', 'The component reporting this event.', eventSource, 1),
    column('Message', 'A human-readable description of the status of this operation.', (o) =>
      String(o.message ?? '').trim(),
    ),
    column('First Seen', 'The time at which the event was first recorded.', (o) => eventTimes(o).first, 1),
    {
      ...column('Count', 'The number of times this event has occurred.', (o) => eventTimes(o).count, 1),
      type: 'string',
    },
    {
      ...column('Name', 'Name must be unique within a namespace.', (o) => o.metadata.name ?? '', 1),
      format: 'name',
    },
  ],
  Lease: [name, column('Holder', 'The current holder.', (o) => spec(o).holderIdentity ?? ''), age],
  // kube prints roles with its default columns, bindings with their role and subjects.
  Role: [name, createdAt],
  ClusterRole: [name, createdAt],
  RoleBinding: bindingColumns('roleBinding'),
  ClusterRoleBinding: bindingColumns('clusterRoleBinding'),
  // Karpenter's printer columns, with Skiff's price beside them.
  NodePool: [
    name,
    column('Nodes', 'Nodes the pool has now.', (o) => status(o).resources?.nodes ?? '0'),
    column('Ready', 'Whether the pool can launch.', (o) => conditionStatus(o, 'Ready')),
    age,
    { ...column('Weight', 'Higher pools are tried first.', (o) => spec(o).weight ?? 0, 1), type: 'integer' },
    column('CPU', 'CPU the pool holds now.', (o) => status(o).resources?.cpu ?? '0', 1),
    column('Memory', 'Memory the pool holds now.', (o) => status(o).resources?.memory ?? '0', 1),
    column('$/h', 'What the pool costs now, in dollars per hour.', (o) => status(o).usdPerHour ?? '0', 1),
  ],
  NodeClaim: [
    name,
    column('Type', 'The instance type.', (o) => spec(o).instanceType ?? ''),
    column('Capacity', 'on-demand or spot.', (o) => spec(o).capacityType ?? ''),
    column('Zone', 'The availability zone.', (o) => spec(o).zone ?? ''),
    column('Node', 'The node it became.', (o) => status(o).nodeName ?? ''),
    column('Ready', 'Whether its node is ready.', (o) => conditionStatus(o, 'Ready')),
    age,
    column('ID', 'The provider ID of its instance.', (o) => status(o).providerID ?? '', 1),
    column('NodePool', 'The pool it comes from.', (o) => spec(o).nodePool ?? '', 1),
    column('$/h', 'Its price, in dollars per hour.', (o) => spec(o).usdPerHour ?? '', 1),
    column('Reason', 'Why it was launched.', (o) => spec(o).reason ?? '', 1),
  ],
};

/** A binding's columns (printRoleBinding): its role as Kind/name; with -o wide, its subjects by kind. */
function bindingColumns(what: string): Column[] {
  const subjects = (o: KubeObject, kind: string): string =>
    ((o.subjects as Loose[] | undefined) ?? [])
      .filter((s) => s.kind === kind)
      .map((s) => (kind === 'ServiceAccount' ? `${s.namespace ?? ''}/${s.name}` : s.name))
      .join(', ');
  return [
    name,
    column('Role', 'RoleRef can only reference a ClusterRole in the global namespace.', (o) => {
      const ref = (o.roleRef as Loose) ?? {};
      return `${ref.kind ?? ''}/${ref.name ?? ''}`;
    }),
    age,
    column('Users', `Users in the ${what}`, (o) => subjects(o, 'User'), 1),
    column('Groups', `Groups in the ${what}`, (o) => subjects(o, 'Group'), 1),
    column('ServiceAccounts', `ServiceAccounts in the ${what}`, (o) => subjects(o, 'ServiceAccount'), 1),
  ];
}

/** A condition's status, `Unknown` when the object does not report it (Karpenter's READY column). */
function conditionStatus(o: KubeObject, type: string): string {
  return (status(o).conditions ?? []).find((c: Loose) => c.type === type)?.status ?? 'Unknown';
}

/** The columns of `kind`: kube's for the kinds it prints, Name and Age otherwise. */
export function columnsOf(kind: string): Column[] {
  return COLUMNS[kind] ?? [name, age];
}

/** kube's READINESS GATES column: `true/all` of the pod's readiness gates, or <none>. */
function readinessGates(o: KubeObject): string {
  const gates: Loose[] = spec(o).readinessGates ?? [];
  if (gates.length === 0) return '<none>';
  const conditions: Loose[] = status(o).conditions ?? [];
  const met = gates.filter((gate) =>
    conditions.some((c) => c.type === gate.conditionType && c.status === 'True'),
  ).length;
  return `${met}/${gates.length}`;
}
