import { request } from 'node:http';

export interface WaitForHttpOptions {
  /** Give up after this long. */
  timeoutMs: number;
  /** Called between attempts: a reason to stop waiting (the process exited), or undefined. */
  abandoned?: () => string | undefined;
}

/**
 * Waits until something answers HTTP at `url` (any status counts: DynamoDB engines answer a bare
 * GET with 400). Polls with a deadline because a spawned server gives no other sign of readiness
 * that is stable across versions.
 */
export async function waitForHttp(url: string, options: WaitForHttpOptions): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError = 'no attempt yet';
  let delayMs = 25;
  for (;;) {
    const reason = options.abandoned?.();
    if (reason !== undefined) throw new Error(`${url} will never answer: ${reason}`);
    try {
      await answers(url);
      return;
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() + delayMs > deadline) {
      throw new Error(`${url} did not answer within ${options.timeoutMs} ms (last error: ${lastError})`);
    }
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    delayMs = Math.min(delayMs * 2, 250);
  }
}

function answers(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', timeout: 2_000, agent: false }, (res) => {
      res.resume();
      resolve();
    });
    req.once('timeout', () => req.destroy(new Error('timed out')));
    req.once('error', reject);
    req.end();
  });
}
