import { SKIFF_SERVICE_CIDR } from '../../config/env-names';
import { IPAddressKind, NodePortAllocationKind } from './allocation-kinds';
import type { Range } from './range-allocator';
import {
  DEFAULT_SERVICE_CIDR,
  NODE_PORT_RANGE,
  parseServiceCidr,
  staticBandSize,
  type ServiceCidr,
} from './service-cidr';

/** The cluster's Service ranges: where ClusterIPs and node ports come from. */
export interface ServiceNetwork {
  cidr: ServiceCidr;
  ips: Range;
  nodePorts: Range;
}

/**
 * The ranges for a service CIDR (kube-apiserver's --service-cluster-ip-range) and kube's default
 * node port range.
 * @example serviceNetwork('10.96.0.0/12').ips.valueAt(10) // '10.96.0.10'
 */
export function serviceNetwork(cidrText: string = DEFAULT_SERVICE_CIDR): ServiceNetwork {
  const cidr = parseServiceCidr(cidrText);
  const portCount = NODE_PORT_RANGE.last - NODE_PORT_RANGE.first + 1;
  return {
    cidr,
    ips: {
      first: 1,
      last: cidr.size - 2,
      staticBandEnd: staticBandSize(cidr.size),
      valueAt: (offset) => cidr.ipAt(offset),
      kind: IPAddressKind,
    },
    nodePorts: {
      first: NODE_PORT_RANGE.first,
      last: NODE_PORT_RANGE.last,
      staticBandEnd: NODE_PORT_RANGE.first + staticBandSize(portCount),
      valueAt: (port) => String(port),
      kind: NodePortAllocationKind,
    },
  };
}

let fromEnv: ServiceNetwork | undefined;

/**
 * The network SKIFF_SERVICE_CIDR names (default 10.96.0.0/12), read once. The API configuration
 * (lib/config/api-config.ts) validates the variable at cold start, so a bad value fails there.
 */
export function serviceNetworkFromEnv(env: Record<string, string | undefined> = process.env): ServiceNetwork {
  fromEnv ??= serviceNetwork(env[SKIFF_SERVICE_CIDR] || DEFAULT_SERVICE_CIDR);
  return fromEnv;
}
