import type { KubeObject } from '../../../lib/kinds/meta';
import { startLocalControlPlane, type LocalControlPlane } from '../../../lib/local/local-control-plane';
import { openWatch, type WatchEvent } from '../../support/watch-stream';

/** Kubernetes' watch verb against the local control plane, over HTTP as clients speak it. */
describe('watch on the local control plane', () => {
  let plane: LocalControlPlane;
  const ns = (name: string) => `${plane.url}/api/v1/namespaces/${name}`;

  beforeAll(async () => {
    plane = await startLocalControlPlane({ port: 0, controllers: [], bookmarkSeconds: 1 });
    for (const name of ['watch-a', 'watch-b'])
      await send('POST', `${plane.url}/api/v1/namespaces`, { metadata: { name } });
  });
  afterAll(() => plane.stop());

  async function send(method: string, url: string, body?: unknown, contentType = 'application/json') {
    const response = await fetch(url, {
      method,
      headers: { 'content-type': contentType },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await response.json()) as KubeObject & { code?: number };
    if (response.status >= 300)
      throw new Error(`${method} ${url}: ${response.status} ${JSON.stringify(json)}`);
    return json;
  }
  const configMap = (
    namespace: string,
    name: string,
    data: Record<string, string>,
    labels?: Record<string, string>,
  ) => send('POST', `${ns(namespace)}/configmaps`, { metadata: { name, labels }, data });
  const patch = (namespace: string, name: string, body: unknown) =>
    send('PATCH', `${ns(namespace)}/configmaps/${name}`, body, 'application/merge-patch+json');
  const remove = (namespace: string, name: string) => send('DELETE', `${ns(namespace)}/configmaps/${name}`);
  const summary = (event: WatchEvent | undefined) => event && `${event.type} ${event.object.metadata.name}`;

  it('sends the current objects as ADDED, then every change, the deletion at its own revision', async () => {
    const created = await configMap('watch-a', 'existing', { v: '1' });
    const watch = await openWatch(`${ns('watch-a')}/configmaps?watch=true`);
    expect(watch.status).toBe(200);
    expect(summary(await watch.next())).toBe('ADDED existing');
    const modified = await patch('watch-a', 'existing', { data: { v: '2' } });
    const event = await watch.next();
    expect(event?.type).toBe('MODIFIED');
    expect(event?.object.metadata.resourceVersion).toBe(modified.metadata.resourceVersion);
    expect((event?.object as { data?: unknown }).data).toEqual({ v: '2' });
    await remove('watch-a', 'existing');
    const deleted = await watch.next();
    expect(summary(deleted)).toBe('DELETED existing');
    expect(Number(deleted?.object.metadata.resourceVersion)).toBeGreaterThan(
      Number(modified.metadata.resourceVersion),
    );
    expect(Number(modified.metadata.resourceVersion)).toBeGreaterThan(
      Number(created.metadata.resourceVersion),
    );
    watch.close();
  });

  it('resumes after a list: a change made between the list and the watch is not lost', async () => {
    const list = await send('GET', `${ns('watch-a')}/configmaps`);
    const since = (list.metadata as { resourceVersion: string }).resourceVersion;
    await configMap('watch-a', 'between', { v: '1' });
    const watch = await openWatch(`${ns('watch-a')}/configmaps?watch=true&resourceVersion=${since}`);
    expect(summary(await watch.next())).toBe('ADDED between');
    await patch('watch-a', 'between', { data: { v: '2' } });
    expect(summary(await watch.next())).toBe('MODIFIED between');
    watch.close();
  });

  it('turns label changes into ADDED and DELETED for a watch with a label selector', async () => {
    const watch = await openWatch(
      `${ns('watch-a')}/configmaps?watch=true&labelSelector=app%3Dweb&resourceVersion=${await head()}`,
    );
    await configMap('watch-a', 'unlabelled', { v: '1' });
    await patch('watch-a', 'unlabelled', { metadata: { labels: { app: 'web' } } });
    expect(summary(await watch.next())).toBe('ADDED unlabelled');
    await patch('watch-a', 'unlabelled', { data: { v: '2' } });
    expect(summary(await watch.next())).toBe('MODIFIED unlabelled');
    await patch('watch-a', 'unlabelled', { metadata: { labels: { app: 'db' } } });
    const left = await watch.next();
    expect(summary(left)).toBe('DELETED unlabelled');
    expect(left?.object.metadata.labels).toEqual({ app: 'db' });
    watch.close();
  });

  it('follows one object with fieldSelector=metadata.name, as kubectl get NAME -w asks', async () => {
    const watch = await openWatch(`${ns('watch-a')}/configmaps?watch=true&fieldSelector=metadata.name%3Done`);
    await configMap('watch-a', 'other', { v: '1' });
    await configMap('watch-a', 'one', { v: '1' });
    expect(summary(await watch.next())).toBe('ADDED one');
    watch.close();
  });

  it('watches all namespaces, one namespace, and cluster-scoped kinds', async () => {
    const from = await head();
    const all = await openWatch(`${plane.url}/api/v1/configmaps?watch=true&resourceVersion=${from}`);
    const onlyB = await openWatch(`${ns('watch-b')}/configmaps?watch=true&resourceVersion=${from}`);
    const namespaces = await openWatch(`${plane.url}/api/v1/namespaces?watch=true&resourceVersion=${from}`);
    await configMap('watch-a', 'in-a', {});
    await configMap('watch-b', 'in-b', {});
    await send('POST', `${plane.url}/api/v1/namespaces`, { metadata: { name: 'watch-c' } });
    expect([summary(await all.next()), summary(await all.next())]).toEqual(['ADDED in-a', 'ADDED in-b']);
    expect(summary(await onlyB.next())).toBe('ADDED in-b');
    expect(summary(await namespaces.next())).toBe('ADDED watch-c');
    for (const watch of [all, onlyB, namespaces]) watch.close();
  });

  it('ends the stream after timeoutSeconds', async () => {
    const started = Date.now();
    const watch = await openWatch(
      `${ns('watch-b')}/configmaps?watch=true&timeoutSeconds=1&resourceVersion=${await head()}`,
    );
    expect(await watch.rest(5000)).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('sends BOOKMARK events with the revision reached only to watches that allow them', async () => {
    const at = await head();
    const bookmarked = await openWatch(
      `${ns('watch-b')}/configmaps?watch=true&allowWatchBookmarks=true&timeoutSeconds=3&resourceVersion=${at}`,
    );
    const plain = await openWatch(
      `${ns('watch-b')}/configmaps?watch=true&timeoutSeconds=3&resourceVersion=${at}`,
    );
    const written = await configMap('watch-a', 'elsewhere', {});
    const events = await bookmarked.rest(6000);
    const bookmarks = events.filter((event) => event.type === 'BOOKMARK');
    expect(bookmarks.length).toBeGreaterThanOrEqual(1);
    expect(bookmarks[0].object.kind).toBe('ConfigMap');
    // The change elsewhere is not this watch's, but the position it reached moves past it.
    expect(Number(bookmarks.at(-1)?.object.metadata.resourceVersion)).toBeGreaterThanOrEqual(
      Number(written.metadata.resourceVersion),
    );
    expect(await plain.rest(6000)).toEqual([]);
  });

  it('answers a revision beyond the cluster with an ERROR event (ResourceVersionTooLarge)', async () => {
    const watch = await openWatch(
      `${ns('watch-a')}/configmaps?watch=true&resourceVersion=${(await head()) + 1000}`,
    );
    const [error] = await watch.rest();
    expect(error.type).toBe('ERROR');
    expect(error.object).toMatchObject({ kind: 'Status', code: 504, reason: 'Timeout' });
  });

  it("refuses a resourceVersion that is not a revision with 400 and etcd's message, no causes", async () => {
    const response = await fetch(`${ns('watch-a')}/configmaps?watch=true&resourceVersion=abc`);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'invalid resource version: resourceVersion: Invalid value: "abc": strconv.ParseUint: parsing "abc": invalid syntax',
      reason: 'BadRequest',
      code: 400,
    });
  });

  it('sends Table events when asked for tables, as kubectl get -w does', async () => {
    const watch = await openWatch(`${ns('watch-a')}/configmaps?watch=true&resourceVersion=${await head()}`, {
      accept: 'application/json;as=Table;v=v1;g=meta.k8s.io',
    });
    await configMap('watch-a', 'tabled', { a: '1', b: '2' });
    const event = await watch.next();
    expect(event?.type).toBe('ADDED');
    const table = event?.object as unknown as { kind: string; rows: { cells: unknown[] }[] };
    expect(table.kind).toBe('Table');
    expect(table.rows).toHaveLength(1);
    expect(table.rows[0].cells.slice(0, 2)).toEqual(['tabled', 2]);
    watch.close();
  });

  it('streams the initial state closed by an initial-events-end BOOKMARK for sendInitialEvents', async () => {
    await configMap('watch-b', 'initial', { v: '1' });
    const query =
      'watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true';
    const watch = await openWatch(`${ns('watch-b')}/configmaps?${query}`);
    const events: WatchEvent[] = [];
    for (let event = await watch.next(); event?.type === 'ADDED'; event = await watch.next())
      events.push(event);
    const names = events.map((event) => event.object.metadata.name);
    expect(names).toContain('initial');
    const end = await openWatch(`${ns('watch-b')}/configmaps?${query}`);
    const all = [await end.next(), await end.next(), await end.next()];
    const bookmark = all.find((event) => event?.type === 'BOOKMARK');
    expect(bookmark?.object.metadata.annotations).toEqual({ 'k8s.io/initial-events-end': 'true' });
    const state = Number(bookmark?.object.metadata.resourceVersion);
    expect(state).toBeGreaterThanOrEqual(
      Math.max(...events.map((event) => Number(event.object.metadata.resourceVersion))),
    );
    await patch('watch-b', 'initial', { data: { v: '2' } });
    const next = await end.next();
    expect(summary(next)).toBe('MODIFIED initial');
    expect(Number(next?.object.metadata.resourceVersion)).toBeGreaterThan(state);
    for (const stream of [watch, end]) stream.close();
  });

  it('refuses watch-list options kube-apiserver refuses, with 422 and the field', async () => {
    const cases = [
      ['sendInitialEvents=true&allowWatchBookmarks=true', 'resourceVersionMatch'],
      ['sendInitialEvents=true&resourceVersionMatch=NotOlderThan', 'allowWatchBookmarks'],
      ['resourceVersionMatch=NotOlderThan', 'resourceVersionMatch'],
    ];
    for (const [query, field] of cases) {
      const response = await fetch(`${ns('watch-a')}/configmaps?watch=true&${query}`);
      expect(response.status).toBe(422);
      const status = (await response.json()) as { reason: string; details: { causes: { field: string }[] } };
      expect(status.reason).toBe('Invalid');
      expect(status.details.causes.map((cause) => cause.field)).toEqual([field]);
    }
  });

  async function head(): Promise<number> {
    const list = await send('GET', `${ns('watch-a')}/configmaps?limit=1`);
    return Number((list.metadata as { resourceVersion: string }).resourceVersion);
  }
});

describe('a watch from a revision the log no longer holds', () => {
  let plane: LocalControlPlane;
  beforeAll(async () => {
    plane = await startLocalControlPlane({ port: 0, controllers: [], changeLog: { maxRecords: 20 } });
  });
  afterAll(() => plane.stop());

  it('gets 410 Expired as an ERROR event; a client re-lists and resumes from the new revision', async () => {
    const url = `${plane.url}/api/v1/namespaces/default/configmaps`;
    const first = (await (await fetch(url)).json()) as { metadata: { resourceVersion: string } };
    for (let i = 0; i < 30; i++)
      await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ metadata: { name: `cm-${i}` } }),
      });
    const stale = await openWatch(`${url}?watch=true&resourceVersion=${first.metadata.resourceVersion}`);
    expect(stale.status).toBe(200);
    const events = await stale.rest();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'ERROR',
      object: { kind: 'Status', code: 410, reason: 'Expired' },
    });
    expect(events[0].object.message).toMatch(/^too old resource version: \d+ \(\d+\)$/);

    const relisted = (await (await fetch(url)).json()) as {
      items: unknown[];
      metadata: { resourceVersion: string };
    };
    expect(relisted.items).toHaveLength(30);
    const resumed = await openWatch(`${url}?watch=true&resourceVersion=${relisted.metadata.resourceVersion}`);
    await fetch(`${url}/cm-0`, { method: 'DELETE' });
    const next = await resumed.next();
    expect(next).toMatchObject({ type: 'DELETED', object: { metadata: { name: 'cm-0' } } });
    resumed.close();
  });
});
