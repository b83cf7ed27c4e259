import { typed, type TypeDescriptions } from './type-description';
import { METADATA_FIELD } from './object-meta';

/** The pod spec and its scheduling types, shared by pods and every pod template. */
export const POD_SPEC_TYPES: TypeDescriptions = {
  PodTemplateSpec: {
    description: 'The pods a controller creates: their metadata and spec.',
    fields: {
      metadata: METADATA_FIELD,
      spec: typed('PodSpec', 'The spec of each pod made from this template.'),
    },
  },
  PodSpec: {
    description: 'What a pod runs and where it may run.',
    fields: {
      volumes: typed(
        'Volume',
        'Volumes the containers may mount. Skiff stores and validates them, but its node agent mounts none yet.',
      ),
      initContainers: typed(
        'Container',
        'Containers run one after another, each to completion, before the regular containers start. A failing one is retried as restartPolicy says.',
      ),
      containers: typed(
        'Container',
        'The containers of the pod; at least one. Cannot be added or removed later.',
      ),
      restartPolicy:
        'What the node does when a container exits: Always (default), OnFailure (only after a non-zero exit) or Never.',
      terminationGracePeriodSeconds:
        'Seconds between the stop signal (SIGTERM) and the kill (SIGKILL) when the pod is deleted. Default 30; 0 kills at once.',
      activeDeadlineSeconds:
        'Seconds the pod may be active on its node, counted from its start, before it is failed with reason DeadlineExceeded.',
      dnsPolicy:
        'How the pod resolves names: ClusterFirst (default), ClusterFirstWithHostNet, Default or None. Recorded; Skiff runs no cluster DNS.',
      dnsConfig:
        'Extra resolver settings (nameservers, searches, options). Accepted and kept; not applied by Skiff.',
      nodeSelector: 'Labels a node must carry for the pod to be scheduled onto it.',
      serviceAccountName: 'The ServiceAccount the pod runs as, in its namespace; default is "default".',
      serviceAccount: 'Deprecated alias of serviceAccountName.',
      automountServiceAccountToken: "Whether the service account's API token is mounted into the containers.",
      nodeName:
        'The node the pod is bound to. Set by the scheduler; setting it yourself bypasses scheduling. Cannot be changed once set.',
      hostNetwork: "Use the node's network namespace instead of the pod's own.",
      hostPID: "Use the node's process namespace.",
      hostIPC: "Use the node's IPC namespace.",
      shareProcessNamespace: "Let the containers of the pod see and signal each other's processes.",
      securityContext:
        "Pod-wide security settings (user and group IDs, fsGroup, sysctls, seccomp). Accepted and kept; Skiff's agent does not apply them.",
      imagePullSecrets: typed(
        'LocalObjectReference',
        "Secrets with registry credentials for pulling the images. Accepted; Skiff's agent pulls with its runtime's own credentials.",
      ),
      hostname: "The pod's hostname; defaults to the pod name.",
      subdomain:
        'With hostname, gives the pod the name <hostname>.<subdomain>.<namespace>.svc under a headless Service.',
      setHostnameAsFQDN: 'Make the hostname the fully qualified domain name rather than the short name.',
      affinity: typed('Affinity', 'Rules that attract the pod to nodes (or to or away from other pods).'),
      schedulerName: "The scheduler that places the pod; default-scheduler (Skiff's) unless set.",
      tolerations: typed('Toleration', 'Taints the pod tolerates: it may run on nodes carrying them.'),
      hostAliases: "Extra entries for the pod's /etc/hosts. Accepted and kept; not applied by Skiff.",
      priorityClassName:
        'Name of a PriorityClass giving the pod its priority. Kept; Skiff serves no PriorityClass.',
      priority: "The pod's priority, higher first. Normally filled from priorityClassName.",
      preemptionPolicy:
        'PreemptLowerPriority or Never: whether the pod may evict lower-priority pods to fit.',
      readinessGates: typed(
        'PodReadinessGate',
        'Extra pod conditions that must be True, besides the containers being ready, for the pod to be Ready.',
      ),
      runtimeClassName:
        'Which container runtime the node uses for the pod. On Skiff nodes: process (the default) or container (podman or docker).',
      enableServiceLinks: 'Whether to inject environment variables describing the Services of the namespace.',
      overhead:
        "Resources the runtime itself uses for the pod, counted by the scheduler on top of the containers'.",
      topologySpreadConstraints:
        "How evenly matching pods must be spread across topology domains (zones, nodes). Skiff's scheduler enforces DoNotSchedule constraints; ScheduleAnyway ones are kept but not weighed.",
      schedulingGates: typed(
        'PodSchedulingGate',
        'While any gate remains, the pod is not scheduled. Gates can only be removed.',
      ),
      os: typed('PodOS', 'The operating system the containers need.'),
    },
  },
  PodReadinessGate: {
    description: "A pod condition the pod's readiness waits for.",
    fields: { conditionType: 'The type of the condition in status.conditions that must be True.' },
  },
  PodSchedulingGate: {
    description: 'Holds a pod back from scheduling until removed.',
    fields: { name: 'Name of the gate; unique within the pod.' },
  },
  PodOS: {
    description: 'The operating system of the pod.',
    fields: { name: 'linux or windows.' },
  },
  Affinity: {
    description: 'Scheduling preferences and requirements.',
    fields: {
      nodeAffinity: typed('NodeAffinity', 'Rules about the labels (and name) of the node the pod runs on.'),
      podAffinity:
        "Pods this pod must (or would rather) share a topology domain with. Skiff's scheduler enforces the required terms; preferred ones are kept but not weighed.",
      podAntiAffinity:
        "Pods this pod must (or would rather) not share a topology domain with. Skiff's scheduler enforces the required terms; preferred ones are kept but not weighed.",
    },
  },
  NodeAffinity: {
    description: 'Which nodes the pod must or would rather run on.',
    fields: {
      requiredDuringSchedulingIgnoredDuringExecution: typed(
        'NodeSelector',
        'Nodes outside these terms are never chosen. A node that stops matching later keeps its pods.',
      ),
      preferredDuringSchedulingIgnoredDuringExecution: typed(
        'PreferredSchedulingTerm',
        "Terms the scheduler should favour, each by its weight, among the nodes that fit. Kept; Skiff's scheduler considers only the required terms.",
      ),
    },
  },
  NodeSelector: {
    description: 'Matches nodes satisfying at least one of its terms (OR).',
    fields: {
      nodeSelectorTerms: typed('NodeSelectorTerm', 'The terms; a node matches if any term matches.'),
    },
  },
  NodeSelectorTerm: {
    description: 'Requirements on a node, all of which must hold (AND).',
    fields: {
      matchExpressions: typed('NodeSelectorRequirement', 'Requirements on node labels.'),
      matchFields: typed(
        'NodeSelectorRequirement',
        "Requirements on node fields (only metadata.name). Kept; Skiff's scheduler matches on labels only.",
      ),
    },
  },
  PreferredSchedulingTerm: {
    description: 'A weighted node preference.',
    fields: {
      weight: 'How much matching the term counts, 1 to 100.',
      preference: typed('NodeSelectorTerm', 'The term nodes are checked against.'),
    },
  },
  NodeSelectorRequirement: {
    description: 'One requirement on a node label or field.',
    fields: {
      key: 'The label key (or field name) the requirement is about.',
      operator: 'In, NotIn, Exists, DoesNotExist, Gt or Lt.',
      values: 'Values for In and NotIn; a single integer for Gt and Lt; empty for Exists and DoesNotExist.',
    },
  },
  Toleration: {
    description: 'Lets a pod run on nodes with a matching taint.',
    fields: {
      key: 'The taint key to match; empty with operator Exists matches every taint.',
      operator: 'Equal (default: the value must match) or Exists (any value).',
      value: 'The taint value to match with Equal.',
      effect:
        'The taint effect to match (NoSchedule, PreferNoSchedule, NoExecute); empty matches all effects.',
      tolerationSeconds:
        'For NoExecute taints: how long the pod stays on a node after the taint appears. Unset means for ever.',
    },
  },
};
