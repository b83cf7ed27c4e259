import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalControlPlane } from '../../lib/local/local-control-plane';
import { aReplicaSet } from '../support/builders';
import { eventually } from '../support/eventually';

/**
 * A record that never reached a controller (here: written while no controller ran) must not leave
 * its object unconverged: the resync sweep reconciles it once it has gone unwritten for an interval.
 */
describe('the local resync sweep', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'skiff-resync-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('converges an object whose stream record no controller saw', async () => {
    const without = await startLocalControlPlane({ port: 0, dataDir, controllers: [] });
    const created = await fetch(`${without.url}/apis/apps/v1/namespaces/default/replicasets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(aReplicaSet({ name: 'missed', replicas: 2, podLabels: { app: 'missed' } })),
    });
    expect(created.status).toBe(201);
    await without.stop();

    const plane = await startLocalControlPlane({
      port: 0,
      dataDir,
      resync: { intervalSeconds: 1, tickSeconds: 1 },
    });
    try {
      await eventually(async () => {
        const pods = (await (await fetch(`${plane.url}/api/v1/namespaces/default/pods`)).json()) as {
          items: unknown[];
        };
        expect(pods.items).toHaveLength(2);
      }, 15_000);
    } finally {
      await plane.stop();
    }
  }, 30_000);
});
