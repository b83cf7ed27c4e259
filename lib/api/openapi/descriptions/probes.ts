import { typed, type TypeDescriptions } from './type-description';

/** Probes: how a node checks a container, and how often. */
export const PROBE_TYPES: TypeDescriptions = {
  Probe: {
    description: 'A periodic health check of a container; exactly one of exec, httpGet, tcpSocket and grpc.',
    fields: {
      exec: typed('ExecAction', 'Run a command in the container; exit code 0 is success.'),
      httpGet: typed('HTTPGetAction', 'Send an HTTP GET; a status from 200 to 399 is success.'),
      tcpSocket: typed('TCPSocketAction', 'Open a TCP connection; success if it connects.'),
      grpc: typed(
        'GRPCAction',
        "Call the gRPC health checking service. Accepted; Skiff's agent cannot run gRPC probes yet (they never count).",
      ),
      initialDelaySeconds: 'Seconds after the container starts before the first probe. Default 0.',
      timeoutSeconds: 'Seconds a probe may take before it counts as failed. Default 1.',
      periodSeconds: 'Seconds between probes. Default 10.',
      successThreshold:
        'Successes in a row, after a failure, for the probe to pass again. Default 1; must be 1 for liveness and startup probes.',
      failureThreshold: 'Failures in a row for the probe to fail. Default 3.',
      terminationGracePeriodSeconds:
        "Grace period for stopping the container after this (liveness or startup) probe fails, instead of the pod's.",
    },
  },
  ExecAction: {
    description: 'A command run inside the container.',
    fields: { command: 'The command and its arguments, run directly (not in a shell).' },
  },
  HTTPGetAction: {
    description: 'An HTTP GET request to the container.',
    fields: {
      path: 'Path to request. Default /.',
      port: "Port number, or the name of one of the container's ports.",
      host: 'Host to connect to; the pod IP by default. Set a Host header in httpHeaders instead to name a virtual host.',
      scheme: 'HTTP (default) or HTTPS; HTTPS certificates are not verified.',
      httpHeaders: typed('HTTPHeader', 'Headers to send.'),
    },
  },
  HTTPHeader: {
    description: 'A header of a probe request.',
    fields: { name: 'Header name.', value: 'Header value.' },
  },
  TCPSocketAction: {
    description: 'A TCP connection attempt.',
    fields: {
      port: "Port number, or the name of one of the container's ports.",
      host: 'Host to connect to; the pod IP by default.',
    },
  },
  GRPCAction: {
    description: 'A call to the standard gRPC health service.',
    fields: {
      port: 'Port number of the gRPC server.',
      service: 'Service name passed in the health check request; empty checks the server as a whole.',
    },
  },
};
