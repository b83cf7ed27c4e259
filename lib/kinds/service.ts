import * as z from 'zod';
import { readField } from './field-reader';
import { emptyByDefault } from './empty-by-default';
import { intOrString } from './int-or-string';
import type { KindInfo } from './kind-info';
import { ObjectMeta } from './meta';
import { labelMap } from './names';
import { mergeList } from './patch-strategy';
import { checkServiceSpec } from './service-checks';
import { ConditionStatus } from './condition';
import { timestamp } from './time';

/** kube's default ClientIP affinity timeout (DefaultClientIPServiceAffinitySeconds: three hours). */
export const DEFAULT_AFFINITY_SECONDS = 10800;

export const ServicePort = z.object({
  name: z.string().optional(),
  protocol: z.string().default('TCP'),
  appProtocol: z.string().optional(),
  port: z.number().int(),
  targetPort: intOrString.optional(),
  nodePort: z.number().int().optional(),
});
export type ServicePort = z.infer<typeof ServicePort>;

const serviceSpecFields = z.object({
  type: z.string().default('ClusterIP'),
  ports: mergeList(ServicePort, 'port').default([]),
  selector: labelMap.optional(),
  clusterIP: z.string().optional(),
  clusterIPs: z.array(z.string()).optional(),
  externalIPs: z.array(z.string()).optional(),
  externalName: z.string().optional(),
  sessionAffinity: z.string().default('None'),
  sessionAffinityConfig: z
    .object({ clientIP: z.object({ timeoutSeconds: z.number().int().optional() }).optional() })
    .optional(),
  loadBalancerIP: z.string().optional(),
  loadBalancerSourceRanges: z.array(z.string()).optional(),
  loadBalancerClass: z.string().optional(),
  allocateLoadBalancerNodePorts: z.boolean().optional(),
  externalTrafficPolicy: z.string().optional(),
  internalTrafficPolicy: z.string().optional(),
  healthCheckNodePort: z.number().int().optional(),
  publishNotReadyAddresses: z.boolean().optional(),
  ipFamilies: z.array(z.string()).optional(),
  ipFamilyPolicy: z.string().optional(),
  trafficDistribution: z.string().optional(),
});

/**
 * v1 ServiceSpec with SetDefaults_Service and the create strategy's normalisation applied before
 * ValidateService: type ClusterIP, sessionAffinity None (ClientIP gets a three-hour timeout),
 * protocol TCP and targetPort = port on every port, externalTrafficPolicy Cluster where the Service
 * is reachable from outside, internalTrafficPolicy Cluster, allocateLoadBalancerNodePorts true for
 * LoadBalancers, and clusterIP / clusterIPs kept in step (either may be given). The cluster IPs,
 * node ports and IP families that depend on the cluster are the allocator's (lib/api/service-network).
 */
export const ServiceSpec = serviceSpecFields
  .transform((spec) => {
    const ports = spec.ports.map((port) => ({
      ...port,
      targetPort:
        port.targetPort === undefined || port.targetPort === 0 || port.targetPort === ''
          ? port.port
          : port.targetPort,
    }));
    const external =
      spec.type === 'NodePort' || spec.type === 'LoadBalancer' || (spec.externalIPs ?? []).length > 0;
    const clusterIP = spec.clusterIP || spec.clusterIPs?.[0] || undefined;
    const clusterIPs = spec.clusterIPs ?? (clusterIP ? [clusterIP] : undefined);
    return {
      ...spec,
      ports,
      ...(clusterIP ? { clusterIP } : {}),
      ...(clusterIPs ? { clusterIPs } : {}),
      ...(spec.sessionAffinity === 'ClientIP' && !spec.sessionAffinityConfig?.clientIP?.timeoutSeconds
        ? { sessionAffinityConfig: { clientIP: { timeoutSeconds: DEFAULT_AFFINITY_SECONDS } } }
        : {}),
      ...(external && spec.externalTrafficPolicy === undefined ? { externalTrafficPolicy: 'Cluster' } : {}),
      ...(spec.type !== 'ExternalName' && spec.internalTrafficPolicy === undefined
        ? { internalTrafficPolicy: 'Cluster' }
        : {}),
      ...(spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts === undefined
        ? { allocateLoadBalancerNodePorts: true }
        : {}),
    };
  })
  .superRefine((spec, ctx) => checkServiceSpec(spec, ctx));
export type ServiceSpec = z.infer<typeof ServiceSpec>;

export const ServiceStatus = z.object({
  loadBalancer: z
    .object({
      ingress: z
        .array(
          z.object({
            ip: z.string().optional(),
            hostname: z.string().optional(),
            ipMode: z.string().optional(),
            ports: z.array(z.looseObject({})).optional(),
          }),
        )
        .optional(),
    })
    .optional(),
  conditions: mergeList(
    z.object({
      type: z.string().min(1),
      status: ConditionStatus,
      observedGeneration: z.number().int().optional(),
      lastTransitionTime: timestamp.optional(),
      reason: z.string().optional(),
      message: z.string().optional(),
    }),
    'type',
  ).optional(),
});

/**
 * v1 Service: a stable virtual IP (or, headless, a DNS name only) in front of the pods its selector
 * picks, or an alias for an external name. LoadBalancer Services are accepted, but Skiff provisions
 * no load balancer: their status stays pending, as on a cluster without a cloud controller.
 */
export const Service = z.object({
  apiVersion: z.literal('v1'),
  kind: z.literal('Service'),
  metadata: emptyByDefault(ObjectMeta),
  spec: emptyByDefault(ServiceSpec),
  status: ServiceStatus.prefault({ loadBalancer: {} }),
});
export type Service = z.infer<typeof Service>;

export const ServiceKind: KindInfo = {
  group: '',
  version: 'v1',
  kind: 'Service',
  plural: 'services',
  singular: 'service',
  shortNames: ['svc'],
  namespaced: true,
  hasStatus: true,
  nameFormat: 'dns1035-label',
  schema: Service,
  categories: ['all'],
  returnsDeletedObject: true,
  // kube's ServiceSelectableFields (since 1.31).
  fieldSelectors: { 'spec.clusterIP': readField('spec.clusterIP'), 'spec.type': readField('spec.type') },
};
