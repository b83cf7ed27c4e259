import { isIP } from 'node:net';
import type * as z from 'zod';
import {
  GoValue,
  duplicateValue,
  forbidden,
  inclusiveRange,
  invalidValue,
  requiredValue,
  unsupportedValue,
} from './field-error';
import { dns1123LabelError, dns1123SubdomainError, portNameError, qualifiedNameError } from './names';

/**
 * kube-apiserver's ValidateService (pkg/apis/core/validation), over a spec already defaulted: the
 * checks that need no cluster state. Allocation (clusterIPs, nodePorts) and the update rules live
 * with the allocator (lib/api/service-network).
 */

/** The spec fields these checks read. */
export interface CheckedServiceSpec {
  type: string;
  clusterIP?: string;
  clusterIPs?: string[];
  externalName?: string;
  externalIPs?: string[];
  sessionAffinity: string;
  sessionAffinityConfig?: { clientIP?: { timeoutSeconds?: number } };
  ipFamilies?: string[];
  ipFamilyPolicy?: string;
  externalTrafficPolicy?: string;
  internalTrafficPolicy?: string;
  healthCheckNodePort?: number;
  allocateLoadBalancerNodePorts?: boolean;
  loadBalancerSourceRanges?: string[];
  trafficDistribution?: string;
  ports: {
    name?: string;
    protocol: string;
    port: number;
    targetPort?: number | string;
    nodePort?: number;
    appProtocol?: string;
  }[];
}

export const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'] as const;
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const AFFINITIES = ['ClientIP', 'None'];
const FAMILIES = ['IPv4', 'IPv6'];
const FAMILY_POLICIES = ['PreferDualStack', 'RequireDualStack', 'SingleStack'];
const TRAFFIC_POLICIES = ['Cluster', 'Local'];
const IP_MESSAGE = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';
/** kube's MaxClientIPServiceAffinitySeconds (one day). */
const MAX_AFFINITY_SECONDS = 86400;

/** `clusterIP: None`: a Service with no virtual IP, whose DNS name lists its endpoints. */
export function isHeadless(spec: Pick<CheckedServiceSpec, 'clusterIP'>): boolean {
  return spec.clusterIP === 'None';
}

/** A Go []string as field.Invalid prints it: `[]string{"a", "b"}`. */
export function goStrings(values: readonly string[] | undefined): GoValue {
  if (!values) return new GoValue('[]string(nil)');
  return new GoValue(`[]string{${values.map((v) => JSON.stringify(v)).join(', ')}}`);
}

/** Adds every ValidateService problem of `spec` to ctx, at the paths kube names. */
export function checkServiceSpec(spec: CheckedServiceSpec, ctx: z.RefinementCtx): void {
  const issue = (path: (string | number)[], message: string) =>
    ctx.addIssue({ code: 'custom', path, message });
  const headless = isHeadless(spec);
  if (spec.ports.length === 0 && !headless && spec.type !== 'ExternalName') issue(['ports'], requiredValue());
  checkTypeSpecifics(spec, issue);
  const names = new Set<string>();
  spec.ports.forEach((port, i) => {
    if (spec.ports.length > 1 && !port.name) issue(['ports', i, 'name'], requiredValue());
    else if (port.name) {
      const error = dns1123LabelError(port.name);
      if (error) issue(['ports', i, 'name'], invalidValue(port.name, error));
      if (names.has(port.name)) issue(['ports', i, 'name'], duplicateValue(port.name));
      names.add(port.name);
    }
    if (port.port < 1 || port.port > 65535)
      issue(['ports', i, 'port'], invalidValue(port.port, inclusiveRange(1, 65535)));
    if (!PROTOCOLS.includes(port.protocol))
      issue(['ports', i, 'protocol'], unsupportedValue(port.protocol, PROTOCOLS));
    const target = port.targetPort;
    if (typeof target === 'number' && (target < 1 || target > 65535))
      issue(['ports', i, 'targetPort'], invalidValue(target, inclusiveRange(1, 65535)));
    if (typeof target === 'string') {
      const error = portNameError(target);
      if (error) issue(['ports', i, 'targetPort'], invalidValue(target, error));
    }
    if (port.appProtocol !== undefined) {
      const error = qualifiedNameError(port.appProtocol);
      if (error) issue(['ports', i, 'appProtocol'], invalidValue(port.appProtocol, error));
    }
  });
  checkAffinity(spec, issue);
  checkClusterIPs(spec, issue);
  (spec.externalIPs ?? []).forEach((ip, i) => {
    if (!isIP(ip)) issue(['externalIPs', i], invalidValue(ip, IP_MESSAGE));
  });
  if (!(SERVICE_TYPES as readonly string[]).includes(spec.type))
    issue(['type'], unsupportedValue(spec.type, SERVICE_TYPES));
  checkNodePorts(spec, issue);
  checkLoadBalancerFields(spec, issue);
  checkTrafficPolicies(spec, issue);
}

