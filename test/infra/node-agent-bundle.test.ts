import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { NODE_AGENT_FILE, NodeAgentBundle } from '../../infra/constructs/node-agent-bundle';
import { freePort } from '../support/engines/free-port';

describe('The node agent bundle', () => {
  let bundleDir: string;
  /** A copy of the bundle alone, outside the repository, so nothing resolves from node_modules. */
  let bareDir: string;
  let outdir: string;

  beforeAll(() => {
    // Bundling on, as in `cdk synth`: esbuild builds lib/agent/main.ts.
    const app = new App();
    outdir = app.outdir;
    const stack = new Stack(app, 'AgentBundleOnly');
    bundleDir = path.resolve(app.outdir, new NodeAgentBundle(stack, 'AgentBundle').asset.assetPath);
    bareDir = mkdtempSync(path.join(tmpdir(), 'skiff-agent-bundle-'));
    copyFileSync(path.join(bundleDir, NODE_AGENT_FILE), path.join(bareDir, NODE_AGENT_FILE));
  }, 120_000);
  afterAll(() => {
    rmSync(bareDir, { recursive: true, force: true });
    rmSync(outdir, { recursive: true, force: true });
  });

  /** Runs the bundle as systemd would, with only `env` (and PATH) in its environment. */
  function runBundle(env: Record<string, string>) {
    return spawnSync(process.execPath, [NODE_AGENT_FILE], {
      cwd: bareDir,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
      encoding: 'utf8',
      timeout: 30_000,
    });
  }

  it('is one JavaScript file and its source map', () => {
    expect(existsSync(path.join(bundleDir, NODE_AGENT_FILE))).toBe(true);
    expect(existsSync(path.join(bundleDir, `${NODE_AGENT_FILE}.map`))).toBe(true);
  });

  it('loads on a bare Node.js and refuses to start without SKIFF_API_URL, naming it', () => {
    const run = runBundle({});
    expect(run.stderr).toContain('SKIFF_API_URL must be the API URL');
    expect(run.status).toBe(1);
  });

  it('with an API URL, reads its identity from instance metadata first, naming the endpoint it could not reach', async () => {
    const nowhere = `http://127.0.0.1:${await freePort()}`;
    const run = runBundle({
      SKIFF_API_URL: 'http://127.0.0.1:9/',
      AWS_EC2_METADATA_SERVICE_ENDPOINT: nowhere,
    });
    expect(run.stderr).toContain(
      `instance metadata api/token: ${nowhere}/latest/api/token could not be reached`,
    );
    expect(run.status).toBe(1);
  });
});
