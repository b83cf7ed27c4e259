import type { Probe } from '../../kinds/probe';
import { execProbe } from './exec-probe';
import { httpProbe } from './http-probe';
import { ProbeError, joinHostPort, resolvePort, type ProbeOutcome, type ProbeTarget } from './probe-target';
import { tcpProbe } from './tcp-probe';

/** Kubernetes' default probe timeout, also taken for 0 (SetDefaults_Probe). */
const DEFAULT_TIMEOUT_SECONDS = 1;

/**
 * Runs one probe against a container, as the kubelet's prober does: `exec` through the runtime,
 * `httpGet` and `tcpSocket` to the probe's host or else the pod IP. A failed or timed-out check is
 * a `failure` with the kubelet's message.
 *
 * @throws ProbeError when the probe cannot be run: a named port the container does not have, no
 *   pod IP to connect to, exec in a container not running, or a `grpc` probe (not supported)
 */
export async function runProbe(probe: Probe, target: ProbeTarget): Promise<ProbeOutcome> {
  const timeoutSeconds = probe.timeoutSeconds || DEFAULT_TIMEOUT_SECONDS;
  if (probe.exec) return execProbe(probe.exec.command ?? [], target, timeoutSeconds);
  if (probe.httpGet) {
    const { scheme, path, port, httpHeaders } = probe.httpGet;
    const host = hostOf(probe.httpGet.host, target);
    const url = new URL(
      `${scheme.toLowerCase()}://${joinHostPort(host, resolvePort(port, target.container))}`,
    );
    // The path's own host, if it has one (`//other/x`), gives way to the probe's, as in formatURL.
    const parsed = new URL(path, 'http://path.invalid');
    url.pathname = parsed.pathname;
    url.search = parsed.search;
    return httpProbe({ url, headers: httpHeaders ?? [], timeoutSeconds });
  }
  if (probe.tcpSocket) {
    const host = hostOf(probe.tcpSocket.host, target);
    return tcpProbe(host, resolvePort(probe.tcpSocket.port, target.container), timeoutSeconds);
  }
  if (probe.grpc) throw new ProbeError('grpc probes are not supported by the Skiff agent');
  throw new ProbeError(`missing probe handler for ${target.ref.podUid}:${target.container.name}`);
}

function hostOf(host: string | undefined, target: ProbeTarget): string {
  const resolved = host || target.podIP;
  if (!resolved) throw new ProbeError(`no pod IP to probe container ${target.container.name}`);
  return resolved;
}
