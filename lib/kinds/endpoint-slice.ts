import { isIPv4, isIPv6 } from 'node:net';
import * as z from 'zod';
import type { FieldCause } from './errors';
import { duplicateValue, invalidValue, requiredValue, unsupportedValue } from './field-error';
import type { KindInfo } from './kind-info';
import { ObjectMeta, type KubeObject } from './meta';
import { dns1123LabelError, dns1123SubdomainError, qualifiedNameError } from './names';
import { ObjectReference } from './object-reference';

const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const MAX_ENDPOINTS = 1000;
const MAX_ADDRESSES = 100;
const MAX_PORTS = 20000;

export const EndpointConditions = z.object({
  ready: z.boolean().optional(),
  serving: z.boolean().optional(),
  terminating: z.boolean().optional(),
});

export const Endpoint = z.object({
  addresses: z.array(z.string()).default([]),
  conditions: EndpointConditions.prefault({}),
  hostname: z.string().optional(),
  targetRef: ObjectReference.optional(),
  deprecatedTopology: z.record(z.string(), z.string()).optional(),
  nodeName: z.string().optional(),
  zone: z.string().optional(),
  hints: z.looseObject({}).optional(),
});
export type Endpoint = z.infer<typeof Endpoint>;

/** SetDefaults_EndpointPort: an unnamed port has the name "", the protocol is TCP. */
export const EndpointPort = z.object({
  name: z.string().default(''),
  protocol: z.string().default('TCP'),
  port: z.number().int().optional(),
  appProtocol: z.string().optional(),
});
export type EndpointPort = z.infer<typeof EndpointPort>;

type Issue = (path: (string | number)[], message: string) => void;

function tooMany(count: number, max: number): string {
  return `Too many: ${count}: must have at most ${max} items`;
}

function checkAddress(addressType: string, address: string): string | undefined {
  if (addressType === 'IPv4' && !isIPv4(address))
    return invalidValue(address, 'must be a valid IPv4 address');
  if (addressType === 'IPv6' && !isIPv6(address))
    return invalidValue(address, 'must be a valid IPv6 address');
  if (addressType === 'FQDN') {
    const error = address.includes('.')
      ? dns1123SubdomainError(address)
      : 'should be a domain with at least two segments separated by dots';
    if (error) return invalidValue(address, error);
  }
  return undefined;
}

function checkEndpoints(endpoints: Endpoint[], addressType: string, issue: Issue): void {
  if (endpoints.length > MAX_ENDPOINTS) return issue(['endpoints'], tooMany(endpoints.length, MAX_ENDPOINTS));
  endpoints.forEach((endpoint, i) => {
    const path = ['endpoints', i, 'addresses'];
    if (endpoint.addresses.length === 0) issue(path, requiredValue('must contain at least 1 address'));
    else if (endpoint.addresses.length > MAX_ADDRESSES)
      issue(path, tooMany(endpoint.addresses.length, MAX_ADDRESSES));
    endpoint.addresses.forEach((address, j) => {
      const error = checkAddress(addressType, address);
      if (error) issue([...path, j], error);
    });
    if (endpoint.nodeName !== undefined) {
      const error = dns1123SubdomainError(endpoint.nodeName);
      if (error) issue(['endpoints', i, 'nodeName'], invalidValue(endpoint.nodeName, error));
    }
    if (endpoint.hostname !== undefined) {
      const error = dns1123LabelError(endpoint.hostname);
      if (error) issue(['endpoints', i, 'hostname'], invalidValue(endpoint.hostname, error));
    }
  });
}

function checkPorts(ports: EndpointPort[], issue: Issue): void {
  if (ports.length > MAX_PORTS) return issue(['ports'], tooMany(ports.length, MAX_PORTS));
  const names = new Set<string>();
  ports.forEach((port, i) => {
    if (port.name !== '') {
      const error = dns1123LabelError(port.name);
      if (error) issue(['ports', i, 'name'], invalidValue(port.name, error));
    }
    if (names.has(port.name)) issue(['ports', i, 'name'], duplicateValue(port.name));
    names.add(port.name);
    if (!PROTOCOLS.includes(port.protocol))
      issue(['ports', i, 'protocol'], unsupportedValue(port.protocol, PROTOCOLS));
    if (port.appProtocol !== undefined) {
      const error = qualifiedNameError(port.appProtocol);
      if (error) issue(['ports', i, 'appProtocol'], invalidValue(port.appProtocol, error));
    }
  });
}

/**
 * discovery.k8s.io/v1 EndpointSlice: a share of a Service's endpoints (addresses, readiness,
 * where they run) and the ports they serve, as kube's ValidateEndpointSlice checks them. The
 * EndpointSlice controller (lib/controllers/endpoint-slice) keeps the slices of every Service with
 * a selector; slices without its managed-by label are left to whoever wrote them.
 */
export const EndpointSlice = z
  .object({
    apiVersion: z.literal('discovery.k8s.io/v1'),
    kind: z.literal('EndpointSlice'),
    metadata: ObjectMeta.prefault({}),
    addressType: z.string().default(''),
    endpoints: z.array(Endpoint).default([]),
    ports: z.array(EndpointPort).optional(),
  })
  .superRefine((slice, ctx) => {
    const issue: Issue = (path, message) => ctx.addIssue({ code: 'custom', path, message });
    if (slice.addressType === '') issue(['addressType'], requiredValue());
    else if (!ADDRESS_TYPES.includes(slice.addressType))
      issue(['addressType'], unsupportedValue(slice.addressType, ADDRESS_TYPES));
    checkEndpoints(slice.endpoints, slice.addressType, issue);
    checkPorts(slice.ports ?? [], issue);
  });
export type EndpointSlice = z.infer<typeof EndpointSlice>;

/** ValidateEndpointSliceUpdate: the address type is immutable. */
function validateEndpointSliceUpdate(object: KubeObject, old: KubeObject): FieldCause[] {
  if (object.addressType === old.addressType) return [];
  return [
    {
      reason: 'FieldValueInvalid',
      field: 'addressType',
      message: invalidValue(object.addressType, 'field is immutable'),
    },
  ];
}

export const EndpointSliceKind: KindInfo = {
  group: 'discovery.k8s.io',
  version: 'v1',
  kind: 'EndpointSlice',
  plural: 'endpointslices',
  singular: 'endpointslice',
  shortNames: [],
  namespaced: true,
  hasStatus: false,
  nameFormat: 'dns1123-subdomain',
  schema: EndpointSlice,
  fieldSelectors: {},
  validateUpdate: validateEndpointSliceUpdate,
};

/** The label naming the Service a slice belongs to. */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
/** The label saying which controller manages a slice, and kube's value for its own controller. */
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
export const ENDPOINT_SLICE_CONTROLLER = 'endpointslice-controller.k8s.io';
