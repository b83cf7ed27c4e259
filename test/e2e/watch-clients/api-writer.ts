import { aConfigMap, aDeployment, aNamespace } from '../../support/builders';

/** The parts of a written object the watch tests compare with what clients saw. */
export interface WrittenObject {
  metadata: { name: string; namespace?: string; resourceVersion: string };
  data?: Record<string, string>;
}

/** A write's answer, and when it arrived: the start of every latency these tests measure. */
export interface Write {
  object: WrittenObject;
  /** `performance.now()` once the answer was read: for latencies measured in this process. */
  respondedAt: number;
  /** `Date.now()` at the same moment: for latencies against another process's clock on this machine. */
  respondedAtUnixMs: number;
}

/**
 * The other client: writes over plain HTTP (fetch) while kubectl, Python and client-go watch.
 * Every write must succeed; a refused one fails the test with the server's answer.
 */
export class ApiWriter {
  constructor(private readonly baseUrl: string) {}

  async createNamespace(name: string): Promise<Write> {
    return this.send('POST', '/api/v1/namespaces', aNamespace({ name }));
  }

  /** Creates ConfigMap `name` with `data.seq` = `seq`. */
  async createConfigMap(namespace: string, name: string, seq: number, data = {}): Promise<Write> {
    const manifest = aConfigMap({ name, namespace, data: { ...data, seq: String(seq) } });
    return this.send('POST', `/api/v1/namespaces/${namespace}/configmaps`, manifest);
  }

  /** Sets `data.seq` (and any other `data`) with a merge patch: one change, one new resourceVersion. */
  async updateConfigMap(namespace: string, name: string, seq: number, data = {}): Promise<Write> {
    return this.send('PATCH', `/api/v1/namespaces/${namespace}/configmaps/${name}`, {
      data: { ...data, seq: String(seq) },
    });
  }

  async deleteConfigMap(namespace: string, name: string): Promise<Write> {
    return this.send('DELETE', `/api/v1/namespaces/${namespace}/configmaps/${name}`);
  }

  async createDeployment(namespace: string, name: string, replicas: number): Promise<Write> {
    const manifest = aDeployment({ name, namespace, replicas });
    return this.send('POST', `/apis/apps/v1/namespaces/${namespace}/deployments`, manifest);
  }

  /** Sets `spec.replicas` with a merge patch, as `kubectl scale` would. */
  async scaleDeployment(namespace: string, name: string, replicas: number): Promise<Write> {
    return this.send('PATCH', `/apis/apps/v1/namespaces/${namespace}/deployments/${name}`, {
      spec: { replicas },
    });
  }

  private async send(method: string, path: string, body?: unknown): Promise<Write> {
    const contentType = method === 'PATCH' ? 'application/merge-patch+json' : 'application/json';
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': contentType },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const respondedAt = performance.now();
    const respondedAtUnixMs = Date.now();
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
    return { object: JSON.parse(text) as WrittenObject, respondedAt, respondedAtUnixMs };
  }
}
