import * as z from 'zod';
import { emptyByDefault } from './empty-by-default';
import type { Container } from './container';
import { readField } from './field-reader';
import type { KindInfo } from './kind-info';
import { podUpdateCauses } from './pod-update';
import { ObjectMeta, type KubeObject } from './meta';
import { PodSpec } from './pod-spec';
import { PodStatus } from './pod-status';
import { podDeletionGracePeriod } from './pod-deletion-grace';

/**
 * SetDefaults_Pod: what Kubernetes defaults on a Pod but not on a pod template. Requests default
 * to the limits for each resource that has only a limit (so the scheduler sees what the pod will
 * get), service links are on, and with host networking each port's hostPort is its containerPort.
 */
function applyPodOnlyDefaults(spec: PodSpec): PodSpec {
  const defaultContainer = (container: Container): Container => {
    const { limits, requests } = container.resources;
    let resources = container.resources;
    if (limits) resources = { ...resources, requests: { ...limits, ...requests } };
    const ports = spec.hostNetwork
      ? container.ports?.map((port) => ({ ...port, hostPort: port.hostPort ?? port.containerPort }))
      : container.ports;
    return { ...container, resources, ...(ports ? { ports } : {}) };
  };
  return {
    ...spec,
    containers: spec.containers.map(defaultContainer),
    ...(spec.initContainers ? { initContainers: spec.initContainers.map(defaultContainer) } : {}),
    enableServiceLinks: spec.enableServiceLinks ?? true,
  };
}

/** v1 Pod: one or more containers scheduled together onto a node. */
export const Pod = z.object({
  apiVersion: z.literal('v1'),
  kind: z.literal('Pod'),
  metadata: emptyByDefault(ObjectMeta),
  spec: emptyByDefault(PodSpec).transform(applyPodOnlyDefaults),
  status: PodStatus.prefault({}),
});
export type Pod = z.infer<typeof Pod>;

/**
 * What kube's ServiceAccount admission and its v1 conversion give a new pod: `serviceAccountName`
 * (from the deprecated `serviceAccount` when only that is set, else `default`), mirrored into
 * `serviceAccount`. Here on every create, the controllers' as well, since theirs reach kube through
 * its API too. Kube also refuses a pod whose ServiceAccount does not exist; Skiff does not check.
 */
function withServiceAccount(object: KubeObject): KubeObject {
  const spec = (object.spec ?? {}) as { serviceAccountName?: string; serviceAccount?: string };
  const name = spec.serviceAccountName || spec.serviceAccount || 'default';
  return { ...object, spec: { ...spec, serviceAccountName: name, serviceAccount: name } };
}

export const PodKind: KindInfo = {
  group: '',
  version: 'v1',
  kind: 'Pod',
  plural: 'pods',
  singular: 'pod',
  shortNames: ['po'],
  namespaced: true,
  hasStatus: true,
  hasBinding: true,
  hasEviction: true,
  hasLog: true,
  nameFormat: 'dns1123-subdomain',
  schema: Pod,
  categories: ['all'],
  deletionGracePeriodSeconds: podDeletionGracePeriod,
  returnsDeletedObject: true,
  validateUpdate: podUpdateCauses,
  prepareForCreate: withServiceAccount,
  fieldSelectors: {
    'spec.nodeName': readField('spec.nodeName'),
    'spec.restartPolicy': readField('spec.restartPolicy'),
    'spec.schedulerName': readField('spec.schedulerName'),
    'spec.serviceAccountName': readField('spec.serviceAccountName'),
    'spec.hostNetwork': readField('spec.hostNetwork', 'false'),
    'status.phase': readField('status.phase'),
    'status.podIP': readField('status.podIP'),
    'status.nominatedNodeName': readField('status.nominatedNodeName'),
  },
};
