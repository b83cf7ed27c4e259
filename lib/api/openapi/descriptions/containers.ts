import { typed, type TypeDescriptions } from './type-description';

/** Containers: their image and command, ports, environment, resources and mounts. */
export const CONTAINER_TYPES: TypeDescriptions = {
  Container: {
    description: 'One container of a pod.',
    fields: {
      name: 'Name of the container, a DNS label unique within the pod. Cannot be changed.',
      image: 'The image to run, e.g. nginx:1.27 or registry.example.com/app@sha256:....',
      command:
        "The executable and its arguments, replacing the image's ENTRYPOINT. $(VAR) refers to the container's environment variables.",
      args: "Arguments to the command, replacing the image's CMD. $(VAR) refers to the container's environment variables.",
      workingDir: "Directory the command runs in; the image's (or the runtime's) default when empty.",
      ports: typed(
        'ContainerPort',
        'Ports the container listens on. Informational, except that probes and Services may refer to them by name.',
      ),
      envFrom: typed(
        'EnvFromSource',
        'ConfigMaps or Secrets whose keys all become environment variables. Variables in env win over these.',
      ),
      env: typed(
        'EnvVar',
        'Environment variables of the container, in order; later ones may refer to earlier ones.',
      ),
      resources: typed(
        'ResourceRequirements',
        'CPU, memory and other resources the container needs (requests) and may use at most (limits).',
      ),
      volumeMounts: typed(
        'VolumeMount',
        "Where the pod's volumes appear in the container. Validated and kept; Skiff's node agent mounts no volumes yet.",
      ),
      livenessProbe: typed(
        'Probe',
        'Periodic check that the container still works. After failureThreshold failures in a row the container is restarted (as restartPolicy allows).',
      ),
      readinessProbe: typed(
        'Probe',
        'Periodic check that the container can serve. While it fails, the container (and so the pod) is not Ready and Services send it no traffic.',
      ),
      startupProbe: typed(
        'Probe',
        'Check run until the container has started; liveness and readiness probes wait for it. Failing it failureThreshold times restarts the container.',
      ),
      lifecycle: "postStart and preStop hooks. Accepted and kept; Skiff's agent runs no hooks.",
      terminationMessagePath:
        'File in the container whose content becomes the termination message. Default /dev/termination-log.',
      terminationMessagePolicy:
        'File (default) reads the message from terminationMessagePath; FallbackToLogsOnError uses the end of the log when that file is empty and the container failed.',
      imagePullPolicy:
        "Always, Never or IfNotPresent. Defaults to Always for :latest or untagged images, IfNotPresent otherwise. Skiff's runtimes pull an absent image whatever the policy.",
      securityContext:
        "Per-container security settings (user, capabilities, privileged, read-only root). Accepted and kept; Skiff's agent does not apply them.",
      restartPolicy:
        'Only for init containers: Always makes it a sidecar that keeps running beside the regular containers.',
      stdin: 'Keep a stdin stream open for the container (for attach).',
      stdinOnce: 'Close stdin after the first attached client disconnects.',
      tty: 'Allocate a terminal for the container; usually with stdin.',
    },
  },
  ContainerPort: {
    description: 'A port a container listens on.',
    fields: {
      name: 'Name of the port (an IANA service name), unique in the pod, for probes and Services to refer to.',
      hostPort:
        "Port on the node's address forwarded to this port. Rarely needed; limits how many such pods fit on a node.",
      containerPort: "Port number on the pod's IP, 1 to 65535.",
      protocol: 'TCP (default), UDP or SCTP.',
      hostIP: 'The node address hostPort binds to.',
    },
  },
  EnvVar: {
    description: 'One environment variable.',
    fields: {
      name: 'Name of the variable.',
      value:
        'Its value. $(OTHER) expands to an earlier variable; $$ escapes a dollar. Not allowed together with valueFrom.',
      valueFrom: typed('EnvVarSource', 'Where the value comes from, instead of value.'),
    },
  },
  EnvVarSource: {
    description: "The source of an environment variable's value; exactly one field.",
    fields: {
      fieldRef: typed(
        'ObjectFieldSelector',
        'A field of the pod, e.g. metadata.name, status.podIP, spec.nodeName.',
      ),
      resourceFieldRef: typed('ResourceFieldSelector', "A container's resource request or limit."),
      configMapKeyRef: typed('KeySelector', "A key of a ConfigMap in the pod's namespace."),
      secretKeyRef: typed('KeySelector', "A key of a Secret in the pod's namespace."),
    },
  },
  ObjectFieldSelector: {
    description: 'Selects a field of the pod.',
    fields: {
      apiVersion: 'Version the field path is written against; default v1.',
      fieldPath: "The field, e.g. metadata.namespace, metadata.labels['app'], status.hostIP.",
    },
  },
  ResourceFieldSelector: {
    description: "Selects a container's resource request or limit.",
    fields: {
      containerName: 'The container; defaults to the one the variable is in.',
      resource: 'requests.cpu, limits.memory, requests.ephemeral-storage and the like.',
      divisor: 'Unit the value is expressed in (e.g. 1m, 1Mi); default 1. The result is rounded up.',
    },
  },
  KeySelector: {
    description: 'Selects one key of a ConfigMap or Secret.',
    fields: {
      name: 'Name of the ConfigMap or Secret.',
      key: 'The key whose value is used.',
      optional:
        'When true, a missing object or key leaves the variable unset instead of keeping the container from starting.',
    },
  },
  EnvFromSource: {
    description: 'A ConfigMap or Secret whose keys all become environment variables.',
    fields: {
      prefix: 'Text put before each key to make the variable name.',
      configMapRef: typed('EnvObjectReference', 'The ConfigMap to read.'),
      secretRef: typed('EnvObjectReference', 'The Secret to read.'),
    },
  },
  EnvObjectReference: {
    description: "A ConfigMap or Secret in the pod's namespace.",
    fields: {
      name: 'Name of the object.',
      optional:
        'When true, a missing object adds no variables instead of keeping the container from starting.',
    },
  },
  ResourceRequirements: {
    description:
      'Compute resources of a container, by name (cpu, memory, ephemeral-storage, extended resources).',
    fields: {
      limits:
        "The most the container may use. Skiff's runtimes do not enforce limits yet. When requests are unset, they default to the limits.",
      requests:
        "What the container needs: the scheduler only places the pod where the sum of its requests fits in what is left of the node's allocatable.",
    },
  },
  VolumeMount: {
    description: 'Mounts a volume of the pod into a container.',
    fields: {
      name: 'Name of the volume in spec.volumes.',
      readOnly: 'Mount read-only.',
      recursiveReadOnly:
        'Disabled, IfPossible or Enabled: whether submounts are read-only too (with readOnly).',
      mountPath: "Absolute path in the container; unique among the container's mounts.",
      subPath: 'Mount this relative path inside the volume instead of its root.',
      mountPropagation: 'None, HostToContainer or Bidirectional: how mounts made later propagate.',
      subPathExpr: "Like subPath, with $(VAR) expanded from the container's environment.",
    },
  },
};