type Issue = (path: (string | number)[], message: string) => void;

function checkTypeSpecifics(spec: CheckedServiceSpec, issue: Issue): void {
  const headless = isHeadless(spec);
  if ((spec.type === 'LoadBalancer' || spec.type === 'NodePort') && headless)
    issue(
      ['clusterIPs', 0],
      invalidValue(spec.clusterIPs?.[0] ?? 'None', `may not be set to 'None' for ${spec.type} services`),
    );
  if (spec.type !== 'ExternalName') return;
  if ((spec.clusterIPs ?? []).length > 0)
    issue(['clusterIPs'], forbidden('may not be set for ExternalName services'));
  if ((spec.ipFamilies ?? []).length > 0)
    issue(['ipFamilies'], forbidden('may not be set for ExternalName services'));
  if (spec.ipFamilyPolicy !== undefined)
    issue(['ipFamilyPolicy'], forbidden('may not be set for ExternalName services'));
  // A CNAME may end in a dot to say it is fully qualified.
  const cname = (spec.externalName ?? '').replace(/\.$/, '');
  if (cname === '') issue(['externalName'], requiredValue());
  else {
    const error = dns1123SubdomainError(cname);
    if (error) issue(['externalName'], invalidValue(cname, error));
  }
}

function checkAffinity(spec: CheckedServiceSpec, issue: Issue): void {
  if (!AFFINITIES.includes(spec.sessionAffinity))
    issue(['sessionAffinity'], unsupportedValue(spec.sessionAffinity, AFFINITIES));
  if (spec.sessionAffinity === 'ClientIP') {
    const timeout = spec.sessionAffinityConfig?.clientIP?.timeoutSeconds;
    if (timeout === undefined || timeout <= 0 || timeout > MAX_AFFINITY_SECONDS)
      issue(
        ['sessionAffinityConfig', 'clientIP', 'timeoutSeconds'],
        invalidValue(timeout ?? 0, `must be greater than 0 and less than ${MAX_AFFINITY_SECONDS}`),
      );
  } else if (spec.sessionAffinity === 'None' && spec.sessionAffinityConfig !== undefined)
    issue(['sessionAffinityConfig'], forbidden('must not be set when session affinity is None'));
}

/** ValidateServiceClusterIPsRelatedFields. */
function checkClusterIPs(spec: CheckedServiceSpec, issue: Issue): void {
  if (spec.type === 'ExternalName') return;
  const clusterIPs = spec.clusterIPs ?? [];
  if (spec.clusterIP) {
    if (clusterIPs.length === 0) issue(['clusterIPs'], requiredValue());
    else if (clusterIPs[0] !== spec.clusterIP)
      issue(['clusterIPs'], invalidValue(goStrings(clusterIPs), 'first value must match `clusterIP`'));
  } else if (clusterIPs.length > 0)
    issue(
      ['clusterIPs'],
      invalidValue(goStrings(clusterIPs), 'must be empty when `clusterIP` is not specified'),
    );
  const seen = new Set<string>();
  (spec.ipFamilies ?? []).forEach((family, i) => {
    if (!FAMILIES.includes(family)) issue(['ipFamilies', i], unsupportedValue(family, FAMILIES));
    if (seen.has(family)) issue(['ipFamilies', i], duplicateValue(family));
    seen.add(family);
  });
  if (spec.ipFamilyPolicy !== undefined && !FAMILY_POLICIES.includes(spec.ipFamilyPolicy))
    issue(['ipFamilyPolicy'], unsupportedValue(spec.ipFamilyPolicy, FAMILY_POLICIES));
  let invalidIPs = false;
  clusterIPs.forEach((ip, i) => {
    if (i === 0 && ip === 'None') {
      if (clusterIPs.length > 1) {
        invalidIPs = true;
        issue(['clusterIPs'], invalidValue(goStrings(clusterIPs), "'None' must be the first and only value"));
      }
      return;
    }
    if (!isIP(ip)) {
      invalidIPs = true;
      issue(['clusterIPs', i], invalidValue(ip, IP_MESSAGE));
    }
  });
  if (clusterIPs.length > 2)
    issue(['clusterIPs'], invalidValue(goStrings(clusterIPs), 'may only hold up to 2 values'));
  if (invalidIPs) return;
  if (clusterIPs.length > 1 && isIP(clusterIPs[0]) === isIP(clusterIPs[1]))
    issue(
      ['clusterIPs'],
      invalidValue(goStrings(clusterIPs), 'may specify no more than one IP for each IP family'),
    );
  if (isHeadless(spec)) return;
  clusterIPs.forEach((ip, i) => {
    const family = spec.ipFamilies?.[i];
    if (family === 'IPv4' && isIP(ip) === 6)
      issue(
        ['clusterIPs', i],
        invalidValue(ip, `expected an IPv4 value as indicated by \`ipFamilies[${i}]\``),
      );
    if (family === 'IPv6' && isIP(ip) !== 6)
      issue(
        ['clusterIPs', i],
        invalidValue(ip, `expected an IPv6 value as indicated by \`ipFamilies[${i}]\``),
      );
  });
}

