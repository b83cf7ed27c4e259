import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * `npm start` as a user runs it: a separate process, objects persisted in a data folder, Ctrl-C to
 * stop. Every write the server acknowledged must be there after a restart.
 */
interface RunningServer {
  process: ChildProcess;
  url: string;
}

const MAIN = join(__dirname, '../../lib/local/main.ts');
const TSX = join(__dirname, '../../node_modules/.bin/tsx');

function startServer(dataDir: string): Promise<RunningServer> {
  const child = spawn(TSX, [MAIN, '--port', '0', '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const deadline = setTimeout(() => reject(new Error(`server did not start in 30 s:\n${output}`)), 30_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearTimeout(deadline);
        resolve({ process: child, url: match[1] });
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code} before listening:\n${output}`)));
  });
}

function interrupt(server: RunningServer): Promise<number | null> {
  return new Promise((resolve) => {
    server.process.once('exit', (code) => resolve(code));
    server.process.kill('SIGINT');
  });
}

describe('npm start', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'skiff-restart-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('listens on loopback, stops cleanly on Ctrl-C, and keeps every acknowledged write across a restart', async () => {
    const first = await startServer(dataDir);
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
    expect(await interrupt(first)).toBe(0);

    const second = await startServer(dataDir);
    try {
      const list = (await (await fetch(`${second.url}/api/v1/namespaces/default/configmaps`)).json()) as {
        items: { metadata: { name: string } }[];
      };
      expect(list.items.map((item) => item.metadata.name).sort()).toEqual([...acknowledged].sort());
    } finally {
      expect(await interrupt(second)).toBe(0);
    }
  }, 90_000);
});
