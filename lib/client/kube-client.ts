import { KubeApiError, type StatusBody } from './api-error';
import { queryString, resourcePath, type ResourceRef } from './resource-path';
import { readLines } from './read-lines';

export type Query = Record<string, string | number | boolean | undefined>;

/** How a PATCH body is to be read, by its content type. */
const PATCH_TYPES = {
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  json: 'application/json-patch+json',
} as const;
export type PatchType = keyof typeof PATCH_TYPES;

export interface WatchEvent<T> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: T;
}

export interface ObjectList<T> {
  items: T[];
  metadata: { resourceVersion?: string; continue?: string };
}

/**
 * Where a long-running client's bearer tokens come from (the node agent's instance-role token):
 * token() for each request, which may hand out a cached one; renew() when the API answered 401
 * to it, so the next token() is freshly made.
 */
export interface BearerTokenProvider {
  token(): Promise<string | undefined>;
  renew(): void;
}

export interface KubeClientOptions {
  /** The API's base URL: `http://127.0.0.1:8080`, or an API Gateway stage URL. */
  server: string;
  /**
   * A bearer token for each request (tokens expire, so asked for each time); none locally. A
   * provider that can renew gets one more try with a new token after a 401.
   */
  token?: (() => Promise<string | undefined>) | BearerTokenProvider;
  userAgent?: string;
}

/**
 * A small REST client for Skiff's (and kube-apiserver's) API over fetch: what the node agent and
 * the skiff CLI need, speaking JSON. Errors are KubeApiError carrying the Status, so callers
 * branch on reasons. It keeps no cache and no connection state beyond fetch's own pool.
 */
export class KubeClient {
  private readonly base: string;
  private readonly token: () => Promise<string | undefined>;
  /** Set when the token source can make a new token: a 401 is then tried once more. */
  private readonly renew: (() => void) | undefined;

  constructor(private readonly options: KubeClientOptions) {
    this.base = options.server.replace(/\/+$/, '');
    const source = options.token;
    if (source === undefined) this.token = async () => undefined;
    else if (typeof source === 'function') this.token = source;
    else {
      this.token = () => source.token();
      this.renew = () => source.renew();
    }
  }

  get server(): string {
    return this.base;
  }

  async get<T>(ref: ResourceRef, query?: Query): Promise<T> {
    return this.request<T>('GET', resourcePath(ref), { query });
  }

  async list<T>(ref: ResourceRef, query?: Query): Promise<ObjectList<T>> {
    return this.request<ObjectList<T>>('GET', resourcePath(ref), { query });
  }

  async create<T>(ref: ResourceRef, body: unknown, query?: Query): Promise<T> {
    return this.request<T>('POST', resourcePath(ref), { body, query });
  }

  async replace<T>(ref: ResourceRef, body: unknown, query?: Query): Promise<T> {
    return this.request<T>('PUT', resourcePath(ref), { body, query });
  }

  async patch<T>(ref: ResourceRef, patch: unknown, type: PatchType = 'merge', query?: Query): Promise<T> {
    return this.request<T>('PATCH', resourcePath(ref), {
      body: patch,
      contentType: PATCH_TYPES[type],
      query,
    });
  }

  /** DELETE with DeleteOptions in the body (gracePeriodSeconds, propagationPolicy, preconditions). */
  async delete<T>(ref: ResourceRef, options?: Record<string, unknown>): Promise<T> {
    return this.request<T>('DELETE', resourcePath(ref), {
      body: options ? { kind: 'DeleteOptions', apiVersion: 'v1', ...options } : undefined,
    });
  }

  /**
   * Watches from `resourceVersion` (or from a fresh list's state when omitted), calling `onEvent`
   * for each event in order; resolves when the server ends the stream or `signal` aborts it. An
   * ERROR event (410 Gone: the version is too old) is passed on: the caller lists again.
   * `accept` asks for another rendering of the objects (a Table, for `skiff get -w`).
   */
  async watch<T>(
    ref: ResourceRef,
    query: Query,
    onEvent: (event: WatchEvent<T>) => void | Promise<void>,
    signal?: AbortSignal,
    accept?: string,
  ): Promise<void> {
    const response = await this.send('GET', resourcePath(ref), {
      query: { ...query, watch: true, allowWatchBookmarks: true },
      signal,
      accept,
    });
    if (!response.body) return;
    try {
      for await (const line of readLines(response.body)) {
        if (line.trim() === '') continue;
        await onEvent(JSON.parse(line) as WatchEvent<T>);
      }
    } catch (error) {
      if (signal?.aborted) return;
      throw error;
    }
  }

  /** A text response as it arrives (pod logs with `follow`): chunks of UTF-8 text. */
  async *stream(path: string, query?: Query, signal?: AbortSignal): AsyncIterable<string> {
    const response = await this.send('GET', path, { query, signal, accept: 'text/plain, */*' });
    if (!response.body) return;
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        yield decoder.decode(chunk, { stream: true });
      }
    } catch (error) {
      if (signal?.aborted) return;
      throw error;
    }
    const rest = decoder.decode();
    if (rest) yield rest;
  }

  /** Any request answered with JSON (discovery, subresources, Tables with `accept`): the decoded body. */
  async request<T>(
    method: string,
    path: string,
    options: {
      body?: unknown;
      contentType?: string;
      query?: Query;
      signal?: AbortSignal;
      accept?: string;
    } = {},
  ): Promise<T> {
    const response = await this.send(method, path, options);
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  private async send(
    method: string,
    path: string,
    options: { body?: unknown; contentType?: string; query?: Query; signal?: AbortSignal; accept?: string },
  ): Promise<Response> {
    const headers: Record<string, string> = { accept: options.accept ?? 'application/json' };
    if (this.options.userAgent) headers['user-agent'] = this.options.userAgent;
    let body: string | undefined;
    if (options.body !== undefined) {
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
      headers['content-type'] = options.contentType ?? 'application/json';
    }
    const url = `${this.base}${path}${queryString(options.query)}`;
    const attempt = async (): Promise<Response> => {
      const token = await this.token();
      if (token) headers.authorization = `Bearer ${token}`;
      else delete headers.authorization;
      return fetch(url, { method, headers, body, signal: options.signal });
    };
    let response = await attempt();
    // A token the API no longer takes (expired while a clock drifted, signed before a role
    // changed): one more try with a new one, as client-go's exec plugin re-runs the plugin on 401.
    if (response.status === 401 && headers.authorization !== undefined && this.renew !== undefined) {
      await response.body?.cancel();
      this.renew();
      response = await attempt();
    }
    if (response.ok) return response;
    const text = await response.text();
    throw new KubeApiError(response.status, statusOf(text, response.status), method, path);
  }
}

/** The Status in an error body; a body that is not one (a proxy's page) becomes its message. */
function statusOf(text: string, code: number): StatusBody {
  try {
    const parsed = JSON.parse(text) as StatusBody;
    if (parsed && typeof parsed === 'object') return { code, ...parsed };
  } catch {
    // not JSON: fall through
  }
  return { code, message: text.slice(0, 500) || `the server answered ${code}` };
}
