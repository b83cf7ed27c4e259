import * as z from 'zod';
import { SyncResponse, type Hook, type SyncRequest } from './operator-spec';

/** A webhook's default deadline, Metacontroller's too. */
const DEFAULT_TIMEOUT_SECONDS = 10;
/** A function hook's deadline: a hook that never answers must not hold its parent's sync forever. */
const FUNCTION_TIMEOUT_SECONDS = 30;

/** A hook that threw, timed out, answered an error or an answer of the wrong shape. */
export class HookError extends Error {
  constructor(
    /** The Event and condition reason: HookFailed, HookTimedOut, HookInvalidResponse. */
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Calls a hook with `request` and answers its checked response. A function hook runs in this
 * process; a webhook gets the request POSTed as JSON and must answer 200 with JSON, as
 * Metacontroller's webhooks do. Every failure becomes a HookError whose reason says which kind.
 */
export async function callHook(hook: Hook, request: SyncRequest): Promise<SyncResponse> {
  const answer =
    typeof hook === 'function'
      ? await withTimeout(FUNCTION_TIMEOUT_SECONDS, async () => hook(structuredClone(request)))
      : await callWebhook(hook.webhook.url, hook.webhook.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS, request);
  const parsed = SyncResponse.safeParse(answer ?? {});
  if (!parsed.success)
    throw new HookError(
      'HookInvalidResponse',
      `the hook's answer is invalid: ${z.prettifyError(parsed.error)}`,
    );
  return parsed.data;
}

async function callWebhook(url: string, timeoutSeconds: number, request: SyncRequest): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
      signal: AbortSignal.timeout(timeoutSeconds * 1000),
    });
  } catch (error) {
    if ((error as { name?: unknown } | null)?.name === 'TimeoutError')
      throw new HookError('HookTimedOut', `the webhook ${url} did not answer within ${timeoutSeconds} s`);
    throw new HookError('HookFailed', `the webhook ${url} could not be called: ${messageOf(error)}`);
  }
  const text = await response.text();
  if (!response.ok)
    throw new HookError(
      'HookFailed',
      `the webhook ${url} answered ${response.status}: ${text.slice(0, 200)}`,
    );
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HookError('HookInvalidResponse', `the webhook ${url} answered something other than JSON`);
  }
}

async function withTimeout<T>(seconds: number, run: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new HookError('HookTimedOut', `the hook did not answer within ${seconds} s`)),
      seconds * 1000,
    );
  });
  try {
    return await Promise.race([
      run().catch((error: unknown) => {
        throw error instanceof HookError
          ? error
          : new HookError('HookFailed', `the hook threw: ${messageOf(error)}`);
      }),
      deadline,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
