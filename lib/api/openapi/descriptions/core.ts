import { typed, type TypeDescriptions } from './type-description';
import { METADATA_FIELD } from './object-meta';

/** The small core kinds: Namespace, ConfigMap, Secret, ServiceAccount, Event, Lease. */
export const CORE_TYPES: TypeDescriptions = {
  Namespace: {
    description:
      'A scope for names: namespaced objects are unique per namespace. Deleting it deletes everything in it.',
    fields: {
      metadata: METADATA_FIELD,
      spec: typed('NamespaceSpec', 'The desired state of the namespace.'),
      status: typed('NamespaceStatus', 'Whether the namespace is active or being deleted.'),
    },
  },
  NamespaceSpec: {
    description: 'The desired state of a namespace.',
    fields: {
      finalizers:
        'Clean-up steps that must finish before the namespace is removed; kubernetes (the default) empties it.',
    },
  },
  NamespaceStatus: {
    description: 'The observed state of a namespace.',
    fields: {
      phase: 'Active, or Terminating once deletion was requested and its contents are being removed.',
      conditions: typed('Condition', "Progress of the deletion of the namespace's contents."),
    },
  },
  ConfigMap: {
    description:
      'Non-secret configuration as key/value pairs, for pods to read as environment variables or files.',
    fields: {
      metadata: METADATA_FIELD,
      immutable:
        'When true, data and binaryData can no longer be changed (only the object deleted). Cannot be unset.',
      data: 'UTF-8 values by key. Keys are letters, digits, -, _ and .; a key may not be in both data and binaryData.',
      binaryData: 'Binary values by key, base64-encoded.',
    },
  },
  Secret: {
    description:
      "Sensitive data (passwords, tokens, keys) as key/value pairs. Never written to Skiff's logs; encrypted at rest on AWS.",
    fields: {
      metadata: METADATA_FIELD,
      immutable: 'When true, data can no longer be changed (only the object deleted). Cannot be unset.',
      data: 'Values by key, base64-encoded. Keys are letters, digits, -, _ and .',
      stringData:
        'Write-only convenience: plain-text values merged into data (winning over it) on write. Never returned.',
      type: 'What the data holds, which sets the keys it needs: Opaque (default, anything), kubernetes.io/service-account-token, kubernetes.io/dockercfg, kubernetes.io/dockerconfigjson, kubernetes.io/basic-auth, kubernetes.io/ssh-auth, kubernetes.io/tls, bootstrap.kubernetes.io/token. Cannot be changed.',
    },
  },
  ServiceAccount: {
    description:
      'An identity for processes in pods. Every namespace gets one named default; pods run as it unless they name another.',
    fields: {
      metadata: METADATA_FIELD,
      secrets: typed(
        'ObjectReference',
        'Secrets pods running as this account may use. Legacy; only for token Secrets.',
      ),
      imagePullSecrets: typed(
        'LocalObjectReference',
        'Registry credentials added to every pod running as this account.',
      ),
      automountServiceAccountToken:
        'Whether pods running as this account get its API token mounted, unless the pod says otherwise.',
    },
  },
  Event: {
    description:
      'A report of something that happened to an object (a pod scheduled, an image pulled, a probe failed). Skiff keeps Events for one hour.',
    fields: {
      metadata: METADATA_FIELD,
      involvedObject: typed('ObjectReference', "The object the Event is about; in the Event's namespace."),
      reason: 'Why it happened, as a short CamelCase word (Scheduled, Pulled, Unhealthy, ...).',
      message: 'What happened, for people.',
      source: typed('EventSource', 'The component that reported it.'),
      firstTimestamp: 'When it was first seen.',
      lastTimestamp: 'When it was last seen.',
      count: 'How many times it was seen.',
      type: 'Normal or Warning.',
      eventTime: 'When it first happened, with microseconds.',
      series: typed('EventSeries', 'For an Event that keeps recurring: how often.'),
      action: 'What the reporting component did or failed to do.',
      related: typed('ObjectReference', 'A second object involved, if any.'),
      reportingComponent: 'The controller that reported it, e.g. skiff.dev/scheduler.',
      reportingInstance: 'Which instance of that controller.',
    },
  },
  EventSource: {
    description: 'Who reported an Event.',
    fields: {
      component: 'The reporting component, e.g. kubelet or default-scheduler.',
      host: 'The node it runs on.',
    },
  },
  EventSeries: {
    description: 'Recurrences of an Event.',
    fields: {
      count: 'How many times it has happened.',
      lastObservedTime: 'When it last happened.',
    },
  },
  Lease: {
    description:
      'A lock held for a time, renewed by its holder: node heartbeats (namespace kube-node-lease) and leader election.',
    fields: {
      metadata: METADATA_FIELD,
      spec: typed('LeaseSpec', 'Who holds the lease and until when.'),
    },
  },
  LeaseSpec: {
    description: 'The state of a lease.',
    fields: {
      holderIdentity: 'Who holds the lease.',
      leaseDurationSeconds: 'How long the holder keeps it without renewing, from renewTime.',
      acquireTime: 'When the current holder took it.',
      renewTime: 'When the holder last renewed it.',
      leaseTransitions: 'How many times it has changed hands.',
      strategy: 'How a new holder is chosen in coordinated leader election.',
      preferredHolder: 'The holder that coordinated leader election would like to take over.',
    },
  },
  Binding: {
    description:
      'Assigns a pod to a node: the body of POST .../pods/{name}/binding, as a scheduler sends it.',
    fields: {
      metadata: METADATA_FIELD,
      target: typed('ObjectReference', 'The Node to bind the pod to (kind Node or empty, and a name).'),
    },
  },
  Eviction: {
    description:
      'Asks to delete a pod while respecting its PodDisruptionBudgets: the body of POST .../pods/{name}/eviction, as kubectl drain sends it.',
    fields: {
      metadata: METADATA_FIELD,
      deleteOptions: typed('DeleteOptions', 'How the pod is deleted.'),
    },
  },
  DeleteOptions: {
    description: 'Options of a deletion.',
    fields: {
      apiVersion: 'API version of these options (meta/v1).',
      kind: 'DeleteOptions.',
      gracePeriodSeconds: "Seconds the object gets to stop; 0 deletes at once. Default: the object's own.",
      preconditions: typed('Preconditions', 'The deletion only happens if these still hold.'),
      propagationPolicy:
        'What happens to dependents: Background (deleted after the owner), Foreground (before it) or Orphan (kept).',
      orphanDependents: 'Deprecated: true is propagationPolicy Orphan.',
      dryRun: 'All: validate the request without deleting.',
    },
  },
  Preconditions: {
    description: 'Conditions a deletion checks first.',
    fields: {
      uid: 'The object must still have this UID.',
      resourceVersion: 'The object must still be at this version.',
    },
  },
};
