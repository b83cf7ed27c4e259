import { createApiHandler } from '../../lib/api/api-handler';
import { ConfigMapKind } from '../../lib/kinds/config-map';
import { decodeObject } from '../../lib/kinds/decode';
import { NamespaceKind } from '../../lib/kinds/namespace';
import { startLocalRuntime } from '../../lib/local/local-runtime';
import { aConfigMap, aNamespace } from '../../test/support/builders';

/** CPU time of one list of LIST_SIZE ConfigMaps, with a given number of objects stored in all. */
export interface ListScaling {
  stored: number;
  listCpuMs: number;
}

const LIST_SIZE = 1000;
const LISTS = 20;
/** Other objects go into this many namespaces, as a cluster's would. */
const OTHER_NAMESPACES = 100;

/**
 * Lists 1,000 ConfigMaps through the API handler on the local runtime (embedded engine read
 * through its TableMirror), first with only them stored, then with `largeStore` objects stored in
 * all: the median CPU time of a list, for each. A list should cost what it returns, not what the
 * table holds.
 */
export async function measureListScaling(largeStore: number): Promise<ListScaling[]> {
  const runtime = await startLocalRuntime({ controllers: [] });
  try {
    const api = createApiHandler({ store: runtime.store });
    const create = async (kind: typeof ConfigMapKind, manifest: unknown) =>
      runtime.store.create(kind, decodeObject(kind, manifest).object);
    await create(NamespaceKind, aNamespace({ name: 'listed' }));
    for (let i = 0; i < LIST_SIZE; i++)
      await create(ConfigMapKind, aConfigMap({ name: `cm-${i}`, namespace: 'listed' }));
    const list = async () => {
      const started = process.cpuUsage();
      const answer = await api({
        method: 'GET',
        path: '/api/v1/namespaces/listed/configmaps',
        query: {},
        headers: {},
      });
      const used = process.cpuUsage(started);
      if (answer.statusCode !== 200) throw new Error(`list answered ${answer.statusCode}`);
      return (used.user + used.system) / 1000;
    };
    const median = async () => {
      const times: number[] = [];
      for (let i = 0; i < LISTS; i++) times.push(await list());
      times.sort((a, b) => a - b);
      return times[Math.floor(LISTS / 2)];
    };
    const results: ListScaling[] = [{ stored: LIST_SIZE + 1, listCpuMs: await median() }];
    for (let n = 0; n < OTHER_NAMESPACES; n++)
      await create(NamespaceKind, aNamespace({ name: `other-${n}` }));
    const others = largeStore - LIST_SIZE - OTHER_NAMESPACES - 1;
    for (let i = 0; i < others; i++)
      await create(
        ConfigMapKind,
        aConfigMap({ name: `cm-${i}`, namespace: `other-${i % OTHER_NAMESPACES}` }),
      );
    results.push({ stored: largeStore, listCpuMs: await median() });
    return results;
  } finally {
    await runtime.stop();
  }
}

/** The target: a list of 1,000 in a large table costs at most this many times one in a small table. */
const GROWTH_TARGET = 1.5;

/** Prints what measureListScaling found, with the growth beside its target and their ratio. */
export function printListScaling(scaling: ListScaling[]): void {
  console.log(
    `\nList of ${LIST_SIZE.toLocaleString('en-US')} ConfigMaps through the local API handler, by objects stored (median CPU of ${LISTS})`,
  );
  console.log('stored      CPU ms');
  for (const { stored, listCpuMs } of scaling)
    console.log(`${String(stored).padStart(7)}  ${listCpuMs.toFixed(2).padStart(8)}`);
  const growth = scaling[scaling.length - 1].listCpuMs / scaling[0].listCpuMs;
  console.log(
    `growth ${growth.toFixed(2)}x (target <= ${GROWTH_TARGET}x, ratio ${(growth / GROWTH_TARGET).toFixed(2)})`,
  );
}
