/** The Kubernetes `Status` an API error answers with, as far as a client reads it. */
export interface StatusBody {
  kind?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: {
    name?: string;
    kind?: string;
    causes?: { field?: string; message?: string; reason?: string }[];
  };
}

/**
 * An API request answered with an error status. Carries the Status so callers branch on its
 * reason (NotFound, AlreadyExists, Conflict) rather than on words of the message.
 */
export class KubeApiError extends Error {
  constructor(
    readonly code: number,
    readonly status: StatusBody,
    readonly method: string,
    readonly path: string,
  ) {
    super(status.message ?? `${method} ${path} answered ${code}`);
    this.name = 'KubeApiError';
  }

  get reason(): string | undefined {
    return this.status.reason;
  }
}

export function isNotFound(error: unknown): boolean {
  return error instanceof KubeApiError && error.code === 404;
}

export function isAlreadyExists(error: unknown): boolean {
  return error instanceof KubeApiError && error.code === 409 && error.reason === 'AlreadyExists';
}

export function isConflict(error: unknown): boolean {
  return error instanceof KubeApiError && error.code === 409 && error.reason === 'Conflict';
}
