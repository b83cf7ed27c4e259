import * as z from 'zod';
import { apiVersionOf } from '../kinds/kind-info';
import { findKindByKind } from '../kinds/registry';
import type { Controller, ObjectKey } from './controller';
import type { Task } from './record-keys';

/** The longest delay SQS puts on one message (15 minutes). */
export const MAX_SQS_DELAY_SECONDS = 900;

/** "Look at this key again after this many seconds", as a reconcile's result asks. */
export interface Requeue {
  controller: string;
  key: ObjectKey;
  afterSeconds: number;
}

/**
 * The body of one message on the requeue queue. A delay longer than SQS allows travels as
 * `remainingDelaySeconds`: the consumer sends the message on again instead of reconciling early.
 */
export const RequeueMessage = z.object({
  controller: z.string().min(1),
  apiVersion: z.string().min(1),
  kind: z.string().min(1),
  namespace: z.string().min(1).optional(),
  name: z.string().min(1),
  remainingDelaySeconds: z.int().positive().optional(),
});
export type RequeueMessage = z.infer<typeof RequeueMessage>;

/** One message to send: its body and the delay SQS holds it for. */
export interface OutgoingRequeue {
  body: string;
  delaySeconds: number;
}

/** A decoded message: the reconcile it asks for, or the delay still to wait before running it. */
export interface IncomingRequeue {
  task: Task;
  /** Seconds still to wait; 0 when the reconcile is due now. */
  remainingDelaySeconds: number;
}

/** The requeue message is not JSON, does not fit RequeueMessage, or names no known controller or kind. */
export class RequeueMessageError extends Error {
  override readonly name = 'RequeueMessageError';
}

/**
 * Encodes a requeue as a message: the first up-to-15-minute stretch of the delay is SQS's
 * DelaySeconds, the rest rides in the body. Fractions of a second round up (never early).
 *
 * @example encodeRequeue({ controller: 'job-controller', key, afterSeconds: 3600 })
 * // { delaySeconds: 900, body: '{"controller":"job-controller",...,"remainingDelaySeconds":2700}' }
 */
export function encodeRequeue({ controller, key, afterSeconds }: Requeue): OutgoingRequeue {
  const total = Math.max(0, Math.ceil(afterSeconds));
  const delaySeconds = Math.min(total, MAX_SQS_DELAY_SECONDS);
  const remaining = total - delaySeconds;
  const message: RequeueMessage = {
    controller,
    apiVersion: apiVersionOf(key.kind),
    kind: key.kind.kind,
    ...(key.namespace !== undefined ? { namespace: key.namespace } : {}),
    name: key.name,
    ...(remaining > 0 ? { remainingDelaySeconds: remaining } : {}),
  };
  return { body: JSON.stringify(message), delaySeconds };
}

/**
 * Decodes a message body into the reconcile it asks for, finding its controller by name in
 * `controllers`. Throws RequeueMessageError when that cannot be done: retrying will not help.
 */
export function decodeRequeue(body: string, controllers: readonly Controller[]): IncomingRequeue {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new RequeueMessageError('requeue message is not JSON');
  }
  const parsed = RequeueMessage.safeParse(json);
  if (!parsed.success)
    throw new RequeueMessageError(`invalid requeue message: ${z.prettifyError(parsed.error)}`);
  const message = parsed.data;
  const controller = controllers.find((c) => c.name === message.controller);
  if (!controller) throw new RequeueMessageError(`no controller named ${message.controller}`);
  const kind = findKindByKind(message.apiVersion, message.kind);
  if (!kind) throw new RequeueMessageError(`unknown kind ${message.apiVersion} ${message.kind}`);
  return {
    task: {
      controller,
      key: { kind, namespace: kind.namespaced ? message.namespace : undefined, name: message.name },
    },
    remainingDelaySeconds: message.remainingDelaySeconds ?? 0,
  };
}
