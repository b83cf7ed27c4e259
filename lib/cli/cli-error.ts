/**
 * A failure the user caused or can fix (a missing file, an unknown kind, a timeout): printed as
 * its message alone, and skiff exits 1. API errors (KubeApiError) are printed the same way.
 */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}
