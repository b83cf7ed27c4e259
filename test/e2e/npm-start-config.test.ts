import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { SKIFF_RESYNC_INTERVAL_SECONDS, SKIFF_RESYNC_TICK_SECONDS } from '../../lib/config/env-names';

/** `npm start` reads the resync schedule from the same variables as the reconciler functions. */
const MAIN = join(__dirname, '../../lib/local/main.ts');
const TSX = join(__dirname, '../../node_modules/.bin/tsx');

function npmStart(args: string[], env: Record<string, string> = {}) {
  return spawnSync(TSX, [MAIN, ...args], {
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, ...env },
  });
}

describe('npm start configuration', () => {
  it('documents the resync variables in --help', () => {
    const help = npmStart(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain(SKIFF_RESYNC_INTERVAL_SECONDS);
    expect(help.stdout).toContain(SKIFF_RESYNC_TICK_SECONDS);
  });

  it('refuses to start with an invalid resync tick, naming the variable', () => {
    const refused = npmStart(['--in-memory', '--port', '0'], { [SKIFF_RESYNC_TICK_SECONDS]: '0' });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(SKIFF_RESYNC_TICK_SECONDS);
    expect(refused.stdout).not.toContain('listening');
  });
});
