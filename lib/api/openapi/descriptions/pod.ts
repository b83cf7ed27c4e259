import { typed, type TypeDescriptions } from './type-description';
import { METADATA_FIELD } from './object-meta';

/** The Pod kind and its status. */
export const POD_TYPES: TypeDescriptions = {
  Pod: {
    description:
      "A group of containers run together on one node, sharing an IP address. Skiff's scheduler binds it to a node (launching one if needed) and the node's agent runs it.",
    fields: {
      metadata: METADATA_FIELD,
      spec: typed('PodSpec', 'What the pod runs and where it may run. Mostly fixed once created.'),
      status: typed('PodStatus', 'What the pod is doing, as its node last reported. Read-only for users.'),
    },
  },
  PodStatus: {
    description: 'The observed state of a pod.',
    fields: {
      observedGeneration: 'The metadata.generation this status was computed from.',
      phase:
        'Where the pod is in its life: Pending (not yet running all containers), Running, Succeeded (all exited 0, none will restart), Failed or Unknown.',
      conditions: typed(
        'Condition',
        'PodScheduled, Initialized, ContainersReady and Ready, each True or False with a reason.',
      ),
      message: 'Why the pod is in its state, for people.',
      reason: 'Why the pod is in its state, as a CamelCase word (e.g. Evicted, DeadlineExceeded).',
      nominatedNodeName: 'The node a preempting pod expects to run on once room is made.',
      hostIP: 'Address of the node the pod runs on.',
      hostIPs: typed('PodIP', 'Addresses of the node, the first equal to hostIP.'),
      podIP:
        "The pod's own address. On local Skiff nodes a loopback address (127.N.x.y) of the node's block.",
      podIPs: typed('PodIP', "The pod's addresses, the first equal to podIP."),
      startTime: 'When the node accepted the pod, before its images were pulled.',
      initContainerStatuses: typed('ContainerStatus', 'One entry per init container.'),
      containerStatuses: typed('ContainerStatus', 'One entry per container.'),
      ephemeralContainerStatuses: typed('ContainerStatus', 'One entry per ephemeral (debug) container.'),
      qosClass: "Guaranteed, Burstable or BestEffort, from the containers' requests and limits.",
    },
  },
  PodIP: {
    description: 'An IP address.',
    fields: { ip: 'The address.' },
  },
  ContainerStatus: {
    description: 'The observed state of one container.',
    fields: {
      name: 'Name of the container in the spec.',
      state: typed('ContainerState', 'What the container is doing now.'),
      lastState: typed('ContainerState', 'How its previous run ended, after a restart.'),
      ready: 'Whether the container passes its readiness probe (or is running, without one).',
      restartCount: 'How many times the container has been restarted.',
      image: 'The image the container runs.',
      imageID: 'The exact image (digest) the container runs.',
      containerID: "The runtime's id for the container, as <runtime>://<id>.",
      started: 'Whether the container has passed its startup probe (or is running, without one).',
      allocatedResources: 'Resources the node has set aside for the container.',
      resources: 'Requests and limits the runtime applies to the container now.',
    },
  },
  ContainerState: {
    description: 'The state of a container; exactly one field is set.',
    fields: {
      waiting: typed('ContainerStateWaiting', 'Not running yet, or waiting to restart.'),
      running: typed('ContainerStateRunning', 'Running.'),
      terminated: typed('ContainerStateTerminated', 'Ended.'),
    },
  },
  ContainerStateWaiting: {
    description: 'A container that is not running.',
    fields: {
      reason: 'Why, e.g. ContainerCreating, CrashLoopBackOff, ErrImagePull.',
      message: 'Details for people.',
    },
  },
  ContainerStateRunning: {
    description: 'A running container.',
    fields: { startedAt: 'When it (last) started.' },
  },
  ContainerStateTerminated: {
    description: 'A container that has ended.',
    fields: {
      exitCode: 'Its exit code.',
      signal: 'The signal that ended it, if any.',
      reason: 'Why it ended, e.g. Completed, Error, OOMKilled.',
      message: 'Details, such as the termination message.',
      startedAt: 'When that run started.',
      finishedAt: 'When it ended.',
      containerID: "The runtime's id for that run.",
    },
  },
};
