import { typed, type TypeDescriptions } from './type-description';
import { METADATA_FIELD } from './object-meta';

/** Nodes and Skiff's capacity kinds, NodePool and NodeClaim (Karpenter's shapes). */
export const CAPACITY_TYPES: TypeDescriptions = {
  Node: {
    description:
      "A machine that runs pods. Skiff's node agent registers it and reports its status; a Node Skiff launched has the name of its NodeClaim.",
    fields: {
      metadata: METADATA_FIELD,
      spec: typed('NodeSpec', 'How the node may be used.'),
      status: typed('NodeStatus', "What the node's agent last reported."),
    },
  },
  NodeSpec: {
    description: 'The desired state of a node.',
    fields: {
      podCIDR: 'The IP range pod addresses on this node come from.',
      podCIDRs: 'The IP ranges of the node, the first equal to podCIDR.',
      providerID:
        "The node's instance at its provider: aws:///<zone>/<instance-id> on EC2, local:///<zone>/<instance-id> locally.",
      unschedulable: 'When true (kubectl cordon), no new pods are scheduled onto the node.',
      taints: typed('Taint', 'Taints that keep pods without a matching toleration away.'),
      configSource: 'Deprecated dynamic kubelet configuration. Accepted and kept.',
      externalID: 'Deprecated. Accepted and kept.',
    },
  },
  Taint: {
    description: 'Marks a node so that only pods tolerating the taint go (or stay) there.',
    fields: {
      key: 'The taint key.',
      value: 'The taint value.',
      effect:
        'NoSchedule (no new pods), PreferNoSchedule (avoid if possible) or NoExecute (also evict running pods that do not tolerate it).',
      timeAdded: 'When a NoExecute taint was added.',
    },
  },
  NodeStatus: {
    description: 'The observed state of a node.',
    fields: {
      capacity: 'All resources of the node (cpu, memory, pods, ...).',
      allocatable:
        "What pods may request in all: capacity less what the system keeps. The scheduler fits pods' requests into it.",
      phase: 'Deprecated lifecycle phase. Kept as written.',
      conditions: typed(
        'Condition',
        'Ready (the agent reports and pods can run) and pressure conditions. Ready turns Unknown when the agent stops reporting.',
      ),
      addresses: typed('NodeAddress', 'How to reach the node.'),
      daemonEndpoints:
        "Ports the node's agent listens on: kubeletEndpoint.Port is where the API fetches pod logs.",
      nodeInfo: typed('NodeSystemInfo', 'Facts about the machine and its software.'),
      images: 'Container images on the node. Kept as reported.',
      volumesInUse: 'Volumes attached and mounted. Kept as reported.',
      volumesAttached: 'Volumes attached to the node. Kept as reported.',
      config: 'Status of dynamic kubelet configuration. Kept as reported.',
    },
  },
  NodeAddress: {
    description: 'One address of a node.',
    fields: {
      type: 'InternalIP, ExternalIP, Hostname, InternalDNS or ExternalDNS.',
      address: 'The address.',
    },
  },
  NodeSystemInfo: {
    description: 'Identity and versions of a node.',
    fields: {
      machineID: 'The machine id (/etc/machine-id).',
      systemUUID: 'The hardware UUID.',
      bootID: 'Changes at every boot.',
      kernelVersion: 'Kernel version (uname -r).',
      osImage: 'Operating system name and version.',
      containerRuntimeVersion: 'The runtime, as <name>://<version>.',
      kubeletVersion: "Version of the node's agent.",
      kubeProxyVersion: 'Deprecated; left empty.',
      operatingSystem: 'linux or windows.',
      architecture: 'CPU architecture: amd64 or arm64.',
    },
  },
  NodePool: {
    description:
      "Skiff's (and Karpenter's) capacity policy: which instances the scheduler may launch for pending pods, how much in all, and when it may take nodes away.",
    fields: {
      metadata: METADATA_FIELD,
      spec: typed('NodePoolSpec', 'The policy.'),
      status: typed('NodePoolStatus', 'What the pool holds now.'),
    },
  },
  NodePoolSpec: {
    description: 'The capacity policy of a NodePool.',
    fields: {
      template: typed(
        'NodeClaimTemplate',
        'What every NodeClaim (and so every node) of the pool starts from.',
      ),
      disruption: typed('Disruption', 'When and how fast nodes of the pool may be removed or replaced.'),
      limits:
        "The most the pool's claims may add up to: cpu, memory (quantities) and skiff.dev/usd-per-hour (a decimal string of dollars per hour). nodes is stored but not enforced yet.",
      weight: 'Priority among pools, 0 to 100: higher weights are tried first. Unset counts as 0.',
      warm: typed('WarmCapacity', "Skiff's own: capacity kept launched and ready even with no pods to run."),
    },
  },
  NodeClaimTemplate: {
    description: "The template of a pool's NodeClaims.",
    fields: {
      metadata: typed('NodeClaimTemplateMetadata', 'Put on every node of the pool.'),
      spec: typed('NodeClaimTemplateSpec', 'Requirements, taints and lifetimes of every claim of the pool.'),
    },
  },
  NodeClaimTemplateMetadata: {
    description: "Metadata given to the pool's nodes.",
    fields: {
      labels: 'Labels put on every node of the pool; pods can select them.',
      annotations: 'Annotations put on every node of the pool.',
    },
  },
  NodeClaimTemplateSpec: {
    description: 'The spec every claim of a pool starts from.',
    fields: {
      taints: typed('Taint', 'Taints put on every node; pods must tolerate them to run there.'),
      startupTaints: typed(
        'Taint',
        'Taints put on at launch for something else to remove once the node is set up; pods need not tolerate them to be planned there.',
      ),
      requirements: typed(
        'NodeSelectorRequirementWithMinValues',
        'Which instance types, zones and capacity types the pool may launch, as requirements over their labels. Empty (default): any.',
      ),
      expireAfter: 'How long after launch a node is replaced, e.g. 720h (default); Never keeps it.',
      terminationGracePeriod:
        'The longest draining a node may take before its remaining pods are deleted. Unset: wait for them.',
    },
  },
  NodeSelectorRequirementWithMinValues: {
    description: 'A requirement on instance-type labels, with an optional least number of distinct values.',
    fields: {
      key: 'The label, e.g. node.kubernetes.io/instance-type, karpenter.sh/capacity-type, topology.kubernetes.io/zone, skiff.dev/instance-cpu.',
      operator: 'In, NotIn, Exists, DoesNotExist, Gt or Lt.',
      values:
        'Values for In and NotIn; one non-negative integer for Gt and Lt; empty for Exists and DoesNotExist.',
      minValues:
        'The least number of distinct values of the key the scheduler must keep open (1 to 50), for flexibility.',
    },
  },
  Disruption: {
    description: "When the scheduler may remove or replace a pool's nodes.",
    fields: {
      consolidationPolicy:
        'WhenEmptyOrUnderutilized (default): remove or replace nodes whose pods fit elsewhere or on a cheaper node; WhenEmpty: only nodes with no pods.',
      consolidateAfter:
        'How long a node must have been empty or underutilized (since its last pod change) before consolidation; Never turns it off. Default 0s.',
      budgets: typed(
        'Budget',
        'Limits on how many nodes may be disrupted at once; the strictest active budget wins.',
      ),
    },
  },
  Budget: {
    description: 'A limit on concurrent disruptions, always or during scheduled windows.',
    fields: {
      reasons: 'The disruptions it limits: Underutilized, Empty, Drifted. All when empty.',
      nodes:
        "How many nodes may be disrupted at once: a number, or a percentage of the pool's nodes. Default 10%.",
      schedule:
        "When the budget's window opens: a 5-field cron expression or a macro such as @daily, in UTC. Needs duration.",
      duration: 'How long the window stays open after each schedule time, e.g. 8h or 1h30m. Needs schedule.',
    },
  },
  WarmCapacity: {
    description:
      "Skiff's own warm capacity: nodes kept ready so new pods start without waiting for a launch.",
    fields: {
      minNodes: 'Nodes the pool keeps launched and ready even when empty.',
      minCapacity: typed('WarmMinCapacity', 'Resources the pool keeps launched and ready even when unused.'),
    },
  },
  WarmMinCapacity: {
    description: 'Warm resources.',
    fields: {
      cpu: 'CPU to keep available, e.g. 4 or 500m.',
      memory: 'Memory to keep available, e.g. 8Gi.',
    },
  },
  NodePoolStatus: {
    description: 'The observed state of a NodePool.',
    fields: {
      resources: "What the pool's claims hold now: cpu, memory and nodes.",
      usdPerHour: "What the pool's claims cost now, in dollars per hour (Skiff's own).",
      conditions: typed('Condition', 'Ready, when the pool can launch nodes.'),
    },
  },
  NodeClaim: {
    description:
      'One instance the scheduler decided to launch, with the decision behind it. Its Node has the same name once the instance registers.',
    fields: {
      metadata: METADATA_FIELD,
      spec: typed('NodeClaimSpec', 'What to launch and why.'),
      status: typed('NodeClaimStatus', 'The instance and its lifecycle.'),
    },
  },
  NodeClaimSpec: {
    description:
      "What a NodeClaim launches. Unlike Karpenter, Skiff's scheduler picks the instance type, capacity type and zone in its plan.",
    fields: {
      nodePool: 'The pool it comes from.',
      instanceType: 'The instance type to launch, e.g. t4g.medium.',
      capacityType: 'on-demand (default) or spot.',
      zone: 'The zone to launch in, e.g. us-east-1a; unset lets the provider choose.',
      usdPerHour: 'The price the decision was made at, in dollars per hour (a decimal string).',
      reason: 'Why the claim was made, in a sentence.',
      pods: typed('ClaimedPod', 'The pending pods it was made for.'),
      resources: typed('NodeClaimResources', 'What the pods planned onto it request in all.'),
      requirements: typed(
        'NodeSelectorRequirementWithMinValues',
        "Requirements the instance must meet, as in its pool's template.",
      ),
      taints: typed('Taint', 'Taints its node gets.'),
      startupTaints: typed('Taint', 'Taints its node gets at launch, for something else to remove.'),
      expireAfter: 'How long after launch the node is replaced; Never keeps it. Default 720h.',
      terminationGracePeriod: 'The longest draining its node may take. Unset: wait for the pods.',
    },
  },
  ClaimedPod: {
    description: 'A pod a claim was made for.',
    fields: {
      namespace: 'Namespace of the pod.',
      name: 'Name of the pod.',
      uid: 'UID of the pod.',
    },
  },
  NodeClaimResources: {
    description: "The resources of a claim's pods.",
    fields: { requests: 'Their requests in all; a replacement instance type must hold them.' },
  },
  NodeClaimStatus: {
    description: 'The observed state of a NodeClaim.',
    fields: {
      providerID: "The Node's spec.providerID once launched, e.g. aws:///us-east-1a/i-0abc....",
      instanceId: "The bare instance id (Skiff's own).",
      nodeName: 'The Node the instance registered as.',
      imageID: 'The machine image the instance runs.',
      capacity: 'Resources of the instance, as on its Node.',
      allocatable: 'Resources pods may request on it, as on its Node.',
      conditions: typed(
        'Condition',
        'Launched, Registered, Initialized and Ready, in the order a claim passes them.',
      ),
      decision: typed('CapacityDecision', "The scheduler's latest decision about the claim."),
      lastPodEventTime:
        'When a pod was last bound to or removed from its node; consolidateAfter counts from it.',
    },
  },
  CapacityDecision: {
    description: 'What the scheduler did with a claim and why, for kubectl describe and audits.',
    fields: {
      action: 'Launch, Replace or Delete.',
      reason: 'Why, as a CamelCase word.',
      message: 'Why, in a sentence.',
      usdPerHour: 'What the claim costs, in dollars per hour.',
      savingsUsdPerHour: 'What the decision saves, in dollars per hour.',
      time: 'When it was decided.',
    },
  },
};
