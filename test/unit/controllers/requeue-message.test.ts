import type { Controller } from '../../../lib/controllers/controller';
import {
  decodeRequeue,
  encodeRequeue,
  MAX_SQS_DELAY_SECONDS,
  RequeueMessageError,
} from '../../../lib/controllers/requeue-message';
import type { KindInfo } from '../../../lib/kinds/kind-info';
import { findKindByKind } from '../../../lib/kinds/registry';

const Job = findKindByKind('batch/v1', 'Job') as KindInfo;
const Namespace = findKindByKind('v1', 'Namespace') as KindInfo;

const aController = (name: string, kind: KindInfo): Controller => ({
  name,
  kind,
  watches: [],
  reconcile: async () => ({}),
});
const jobController = aController('job-controller', Job);
const namespaceController = aController('namespace-controller', Namespace);
const controllers = [jobController, namespaceController];

const jobKey = { kind: Job, namespace: 'default', name: 'nightly' };

describe('requeue message', () => {
  it('round-trips a namespaced key to the same controller and key', () => {
    const { body, delaySeconds } = encodeRequeue({
      controller: 'job-controller',
      key: jobKey,
      afterSeconds: 30,
    });
    expect(delaySeconds).toBe(30);
    expect(JSON.parse(body)).toEqual({
      controller: 'job-controller',
      apiVersion: 'batch/v1',
      kind: 'Job',
      namespace: 'default',
      name: 'nightly',
    });
    const decoded = decodeRequeue(body, controllers);
    expect(decoded.task.controller).toBe(jobController);
    expect(decoded.task.key).toEqual(jobKey);
    expect(decoded.remainingDelaySeconds).toBe(0);
  });

  it('round-trips a cluster-scoped key without a namespace', () => {
    const key = { kind: Namespace, namespace: undefined, name: 'team-a' };
    const { body } = encodeRequeue({ controller: 'namespace-controller', key, afterSeconds: 5 });
    expect(JSON.parse(body)).not.toHaveProperty('namespace');
    expect(decodeRequeue(body, controllers).task).toEqual({ controller: namespaceController, key });
  });

  it.each([
    [0, 0, undefined],
    [0.2, 1, undefined],
    [899.5, 900, undefined],
    [900, 900, undefined],
    [901, 900, 1],
    [3600, 900, 2700],
  ])('after %ss waits %ss on SQS and carries %s s more in the message', (after, delay, remaining) => {
    const { body, delaySeconds } = encodeRequeue({
      controller: 'job-controller',
      key: jobKey,
      afterSeconds: after,
    });
    expect(delaySeconds).toBe(delay);
    expect(delaySeconds).toBeLessThanOrEqual(MAX_SQS_DELAY_SECONDS);
    expect(JSON.parse(body).remainingDelaySeconds).toBe(remaining);
    expect(decodeRequeue(body, controllers).remainingDelaySeconds).toBe(remaining ?? 0);
  });

  it('treats a negative delay as due now', () => {
    expect(encodeRequeue({ controller: 'job-controller', key: jobKey, afterSeconds: -3 }).delaySeconds).toBe(
      0,
    );
  });

  it.each([
    ['text that is not JSON', 'not json'],
    [
      'a message missing its name',
      JSON.stringify({ controller: 'job-controller', apiVersion: 'batch/v1', kind: 'Job' }),
    ],
    [
      'a message with a fractional remaining delay',
      JSON.stringify({
        controller: 'job-controller',
        apiVersion: 'batch/v1',
        kind: 'Job',
        name: 'x',
        remainingDelaySeconds: 1.5,
      }),
    ],
    [
      'an unknown controller',
      JSON.stringify({ controller: 'gone', apiVersion: 'batch/v1', kind: 'Job', name: 'x' }),
    ],
    [
      'an unknown kind',
      JSON.stringify({ controller: 'job-controller', apiVersion: 'batch/v9', kind: 'Job', name: 'x' }),
    ],
  ])('refuses %s with RequeueMessageError', (_case, body) => {
    expect(() => decodeRequeue(body, controllers)).toThrow(RequeueMessageError);
  });

  it('names the unknown controller in its error', () => {
    const body = JSON.stringify({ controller: 'gone', apiVersion: 'batch/v1', kind: 'Job', name: 'x' });
    expect(() => decodeRequeue(body, controllers)).toThrow('no controller named gone');
  });
});
