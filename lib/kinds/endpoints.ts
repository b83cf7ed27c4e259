import { isIP } from 'node:net';
import * as z from 'zod';
import { invalidValue, requiredValue, unsupportedValue } from './field-error';
import type { KindInfo } from './kind-info';
import { ObjectMeta } from './meta';
import { dns1123LabelError, dns1123SubdomainError, qualifiedNameError } from './names';
import { ObjectReference } from './object-reference';

const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

export const EndpointAddress = z.object({
  ip: z.string().default(''),
  hostname: z.string().optional(),
  nodeName: z.string().optional(),
  targetRef: ObjectReference.optional(),
});
export type EndpointAddress = z.infer<typeof EndpointAddress>;

/** SetDefaults_Endpoints: a port without a protocol is TCP. */
export const EndpointsPort = z.object({
  name: z.string().optional(),
  port: z.number().int().default(0),
  protocol: z.string().default('TCP'),
  appProtocol: z.string().optional(),
});
export type EndpointsPort = z.infer<typeof EndpointsPort>;

export const EndpointSubset = z.object({
  addresses: z.array(EndpointAddress).optional(),
  notReadyAddresses: z.array(EndpointAddress).optional(),
  ports: z.array(EndpointsPort).optional(),
});
export type EndpointSubset = z.infer<typeof EndpointSubset>;

type Issue = (path: (string | number)[], message: string) => void;

/**
 * validateEndpointAddress's IP checks: a valid IP (kube reports a bad one twice, once for each of
 * its two checks), and none of the special ranges a Service may not send traffic to.
 */
function ipErrors(ip: string): string[] {
  if (isIP(ip) === 0)
    return ['must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)', 'must be a valid IP address'];
  const v4 = isIP(ip) === 4 ? ip.split('.').map(Number) : undefined;
  const v6 = v4 ? undefined : ip.toLowerCase();
  if (v4 ? v4.every((octet) => octet === 0) : /^[0:]+$/.test(v6 ?? ''))
    return [`may not be unspecified (${ip})`];
  if (v4 ? v4[0] === 127 : /^(0*:)+0*1$|^::1$/.test(v6 ?? ''))
    return ['may not be in the loopback range (127.0.0.0/8, ::1/128)'];
  if (v4 ? v4[0] === 169 && v4[1] === 254 : /^fe[89ab]/.test(v6 ?? ''))
    return ['may not be in the link-local range (169.254.0.0/16, fe80::/10)'];
  if (v4 ? v4[0] === 224 && v4[1] === 0 && v4[2] === 0 : /^ff02:/.test(v6 ?? ''))
    return ['may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'];
  return [];
}

function checkAddress(address: EndpointAddress, path: (string | number)[], issue: Issue): void {
  for (const message of ipErrors(address.ip)) issue([...path, 'ip'], invalidValue(address.ip, message));
  if (address.hostname) {
    const error = dns1123LabelError(address.hostname);
    if (error) issue([...path, 'hostname'], invalidValue(address.hostname, error));
  }
  if (address.nodeName !== undefined) {
    const error = dns1123SubdomainError(address.nodeName);
    if (error) issue([...path, 'nodeName'], invalidValue(address.nodeName, error));
  }
}

function checkPort(port: EndpointsPort, named: boolean, path: (string | number)[], issue: Issue): void {
  if (named && !port.name) issue([...path, 'name'], requiredValue());
  else if (port.name) {
    const error = dns1123LabelError(port.name);
    if (error) issue([...path, 'name'], invalidValue(port.name, error));
  }
  if (port.port < 1 || port.port > 65535)
    issue([...path, 'port'], invalidValue(port.port, 'must be between 1 and 65535, inclusive'));
  if (port.protocol === '') issue([...path, 'protocol'], requiredValue());
  else if (!PROTOCOLS.includes(port.protocol))
    issue([...path, 'protocol'], unsupportedValue(port.protocol, PROTOCOLS));
  if (port.appProtocol !== undefined) {
    const error = qualifiedNameError(port.appProtocol);
    if (error) issue([...path, 'appProtocol'], invalidValue(port.appProtocol, error));
  }
}

/** validateEndpointSubsets, as kube-apiserver checks every create and update. */
function checkSubsets(subsets: EndpointSubset[], issue: Issue): void {
  subsets.forEach((subset, i) => {
    const path = ['subsets', i];
    const { addresses = [], notReadyAddresses = [], ports = [] } = subset;
    if (addresses.length === 0 && notReadyAddresses.length === 0)
      issue(path, requiredValue('must specify `addresses` or `notReadyAddresses`'));
    addresses.forEach((address, j) => checkAddress(address, [...path, 'addresses', j], issue));
    notReadyAddresses.forEach((address, j) =>
      checkAddress(address, [...path, 'notReadyAddresses', j], issue),
    );
    ports.forEach((port, j) => checkPort(port, ports.length > 1, [...path, 'ports', j], issue));
  });
}

/**
 * v1 Endpoints: the addresses behind a Service and the ports they serve, in subsets of addresses
 * that serve the same ports. The endpoints controller (lib/controllers/endpoints) keeps the
 * Endpoints of every Service with a selector; those of a Service without one are whoever wrote
 * them. kube 1.33 deprecates the kind for EndpointSlices; 1.32, which Skiff follows, does not.
 *
 * EndpointsFields is the shape without the checks: the controller writes what it computes through
 * the store, as kube's does through the API, and locally the pods' addresses are loopback ones
 * (processes on 127.x), which the API refuses from a client (docs/controllers.md).
 */
export const EndpointsFields = z.object({
  apiVersion: z.literal('v1'),
  kind: z.literal('Endpoints'),
  metadata: ObjectMeta.prefault({}),
  subsets: z.array(EndpointSubset).optional(),
});

export const Endpoints = EndpointsFields.superRefine((endpoints, ctx) =>
  checkSubsets(endpoints.subsets ?? [], (path, message) => ctx.addIssue({ code: 'custom', path, message })),
);
export type Endpoints = z.infer<typeof Endpoints>;

export const EndpointsKind: KindInfo = {
  group: '',
  version: 'v1',
  kind: 'Endpoints',
  plural: 'endpoints',
  singular: 'endpoints',
  shortNames: ['ep'],
  namespaced: true,
  hasStatus: false,
  nameFormat: 'dns1123-subdomain',
  schema: Endpoints,
  fieldSelectors: {},
};

/** The label kube's endpoints controller puts on the Endpoints of a headless Service. */
export const HEADLESS_LABEL = 'service.kubernetes.io/headless';
/** Set when the controller kept only 1,000 of a Service's addresses. */
export const OVER_CAPACITY_ANNOTATION = 'endpoints.kubernetes.io/over-capacity';
/** When the change that last moved the Endpoints happened (kube's SLI annotation). */
export const TRIGGER_TIME_ANNOTATION = 'endpoints.kubernetes.io/last-change-trigger-time';
