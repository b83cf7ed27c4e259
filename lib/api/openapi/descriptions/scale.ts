import { typed, type TypeDescriptions } from './type-description';

/** autoscaling/v1 Scale: the `scale` subresource of Deployments and ReplicaSets. */
export const SCALE_TYPES: TypeDescriptions = {
  Scale: {
    description:
      'The replica count of a Deployment or ReplicaSet, read and written through its scale subresource (kubectl scale, autoscalers).',
    fields: {
      metadata: typed(
        'ObjectMeta',
        "The scaled object's name, namespace, uid, creation time and resourceVersion; a resourceVersion makes a write conditional.",
      ),
      spec: typed('ScaleSpec', 'The replica count wanted.'),
      status: typed('ScaleStatus', 'The replica count observed, and how to find the pods.'),
    },
  },
  ScaleSpec: {
    description: 'What a Scale asks for.',
    fields: { replicas: "The object's desired number of pods: its spec.replicas." },
  },
  ScaleStatus: {
    description: 'What a Scale reports.',
    fields: {
      replicas: "The pods the object's controller last counted: its status.replicas.",
      selector: "The object's label selector as a string (app=web,tier in (fe)), to list its pods.",
    },
  },
};
