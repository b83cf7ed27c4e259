import { apiVersionOf } from '../../kinds/kind-info';
import type { KubeObject } from '../../kinds/meta';
import type { ChangeBatch, ChangeFeed } from '../../store/change-log/change-log';
import { ExpiredError, ResourceVersionTooLargeError } from '../../store/errors';
import { InvalidObjectError, type FieldCause } from '../../kinds/errors';
import { BadRequestError, MethodNotAllowedError } from '../errors';
import type { ApiResponse, BodyChunk } from '../http';
import { statusOf } from '../status';
import { toTable, wantsTable } from '../table/to-table';
import {
  bookmarkObject,
  eventLine,
  eventOf,
  type WatchEventType,
  type WatchScope,
} from '../watch/watch-events';
import { listOptionsOf } from './list-objects';
import { resourceVersionQuery } from './resource-version-query';
import type { VerbContext } from './verb-context';

/** How the API serves watches: where changes come from and how long a watch may last. */
export interface WatchSettings {
  feed: ChangeFeed;
  /** A BOOKMARK at least this often to watches that allow them (kube: about every minute). */
  bookmarkSeconds?: number;
  /**
   * The longest a watch lasts, whatever timeoutSeconds asks: a Lambda stream ends at 15 minutes,
   * so the API function sets 14; the local server leaves kube's default of up to an hour.
   */
  maxSeconds?: number;
}

const DEFAULT_BOOKMARK_SECONDS = 60;
/** kube-apiserver's --min-request-timeout: a watch without timeoutSeconds lasts 30 to 60 minutes. */
const MIN_REQUEST_TIMEOUT_SECONDS = 1800;

/**
 * GET on a collection with `watch=true`: the changes to the selected objects as newline-delimited
 * JSON events, as kube-apiserver streams them.
 * - `resourceVersion` unset or "0": the current objects first, as ADDED events, then every change
 *   after the revision they were listed at; otherwise every change after that revision.
 * - A revision the log no longer holds: an ERROR event carrying 410 Expired (so clients re-list).
 * - `timeoutSeconds` ends the stream cleanly; `allowWatchBookmarks` adds BOOKMARK events with the
 *   revision reached.
 */
export async function watchObjects(context: VerbContext, settings?: WatchSettings): Promise<ApiResponse> {
  const { route, request, store } = context;
  if (!settings) throw new MethodNotAllowedError('WATCH', route.kind.plural);
  const { feed: changes, bookmarkSeconds = DEFAULT_BOOKMARK_SECONDS } = settings;
  const { labelSelector, fieldSelector, namespace } = listOptionsOf(route, request);
  const scope: WatchScope = { kind: route.kind, options: { namespace, labelSelector, fieldSelector } };
  const timeoutMs = watchTimeoutSeconds(request.query.timeoutSeconds, settings.maxSeconds) * 1000;
  const bookmarks = isTrue(request.query.allowWatchBookmarks);
  const sendInitialEvents = watchListOption(request.query, bookmarks);
  const requested = request.query.resourceVersion;
  let start: number;
  let initial: KubeObject[] = [];
  if (sendInitialEvents || requested === undefined || requested === '' || requested === '0') {
    if (sendInitialEvents && requested && requested !== '0') await requireReached(settings.feed, requested);
    const list = await store.list(route.kind, scope.options);
    initial = list.items;
    start = Number(list.metadata.resourceVersion);
  } else start = resourceVersionQuery(requested);
  const asTable = wantsTable(request);
  const render = (type: WatchEventType, object: KubeObject) =>
    eventLine(type, asTable && type !== 'BOOKMARK' ? toTable(route.kind, [object], {}, request) : object);
  const signal = request.signal ?? new AbortController().signal;
  async function* events(): AsyncGenerator<BodyChunk> {
    for (const object of initial) yield render('ADDED', object);
    if (sendInitialEvents) yield eventLine('BOOKMARK', initialEventsEnd(route.kind, start));
    const stop = new AbortController();
    const onAbort = () => stop.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    const deadline = setTimeout(() => stop.abort(), timeoutMs);
    try {
      let position = start;
      const feed = changes.follow(start, stop.signal)[Symbol.asyncIterator]();
      const bookmarkMs = bookmarkSeconds * 1000;
      let pending: Promise<IteratorResult<ChangeBatch>> | undefined;
      for (;;) {
        pending ??= feed.next();
        const step = await (bookmarks ? raceTimer(pending, bookmarkMs) : pending);
        if (step === TIMER) {
          yield render('BOOKMARK', bookmarkObject(route.kind, apiVersionOf(route.kind), position));
          continue;
        }
        pending = undefined;
        if (step.done) break;
        let lines = '';
        for (const entry of step.value.entries) {
          const event = eventOf(scope, entry);
          if (event) lines += render(event.type, event.object);
        }
        position = step.value.through;
        if (lines) yield lines;
      }
    } catch (error) {
      if (!(error instanceof ExpiredError || error instanceof ResourceVersionTooLargeError)) throw error;
      yield eventLine('ERROR', statusOf(error));
    } finally {
      clearTimeout(deadline);
      signal.removeEventListener('abort', onAbort);
      stop.abort();
    }
  }
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: '',
    stream: events(),
  };
}

