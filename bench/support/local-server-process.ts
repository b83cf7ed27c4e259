import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/** A local control plane in its own process, as `npm start` runs it, for benchmarks. */
export interface ServerProcess {
  url: string;
  /** The server's own process (node runs it directly, so no wrapper stands between). */
  pid: number;
  stop(): Promise<void>;
}

const MAIN = join(__dirname, '../../lib/local/main.ts');
/** Starts `lib/local/main.ts` on a free port with `args` and waits until it prints its URL. */
export function startServerProcess(args: string[]): Promise<ServerProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', MAIN, '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const deadline = setTimeout(() => reject(new Error(`server did not start in 60 s:\n${output}`)), 60_000);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (!match) return;
      clearTimeout(deadline);
      resolve({
        url: match[1],
        pid: child.pid ?? 0,
        stop: () =>
          new Promise<void>((done) => {
            child.removeAllListeners('exit');
            child.once('exit', () => done());
            child.kill('SIGINT');
          }),
      });
    });
  });
}
