import { typed, type TypeDescriptions } from './type-description';

/** The `metadata` field every kind has. */
export const METADATA_FIELD = typed(
  'ObjectMeta',
  'Identity and bookkeeping common to every object: name, namespace, labels, annotations, owners and the versions the server keeps.',
);

/** Object metadata and the small reference types many kinds share. */
export const OBJECT_META_TYPES: TypeDescriptions = {
  ObjectMeta: {
    description: 'Metadata every stored object carries.',
    fields: {
      name: 'Unique name of the object within its namespace (or the cluster, for cluster-scoped kinds). Cannot be changed once set.',
      generateName:
        'When name is empty, a prefix the server completes with random characters to make a unique name on create.',
      namespace:
        'The namespace the object lives in. Empty for cluster-scoped kinds; defaults to the request namespace otherwise.',
      uid: 'Identifier the server assigns on create, unique for the lifetime of the cluster. Read-only.',
      resourceVersion:
        'Opaque version of the object, changed on every write. Send it back on update to fail with a conflict if someone else wrote in between; watch and list use it to resume.',
      generation:
        'Counter the server raises whenever the desired state (spec) changes. Controllers report the generation they acted on in status.observedGeneration. Read-only.',
      creationTimestamp: 'When the server stored the object (RFC 3339, UTC). Read-only.',
      deletionTimestamp:
        'Set by the server when deletion was requested: the object is then only waiting for its finalizers to be removed or its grace period to end. Read-only.',
      deletionGracePeriodSeconds:
        'How many seconds the object was given to go away gracefully once deletion was requested. Read-only.',
      labels:
        'Key/value pairs used to organise and select objects (selectors, kubectl -l). Keys are optionally prefixed qualified names; values are at most 63 characters.',
      annotations:
        'Key/value pairs of arbitrary, non-identifying data for tools and people. Not used to select objects.',
      ownerReferences: typed(
        'OwnerReference',
        'The objects this one belongs to. When every owner is gone, the garbage collector deletes this object; at most one owner may be its controller.',
      ),
      finalizers:
        'Names of pending clean-up steps. A deleted object stays (with deletionTimestamp set) until this list is empty.',
      managedFields:
        'Which manager (client) set which fields, for server-side apply. Normally left to the server.',
      selfLink: 'Deprecated and left empty by the server.',
    },
  },
  OwnerReference: {
    description: 'Points at an object that owns this one.',
    fields: {
      apiVersion: 'API version of the owner.',
      kind: 'Kind of the owner.',
      name: 'Name of the owner.',
      uid: 'UID of the owner: a new object with the same name is a different owner.',
      controller:
        'True when the owner is the controller that manages this object. At most one owner may say so.',
      blockOwnerDeletion: 'When true, a foreground deletion of the owner waits until this object is gone.',
    },
  },
  LabelSelector: {
    description:
      'Selects objects by their labels. Every matchLabels pair and every matchExpressions requirement must hold (AND). An empty selector matches everything.',
    fields: {
      matchLabels: 'Labels that must be present with exactly these values.',
      matchExpressions: typed('LabelSelectorRequirement', 'Requirements on labels, all of which must hold.'),
    },
  },
  LabelSelectorRequirement: {
    description: 'One requirement on a label.',
    fields: {
      key: 'The label key.',
      operator: 'In, NotIn, Exists or DoesNotExist.',
      values:
        'The values for In and NotIn (must not be empty then); must be empty for Exists and DoesNotExist.',
    },
  },
  ObjectReference: {
    description: 'Points at another object, or a field of one.',
    fields: {
      kind: 'Kind of the object.',
      namespace: 'Namespace of the object, for namespaced kinds.',
      name: 'Name of the object.',
      uid: 'UID of the object.',
      apiVersion: 'API version of the object.',
      resourceVersion: 'The version of the object this reference was made from, if it matters.',
      fieldPath:
        'A part of the object rather than all of it, e.g. spec.containers{web} for one container of a pod.',
    },
  },
  LocalObjectReference: {
    description: 'Names an object in the same namespace.',
    fields: { name: 'Name of the object.' },
  },
  Condition: {
    description:
      "One aspect of the object's current state, as the controller responsible for it last saw it.",
    fields: {
      type: 'What the condition is about, in CamelCase (Ready, Available, ...).',
      status: 'True, False or Unknown.',
      observedGeneration: 'The metadata.generation the condition was computed from.',
      lastTransitionTime: 'When status last changed.',
      lastProbeTime: 'When the condition was last checked.',
      lastHeartbeatTime: "When the node's agent last reported this condition.",
      lastUpdateTime: 'When the controller last updated this condition.',
      reason: 'Machine-readable CamelCase word for the last transition.',
      message: 'Human-readable details about the last transition.',
    },
  },
};
