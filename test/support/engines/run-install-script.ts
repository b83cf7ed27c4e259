import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT_ROOT } from './project-root';

const OUTPUT_TAIL_CHARS = 4_000;

/**
 * Runs one of scripts/engines/*.sh, so a fresh clone needs only `npm ci && npm test`. The scripts
 * are no-ops once their cache is present. Their output is shown as it comes (a first download
 * takes a minute and should say so) and its tail is kept for the error when one fails.
 */
export function runInstallScript(script: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [join(PROJECT_ROOT, 'scripts', 'engines', script)], {
      cwd: PROJECT_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const forward = (chunk: Buffer) => {
      process.stderr.write(chunk);
      output = (output + chunk.toString()).slice(-OUTPUT_TAIL_CHARS);
    };
    child.stdout.on('data', forward);
    child.stderr.on('data', forward);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      if (code === 0) resolve();
      else
        reject(new Error(`scripts/engines/${script} failed (${signal ?? `code ${code}`}): ${output.trim()}`));
    });
  });
}
