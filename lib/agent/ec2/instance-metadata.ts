/** Where instances reach their metadata service when nothing says otherwise. */
export const DEFAULT_METADATA_ENDPOINT = 'http://169.254.169.254';

/** The variable the AWS SDKs read for another endpoint (an emulator, IPv6); the agent reads the same. */
export const METADATA_ENDPOINT_VARIABLE = 'AWS_EC2_METADATA_SERVICE_ENDPOINT';

/** How long a session token lives: IMDSv2's maximum, six hours, so one token serves a whole start. */
const TOKEN_TTL_SECONDS = 21_600;
/** Renew a little before the service would refuse the token. */
const TOKEN_RENEW_MARGIN_MS = 60_000;
/** IMDS answers in milliseconds on a healthy instance; a hung call must not hang the agent's start. */
const REQUEST_TIMEOUT_MS = 2_000;

/** A metadata call that failed: which path, and why (a status, or a network error). */
export class InstanceMetadataError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
    readonly status?: number,
  ) {
    super(`instance metadata ${path}: ${reason}`);
    this.name = 'InstanceMetadataError';
  }
}

export interface InstanceMetadataOptions {
  /** Default: AWS_EC2_METADATA_SERVICE_ENDPOINT, else http://169.254.169.254. */
  endpoint?: string;
  /** Default: process.env, for the endpoint variable. */
  env?: NodeJS.ProcessEnv;
  now?: () => number;
}

/** The metadata endpoint as the AWS SDKs resolve it: the variable if set, else the link-local address. */
export function metadataEndpoint(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env[METADATA_ENDPOINT_VARIABLE]?.trim();
  return (configured === undefined || configured === '' ? DEFAULT_METADATA_ENDPOINT : configured).replace(
    /\/+$/,
    '',
  );
}

/**
 * A client of the instance metadata service, IMDSv2 only: a session token from
 * `PUT /latest/api/token`, then GETs that carry it. The launch template requires tokens
 * (`httpTokens: required`) with a hop limit of 1, so only processes on the host itself, never a
 * container behind a bridge, get one.
 *
 * @example
 *   const metadata = new InstanceMetadataClient();
 *   const instanceId = await metadata.get('meta-data/instance-id');
 */
export class InstanceMetadataClient {
  readonly endpoint: string;
  private readonly now: () => number;
  private token: { value: string; expiresAt: number } | undefined;

  constructor(options: InstanceMetadataOptions = {}) {
    this.endpoint = (options.endpoint ?? metadataEndpoint(options.env)).replace(/\/+$/, '');
    this.now = options.now ?? Date.now;
  }

  /**
   * The text at `/latest/<path>`, e.g. `meta-data/placement/availability-zone`. Throws
   * InstanceMetadataError naming the path on any status but 200 (404: this instance has no such
   * item) or when the service cannot be reached. A 401 (the token expired early) is retried once
   * with a new token.
   */
  async get(path: string): Promise<string> {
    const first = await this.request(path, await this.sessionToken());
    if (first.status !== 401) return this.textOf(path, first);
    this.token = undefined;
    return this.textOf(path, await this.request(path, await this.sessionToken()));
  }

  /** Like get, but undefined when the item does not exist (404) rather than an error. */
  async getIfPresent(path: string): Promise<string | undefined> {
    try {
      return await this.get(path);
    } catch (error) {
      if (error instanceof InstanceMetadataError && error.status === 404) return undefined;
      throw error;
    }
  }

  private async sessionToken(): Promise<string> {
    if (this.token !== undefined && this.token.expiresAt - TOKEN_RENEW_MARGIN_MS > this.now()) {
      return this.token.value;
    }
    const path = 'api/token';
    const answer = await this.call(path, {
      method: 'PUT',
      headers: { 'X-aws-ec2-metadata-token-ttl-seconds': String(TOKEN_TTL_SECONDS) },
    });
    const value = (await this.textOf(path, answer)).trim();
    if (value === '') throw new InstanceMetadataError(path, 'the service answered an empty token');
    this.token = { value, expiresAt: this.now() + TOKEN_TTL_SECONDS * 1000 };
    return value;
  }

  private request(path: string, token: string): Promise<Response> {
    return this.call(path, { method: 'GET', headers: { 'X-aws-ec2-metadata-token': token } });
  }

  private async call(path: string, init: RequestInit): Promise<Response> {
    const url = `${this.endpoint}/latest/${path}`;
    try {
      return await fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    } catch (error) {
      const cause = error instanceof Error ? (error.cause ?? error) : error;
      const reason = cause instanceof Error ? cause.message : String(cause);
      throw new InstanceMetadataError(path, `${url} could not be reached (${reason})`);
    }
  }

  private async textOf(path: string, answer: Response): Promise<string> {
    const body = await answer.text();
    if (answer.status !== 200) {
      const reason = answer.status === 404 ? 'not found (404)' : `HTTP ${answer.status}`;
      throw new InstanceMetadataError(path, reason, answer.status);
    }
    return body;
  }
}