/**
 * `sendInitialEvents` (KEP-3157, the watch-list client-go informers use by default since 1.35):
 * whether the initial state is streamed as ADDED events closed by a BOOKMARK marked
 * `k8s.io/initial-events-end`. Checked as kube-apiserver checks ListOptions for a watch: it
 * needs resourceVersionMatch=NotOlderThan and allowWatchBookmarks, and resourceVersionMatch is
 * refused without it.
 */
function watchListOption(query: Record<string, string | undefined>, bookmarks: boolean): boolean {
  const { sendInitialEvents, resourceVersionMatch } = query;
  const causes: FieldCause[] = [];
  const forbidden = (field: string, detail: string) =>
    causes.push({ reason: 'FieldValueForbidden', message: `Forbidden: ${detail}`, field });
  if (sendInitialEvents === undefined || sendInitialEvents === '') {
    if (resourceVersionMatch)
      forbidden(
        'resourceVersionMatch',
        'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided',
      );
  } else {
    if (resourceVersionMatch !== 'NotOlderThan')
      forbidden(
        'resourceVersionMatch',
        'sendInitialEvents requires setting resourceVersionMatch to NotOlderThan',
      );
    if (isTrue(sendInitialEvents) && !bookmarks)
      forbidden('allowWatchBookmarks', 'sendInitialEvents requires setting allowWatchBookmarks to true');
  }
  if (causes.length > 0)
    throw new InvalidObjectError({ kind: 'ListOptions', group: 'meta.k8s.io' }, '', causes);
  return isTrue(sendInitialEvents);
}

/** The BOOKMARK that ends the initial events of a watch-list, at the revision they are the state at. */
function initialEventsEnd(kind: WatchScope['kind'], revision: number): KubeObject {
  const bookmark = bookmarkObject(kind, apiVersionOf(kind), revision);
  return {
    ...bookmark,
    metadata: { ...bookmark.metadata, annotations: { 'k8s.io/initial-events-end': 'true' } },
  };
}

/** A watch-list at least as new as `requested` (NotOlderThan): refused while the log is behind it. */
async function requireReached(feed: ChangeFeed, requested: string): Promise<void> {
  const revision = resourceVersionQuery(requested);
  const head = await feed.head();
  if (revision > head) throw new ResourceVersionTooLargeError(revision, head);
}

function isTrue(value: string | undefined): boolean {
  return value === 'true' || value === '1';
}

/** kube's rule: timeoutSeconds when given (and not 0), else a random time in [30, 60) minutes; capped by `max`. */
function watchTimeoutSeconds(text: string | undefined, max = Infinity): number {
  const seconds = text === undefined || text === '' ? 0 : Number(text);
  if (!Number.isInteger(seconds) || seconds < 0)
    throw new BadRequestError(
      `timeoutSeconds must be a non-negative integer, got "${text}"`,
      'timeoutSeconds',
    );
  return Math.min(max, seconds > 0 ? seconds : MIN_REQUEST_TIMEOUT_SECONDS * (1 + Math.random()));
}

const TIMER = Symbol('timer');

function raceTimer<T>(promise: Promise<T>, ms: number): Promise<T | typeof TIMER> {
  let timer: NodeJS.Timeout | undefined;
  const elapsed = new Promise<typeof TIMER>((resolve) => (timer = setTimeout(() => resolve(TIMER), ms)));
  return Promise.race([promise, elapsed]).finally(() => clearTimeout(timer));
}
