import { typed, type TypeDescriptions } from './type-description';
import { METADATA_FIELD } from './object-meta';

/** Services, stable addresses for a set of pods, and the EndpointSlices listing those pods. */
export const SERVICE_TYPES: TypeDescriptions = {
  Service: {
    description:
      'A stable address and ports in front of the pods its selector picks (their ready endpoints are listed in EndpointSlices), or a DNS alias for an external name.',
    fields: {
      metadata: METADATA_FIELD,
      spec: typed('ServiceSpec', 'How the Service is exposed and which pods it sends to.'),
      status: typed('ServiceStatus', 'The load balancer, when there is one.'),
    },
  },
  ServiceSpec: {
    description: 'The desired state of a Service.',
    fields: {
      type: 'ClusterIP (default: a virtual IP inside the cluster), NodePort (also a port on every node), LoadBalancer (also an external load balancer: accepted, but Skiff provisions none) or ExternalName (a DNS alias only).',
      ports: typed('ServicePort', 'The ports the Service exposes.'),
      selector:
        'Labels of the pods traffic goes to. Without a selector, no EndpointSlices are managed for the Service.',
      clusterIP:
        'The virtual IP, allocated from the service range (SKIFF_SERVICE_CIDR, default 10.96.0.0/12) when empty, or None for a headless Service (no IP; DNS lists the pods). Cannot be changed.',
      clusterIPs: 'The cluster IPs, one per IP family, the first equal to clusterIP.',
      externalIPs: 'Addresses outside the cluster that also route to the Service. Kept as written.',
      externalName: 'For type ExternalName: the DNS name the Service is an alias (CNAME) for.',
      sessionAffinity: 'None (default) or ClientIP: send each client to the same pod.',
      sessionAffinityConfig: typed('SessionAffinityConfig', 'Settings of ClientIP affinity.'),
      loadBalancerIP: 'Deprecated: the address asked of the load balancer.',
      loadBalancerSourceRanges: 'Client CIDRs the load balancer admits.',
      loadBalancerClass: 'Which load balancer implementation should handle the Service.',
      allocateLoadBalancerNodePorts: 'Whether a LoadBalancer Service gets node ports. Default true.',
      externalTrafficPolicy:
        'Cluster (default) or Local: whether outside traffic may go to pods on other nodes than the one it arrived at.',
      internalTrafficPolicy:
        'Cluster (default) or Local: the same choice for traffic from inside the cluster.',
      healthCheckNodePort:
        'For LoadBalancer with externalTrafficPolicy Local: the node port for health checks.',
      publishNotReadyAddresses: 'List pods in the endpoints even when they are not ready.',
      ipFamilies: 'IPv4 and/or IPv6, in order of the cluster IPs.',
      ipFamilyPolicy: 'SingleStack, PreferDualStack or RequireDualStack.',
      trafficDistribution: 'A preference for how traffic is spread, e.g. PreferClose.',
    },
  },
  ServicePort: {
    description: 'One port of a Service.',
    fields: {
      name: 'Name of the port; required, and unique, when there are several.',
      protocol: 'TCP (default), UDP or SCTP.',
      appProtocol: 'The application protocol, e.g. http or kubernetes.io/h2c, for tools that care.',
      port: 'The port the Service listens on.',
      targetPort: "The pods' port: a number, or the name of a container port. Defaults to port.",
      nodePort: 'For NodePort and LoadBalancer: the port on every node, allocated when empty.',
    },
  },
  SessionAffinityConfig: {
    description: 'Session affinity settings.',
    fields: { clientIP: typed('ClientIPConfig', 'Settings of ClientIP affinity.') },
  },
  ClientIPConfig: {
    description: 'ClientIP affinity settings.',
    fields: { timeoutSeconds: 'How long a client sticks to its pod. Default 10800 (three hours).' },
  },
  ServiceStatus: {
    description: 'The observed state of a Service.',
    fields: {
      loadBalancer: typed(
        'LoadBalancerStatus',
        'The external load balancer. Stays empty on Skiff, which provisions none.',
      ),
      conditions: typed('Condition', 'Conditions reported about the Service.'),
    },
  },
  LoadBalancerStatus: {
    description: 'The addresses of a load balancer.',
    fields: { ingress: typed('LoadBalancerIngress', 'Its addresses.') },
  },
  LoadBalancerIngress: {
    description: 'An address of a load balancer.',
    fields: {
      ip: 'Its IP address.',
      hostname: 'Its DNS name.',
      ipMode: 'VIP or Proxy: how traffic reaches the pods.',
      ports: 'Status of each port.',
    },
  },
  EndpointSlice: {
    description:
      "A share of a Service's endpoints: pod addresses with their readiness and the ports they serve. The EndpointSlice controller keeps those of every Service with a selector (label kubernetes.io/service-name); others are left to whoever wrote them.",
    fields: {
      metadata: METADATA_FIELD,
      addressType: 'IPv4, IPv6 or FQDN: the kind of every address in the slice. Cannot be changed.',
      endpoints: typed('Endpoint', 'The endpoints, at most 1000.'),
      ports: typed('EndpointPort', 'The ports every endpoint of the slice serves.'),
    },
  },
  Endpoint: {
    description: 'One backend of a Service, usually a pod.',
    fields: {
      addresses: "Its addresses, of the slice's addressType; consumers treat them as one backend.",
      conditions: typed('EndpointConditions', 'Whether it can take traffic.'),
      hostname: "Its DNS hostname, e.g. the pod's spec.hostname.",
      targetRef: typed('ObjectReference', 'The object behind it, usually a Pod.'),
      deprecatedTopology: 'Deprecated topology labels. Kept as written.',
      nodeName: 'The node it runs on.',
      zone: 'The zone it runs in.',
      hints: 'Routing hints for topology-aware routing. Kept as written.',
    },
  },
  EndpointConditions: {
    description: 'The readiness of an endpoint.',
    fields: {
      ready:
        'Whether it should take traffic: serving and not terminating (or the Service publishes not-ready addresses).',
      serving: 'Whether it passes its readiness checks, even while terminating.',
      terminating: 'Whether it is being deleted.',
    },
  },
  EndpointPort: {
    description: 'A port the endpoints serve.',
    fields: {
      name: 'Name of the Service port it implements; empty when the Service has a single unnamed port.',
      protocol: 'TCP (default), UDP or SCTP.',
      port: 'The port number on the endpoints.',
      appProtocol: 'The application protocol, copied from the Service port.',
    },
  },
  Endpoints: {
    description:
      "A Service's addresses and the ports they serve, in subsets (the older form of EndpointSlices; kube 1.33 deprecates it). The endpoints controller keeps those of every Service with a selector, under the Service's name; others are left to whoever wrote them.",
    fields: {
      metadata: METADATA_FIELD,
      subsets: typed('EndpointSubset', 'Groups of addresses that serve the same ports.'),
    },
  },
  EndpointSubset: {
    description: 'Addresses that all serve the same ports.',
    fields: {
      addresses: typed('EndpointAddress', 'Addresses ready for traffic.'),
      notReadyAddresses: typed(
        'EndpointAddress',
        'Addresses not ready yet (or no longer), not sent traffic.',
      ),
      ports: typed('CoreEndpointPort', 'The ports every address of the subset serves.'),
    },
  },
  EndpointAddress: {
    description: 'One address behind a Service, usually a pod.',
    fields: {
      ip: 'The IP; not unspecified, loopback or link-local.',
      hostname: "Its DNS hostname, e.g. the pod's spec.hostname.",
      nodeName: 'The node it runs on.',
      targetRef: typed('ObjectReference', 'The object behind it, usually a Pod.'),
    },
  },
  CoreEndpointPort: {
    description: 'A port the addresses of a subset serve.',
    fields: {
      name: 'Name of the Service port it implements; required when the subset has several.',
      port: 'The port number, 1 to 65535.',
      protocol: 'TCP (default), UDP or SCTP.',
      appProtocol: 'The application protocol, copied from the Service port.',
    },
  },
};
