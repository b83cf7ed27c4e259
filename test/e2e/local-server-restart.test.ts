import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listeningAddresses, spawnLocalServer } from '../support/spawn-local-server';

/**
 * `npm start` as a user runs it: a separate process, objects persisted in a data folder, Ctrl-C to
 * stop. Every write the server acknowledged must be there after a restart.
 */
describe('npm start', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'skiff-restart-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('listens on loopback, stops cleanly on Ctrl-C, and keeps every acknowledged write across a restart', async () => {
    const first = await spawnLocalServer({ args: ['--data-dir', dataDir] });
    expect(listeningAddresses(first.pid)).toEqual([`127.0.0.1:${first.port}`]);
    const configMaps = `${first.url}/api/v1/namespaces/default/configmaps`;
    const acknowledged: string[] = [];
    await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        const name = `kept-${i}`;
        const response = await fetch(configMaps, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ metadata: { name }, data: { i: String(i) } }),
        });
        if (response.status === 201) acknowledged.push(name);
      }),
    );
    expect(acknowledged).toHaveLength(50);
    expect(await first.stop()).toBe('exited with code 0');

    const second = await spawnLocalServer({ args: ['--data-dir', dataDir] });
    try {
      const list = (await (await fetch(`${second.url}/api/v1/namespaces/default/configmaps`)).json()) as {
        items: { metadata: { name: string } }[];
      };
      expect(list.items.map((item) => item.metadata.name).sort()).toEqual([...acknowledged].sort());
    } finally {
      expect(await second.stop()).toBe('exited with code 0');
    }
  }, 90_000);
});
