import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startLocalControlPlane, type LocalControlPlane } from '../../lib/local/local-control-plane';
import {
  ensureKubernetesPython,
  KUBERNETES_PYTHON,
  watchClientSkippedBanner,
  writeKubeconfig,
} from './watch-clients/watch-client-tools';

const SCRIPT = join(__dirname, 'python-client/configmap_crud.py');
const missing = ensureKubernetesPython();
const required = process.env.CI === 'true';
if (missing && !required)
  process.stderr.write(
    watchClientSkippedBanner(
      'the Python client',
      'npm run engines:fetch installs it (it needs python3 with venv).',
      missing,
    ),
  );

/**
 * The official Python client's generated API against the local control plane: each verb on a
 * ConfigMap, as a Python program calls them. Its create sends the POST without a Content-Type,
 * which kube-apiserver (and so Skiff) reads as JSON.
 */
(missing && !required ? describe.skip : describe)(
  'the local API, through the Python kubernetes client',
  () => {
    let plane: LocalControlPlane;
    let workDir: string;

    beforeAll(async () => {
      if (missing) throw new Error(`the Python client is required in CI: ${missing}`);
      plane = await startLocalControlPlane({ port: 0, controllers: [] });
      workDir = mkdtempSync(join(tmpdir(), 'skiff-python-client-'));
    });
    afterAll(async () => {
      await plane?.stop();
      rmSync(workDir, { recursive: true, force: true });
    });

    it('creates, reads, patches, replaces and deletes a ConfigMap, with kube’s answers to a second create and a read after delete', async () => {
      const kubeconfig = writeKubeconfig(workDir, plane.url);
      const { stdout } = await promisify(execFile)(
        KUBERNETES_PYTHON,
        [SCRIPT, '--kubeconfig', kubeconfig, '--namespace', 'default', '--name', 'from-python'],
        { timeout: 60_000 },
      );
      const calls = stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>);

      const versions = calls.map((call) => call.resourceVersion).filter((rv) => rv !== undefined);
      expect(calls.map(({ resourceVersion: _rv, ...rest }) => rest)).toEqual([
        { call: 'create', data: { step: 'created' } },
        { call: 'create again', status: 409, reason: 'AlreadyExists' },
        { call: 'read', data: { step: 'created' } },
        { call: 'patch', data: { step: 'patched' } },
        { call: 'replace', data: { step: 'replaced' } },
        // The client reads a deletion's Status into a V1Status, which has no data.
        { call: 'delete', data: null },
        { call: 'read after delete', status: 404, reason: 'NotFound' },
      ]);
      // create and read agree; each write moved the version on.
      expect(versions[0]).toBe(versions[1]);
      expect(new Set(versions.slice(1, 4)).size).toBe(3);
    });
  },
);
