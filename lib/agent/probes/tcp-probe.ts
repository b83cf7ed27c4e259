import { connect } from 'node:net';
import { joinHostPort, type ProbeOutcome } from './probe-target';

/**
 * A tcpSocket probe (DoTCPProbe): success when a connection opens within the timeout, closed at
 * once; otherwise failure with Go's dial error, e.g. `dial tcp 127.0.0.1:80: connect: connection
 * refused` or `dial tcp 10.0.0.9:80: i/o timeout`.
 */
export function tcpProbe(host: string, port: number, timeoutSeconds: number): Promise<ProbeOutcome> {
  const address = joinHostPort(host, port);
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const timer = setTimeout(
      () => finish({ result: 'failure', message: `dial tcp ${address}: i/o timeout` }),
      timeoutSeconds * 1000,
    );
    timer.unref();
    function finish(outcome: ProbeOutcome): void {
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    }
    socket.once('connect', () => finish({ result: 'success' }));
    socket.once('error', (error: NodeJS.ErrnoException) =>
      finish({ result: 'failure', message: `dial tcp ${address}: ${dialError(error)}` }),
    );
  });
}

/** A connection error as Go words it. */
export function dialError(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ECONNREFUSED':
      return 'connect: connection refused';
    case 'EHOSTUNREACH':
      return 'connect: no route to host';
    case 'ENETUNREACH':
      return 'connect: network is unreachable';
    case 'ECONNRESET':
      return 'read: connection reset by peer';
    default:
      return error.message;
  }
}