function checkNodePorts(spec: CheckedServiceSpec, issue: Issue): void {
  const nodePorts = new Set<string>();
  const ports = new Set<string>();
  spec.ports.forEach((port, i) => {
    if (spec.type === 'ClusterIP' && port.nodePort)
      issue(['ports', i, 'nodePort'], forbidden("may not be used when `type` is 'ClusterIP'"));
    if (port.nodePort) {
      const key = `${port.protocol}/${port.nodePort}`;
      if (nodePorts.has(key)) issue(['ports', i, 'nodePort'], duplicateValue(port.nodePort));
      nodePorts.add(key);
    }
    const key = `${port.protocol}/${port.port}`;
    if (ports.has(key))
      issue(
        ['ports', i],
        duplicateValue(
          new GoValue(
            `core.ServicePort{Name:"", Protocol:"${port.protocol}", AppProtocol:(*string)(nil), Port:${port.port}, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}`,
          ),
        ),
      );
    ports.add(key);
  });
}

function checkLoadBalancerFields(spec: CheckedServiceSpec, issue: Issue): void {
  if ((spec.loadBalancerSourceRanges ?? []).length > 0 && spec.type !== 'LoadBalancer')
    issue(['LoadBalancerSourceRanges'], forbidden("may only be used when `type` is 'LoadBalancer'"));
  if (spec.allocateLoadBalancerNodePorts !== undefined && spec.type !== 'LoadBalancer')
    issue(['allocateLoadBalancerNodePorts'], forbidden("may only be used when `type` is 'LoadBalancer'"));
}

function checkTrafficPolicies(spec: CheckedServiceSpec, issue: Issue): void {
  const external =
    spec.type === 'NodePort' || spec.type === 'LoadBalancer' || (spec.externalIPs ?? []).length > 0;
  if (!external) {
    if (spec.externalTrafficPolicy !== undefined)
      issue(
        ['externalTrafficPolicy'],
        invalidValue(spec.externalTrafficPolicy, 'may only be set for externally-accessible services'),
      );
  } else if (spec.externalTrafficPolicy === undefined) issue(['externalTrafficPolicy'], requiredValue());
  else if (!TRAFFIC_POLICIES.includes(spec.externalTrafficPolicy))
    issue(['externalTrafficPolicy'], unsupportedValue(spec.externalTrafficPolicy, TRAFFIC_POLICIES));
  const needsHealthCheck = spec.type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local';
  if (!needsHealthCheck && spec.healthCheckNodePort)
    issue(
      ['healthCheckNodePort'],
      invalidValue(
        spec.healthCheckNodePort,
        "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'",
      ),
    );
  if (spec.internalTrafficPolicy !== undefined && !TRAFFIC_POLICIES.includes(spec.internalTrafficPolicy))
    issue(['internalTrafficPolicy'], unsupportedValue(spec.internalTrafficPolicy, TRAFFIC_POLICIES));
  if (spec.trafficDistribution !== undefined && spec.trafficDistribution !== 'PreferClose')
    issue(['trafficDistribution'], unsupportedValue(spec.trafficDistribution, ['PreferClose']));
}
