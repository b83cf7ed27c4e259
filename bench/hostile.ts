import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processCpuMs } from './support/cpu-time';
import { spawnLocalServer } from '../test/support/spawn-local-server';
import { HOSTILE_CASES, SETUP, type HostileRequest } from './support/hostile-cases';

/**
 * `npm run bench:hostile`: the worst requests of at most 1 MB we know of (patch amplifiers,
 * quadratic list merges, huge and deep bodies), each sent to `npm start --api-only` in its own
 * process while a second client polls `/healthz`. For each it prints the server's CPU time for
 * the request (target <= 1 s) and the slowest `/healthz` answer while it ran (target <= 100 ms),
 * with the ratios measured/target. `--quick` runs each case once, as CI does.
 */
const CPU_TARGET_MS = 1000;
const HEALTHZ_TARGET_MS = 100;

interface Figures {
  name: string;
  status: number;
  bytes: number;
  cpuMs: number;
  wallMs: number;
  healthzMs: number;
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const repeats = quick ? 1 : 3;
  const dataDir = mkdtempSync(join(tmpdir(), 'skiff-bench-hostile-'));
  const server = await spawnLocalServer({ args: ['--data-dir', dataDir, '--api-only'] });
  const results: Figures[] = [];
  try {
    for (const request of SETUP) await expectStatus(server.url, request);
    for (const hostile of HOSTILE_CASES) {
      let worst: Figures | undefined;
      for (let i = 0; i < repeats; i++) {
        const figures = await measure(server.url, server.pid, hostile);
        if (!worst || figures.cpuMs > worst.cpuMs) worst = figures;
      }
      if (worst) results.push(worst);
    }
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  print(results, repeats);
  const over = results.filter((r) => r.status >= 500);
  if (over.length > 0) throw new Error(`server errors: ${over.map((r) => r.name).join(', ')}`);
}

/** Sends one hostile request while polling /healthz, and reads the server's CPU clock around it. */
async function measure(url: string, pid: number, hostile: HostileRequest): Promise<Figures> {
  const body = typeof hostile.body === 'string' ? hostile.body : JSON.stringify(hostile.body);
  let running = true;
  let healthzMs = 0;
  const poll = (async () => {
    while (running) {
      const started = performance.now();
      await fetch(`${url}/healthz`).then((r) => r.text());
      healthzMs = Math.max(healthzMs, performance.now() - started);
    }
  })();
  const cpuBefore = processCpuMs(pid);
  const started = performance.now();
  const answer = await fetch(`${url}${hostile.path}`, {
    method: hostile.method,
    headers: { 'content-type': hostile.contentType ?? 'application/json' },
    body,
  });
  await answer.text();
  const wallMs = performance.now() - started;
  const cpuMs = processCpuMs(pid) - cpuBefore;
  running = false;
  await poll;
  return {
    name: hostile.name,
    status: answer.status,
    bytes: Buffer.byteLength(body),
    cpuMs,
    wallMs,
    healthzMs,
  };
}

async function expectStatus(url: string, request: HostileRequest): Promise<void> {
  const answer = await fetch(`${url}${request.path}`, {
    method: request.method,
    headers: { 'content-type': request.contentType ?? 'application/json' },
    body: JSON.stringify(request.body),
  });
  if (answer.status >= 300) throw new Error(`setup ${request.name}: ${answer.status} ${await answer.text()}`);
}

function print(results: Figures[], repeats: number): void {
  console.log(
    `\nHostile requests to npm start --api-only (embedded engine), the worst of ${repeats} run(s) each;` +
      ` targets: server CPU <= ${CPU_TARGET_MS} ms, /healthz <= ${HEALTHZ_TARGET_MS} ms while it runs`,
  );
  console.log(
    'request                                                        bytes  status  CPU ms  ratio  wall ms  healthz ms  ratio',
  );
  for (const r of results)
    console.log(
      `${r.name.padEnd(60)} ${String(r.bytes).padStart(8)}  ${String(r.status).padStart(6)}  ${r.cpuMs.toFixed(0).padStart(6)}  ${(r.cpuMs / CPU_TARGET_MS).toFixed(2).padStart(5)}  ${r.wallMs.toFixed(0).padStart(7)}  ${r.healthzMs.toFixed(1).padStart(10)}  ${(r.healthzMs / HEALTHZ_TARGET_MS).toFixed(2).padStart(5)}`,
    );
  const cpu = Math.max(...results.map((r) => r.cpuMs));
  const healthz = Math.max(...results.map((r) => r.healthzMs));
  console.log(
    `worst: CPU ${cpu.toFixed(0)} ms (ratio ${(cpu / CPU_TARGET_MS).toFixed(2)}), /healthz ${healthz.toFixed(1)} ms (ratio ${(healthz / HEALTHZ_TARGET_MS).toFixed(2)})`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
