import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  ContainerRef,
  LogOptions,
  StartContainerRequest,
} from '../../../lib/agent/runtime/container-runtime';
import { ImagePullError, OciRuntime } from '../../../lib/agent/runtime/oci-runtime';
import type { EngineOptions } from '../../../lib/agent/runtime/oci/engine-cli';
import {
  ContainerAlreadyRunningError,
  ContainerNotRunningError,
  ContainerStartError,
} from '../../../lib/agent/runtime/process-runtime';
import { eventually } from '../../support/eventually';
import { BUSYBOX_IMAGE, podmanForTests, requireBusyboxImage } from '../../support/podman';

const podman = podmanForTests();
const describeWithPodman = podman ? describe : describe.skip;

/** A shell loop that exits 143 on SIGTERM, as a program handling it would (PID 1 ignores it otherwise). */
const RUN_UNTIL_TERM = 'trap "echo terminating; exit 143" TERM; echo started; while true; do sleep 0.1; done';

describeWithPodman('the container runtime under podman', () => {
  const engine = podman as EngineOptions;
  let dataDir: string;
  let runtime: OciRuntime;
  let pods = 0;
  const podsUsed: string[] = [];

  beforeAll(() => requireBusyboxImage(engine));
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'skiff-oci-'));
    runtime = new OciRuntime({ ...engine, dataDir });
  });
  afterEach(async () => {
    const cleaner = new OciRuntime({ ...engine, dataDir });
    await Promise.all((await cleaner.list()).map((container) => cleaner.stop(container, 0)));
    for (const podUid of podsUsed.splice(0)) await cleaner.removePod(podUid);
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** A fresh pod per test, so no two tests share an engine container name. */
  function aPod(container = 'app'): ContainerRef {
    pods += 1;
    const podUid = `pod-${process.pid}-${pods}`;
    podsUsed.push(podUid);
    return { podUid, container };
  }

  function start(ref: ContainerRef, script: string, more: Partial<StartContainerRequest> = {}) {
    return runtime.start({
      ...ref,
      attempt: 0,
      image: BUSYBOX_IMAGE,
      command: ['sh', '-c', script],
      env: {},
      ...more,
    });
  }

  async function logText(ref: ContainerRef, options: LogOptions = {}, from = runtime): Promise<string[]> {
    const lines: string[] = [];
    for await (const line of from.logs(ref, options)) lines.push(line.replace(/\n$/, ''));
    return lines;
  }

  function engineName(ref: ContainerRef, attempt = 0): string {
    return `skiff_${ref.podUid}_${ref.container}_${attempt}`;
  }

  /** Kills the `logs --follow` processes this test process started, as if the agent had died. */
  function killOwnLogFollowers(): void {
    for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
      const stat = readIfThere(`/proc/${pid}/stat`);
      const parent = stat?.slice(stat.lastIndexOf(')') + 2).split(' ')[1];
      const argv = readIfThere(`/proc/${pid}/cmdline`)?.split('\0') ?? [];
      if (Number(parent) === process.pid && argv.includes('logs') && argv.includes('--follow')) {
        process.kill(Number(pid), 'SIGKILL');
      }
    }
  }

  function engineRun(args: string[]): string {
    const result = spawnSync(engine.engine, [...(engine.engineArgs ?? []), ...args], {
      env: { ...process.env, ...engine.engineEnv },
      encoding: 'utf8',
    });
    return result.stdout;
  }

  it("serves HTTP from busybox httpd on the pod's own loopback IP", async () => {
    const pod = aPod('web');
    const podIP = `127.77.${process.pid % 250}.${(pods % 250) + 2}`;
    await start(
      pod,
      'mkdir -p /tmp/www && echo "hello from $POD_IP" > /tmp/www/index.html && exec httpd -f -p "$POD_IP:8080" -h /tmp/www',
      { env: { POD_IP: podIP } },
    );
    const body = await eventually(async () => {
      const response = await fetch(`http://${podIP}:8080/`);
      return response.text();
    });
    expect(body).toBe(`hello from ${podIP}\n`);
  });

  it('records the exit code and reason, stdout and stderr, with timestamps', async () => {
    const pod = aPod();
    const handle = await start(pod, 'echo to-stdout; echo to-stderr >&2; exit 3');
    await expect(handle.exited).resolves.toMatchObject({ exitCode: 3, reason: 'Error' });
    expect(handle.state()).toBe('exited');
    expect((await logText(pod)).sort()).toEqual(['to-stderr', 'to-stdout']);
    for (const line of await logText(pod, { timestamps: true })) {
      expect(line).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z to-std(out|err)$/);
    }
  });

  it("passes env exactly, line breaks and blanks included, and applies args alone over the image's CMD", async () => {
    const pod = aPod();
    const env = { MULTI: 'line one\nline two', SPACED: ' padded = value ', EMPTY: '' };
    const handle = await runtime.start({
      ...pod,
      attempt: 0,
      image: BUSYBOX_IMAGE,
      args: ['sh', '-c', 'printf "[%s]" "$MULTI" "$SPACED" "$EMPTY"; echo'],
      env,
    });
    await expect(handle.exited).resolves.toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(await logText(pod)).toEqual(['[line one', 'line two][ padded = value ][]']);
  });

  it('serves the previous attempt, the last lines and a followed log that ends at exit', async () => {
    const pod = aPod();
    const first = await start(pod, 'echo first-1; echo first-2; echo first-3');
    await expect(first.exited).resolves.toMatchObject({ exitCode: 0, reason: 'Completed' });
    await start(pod, 'for i in 1 2 3; do echo second-$i; sleep 0.2; done', { attempt: 1 });
    expect(await logText(pod, { follow: true })).toEqual(['second-1', 'second-2', 'second-3']);
    expect(await logText(pod, { previous: true })).toEqual(['first-1', 'first-2', 'first-3']);
    expect(await logText(pod, { previous: true, tailLines: 2 })).toEqual(['first-2', 'first-3']);
  });

  it('stops gracefully with the stop signal, and with SIGKILL after the grace period when it is ignored', async () => {
    const graceful = aPod('graceful');
    const stubborn = aPod('stubborn');
    await start(graceful, RUN_UNTIL_TERM);
    await start(stubborn, 'trap "" TERM; echo started; while true; do sleep 0.1; done');
    await eventually(async () => expect(await logText(graceful)).toContain('started'));
    await eventually(async () => expect(await logText(stubborn)).toContain('started'));

    await expect(runtime.stop(graceful, 10)).resolves.toMatchObject({ exitCode: 143, reason: 'Error' });
    expect(await logText(graceful)).toContain('terminating');
    const before = Date.now();
    await expect(runtime.stop(stubborn, 1)).resolves.toMatchObject({ exitCode: 137, reason: 'Error' });
    expect(Date.now() - before).toBeGreaterThanOrEqual(900);
    await expect(runtime.stop(stubborn, 1)).resolves.toMatchObject({ exitCode: 137 });
    await expect(runtime.stop(aPod(), 1)).resolves.toBeUndefined();
  });

  it('execs in the running container with its env: exit code, combined output, timeout', async () => {
    const pod = aPod();
    await start(pod, RUN_UNTIL_TERM, { env: { GREETING: 'hello' } });
    const result = await runtime.exec(pod, ['sh', '-c', 'echo "$GREETING"; echo oops >&2; exit 4'], 10);
    expect(result).toMatchObject({ exitCode: 4, timedOut: false });
    expect(result.output).toContain('hello\n');
    expect(result.output).toContain('oops\n');
    await expect(runtime.exec(pod, ['sleep', '30'], 1)).resolves.toMatchObject({ timedOut: true });
    await runtime.stop(pod, 5);
    await expect(runtime.exec(pod, ['true'], 5)).rejects.toThrow(ContainerNotRunningError);
  });

  it('lets a runtime restarted on the same data folder find a running container, resume its log and stop it', async () => {
    const pod = aPod();
    const handle = await start(pod, RUN_UNTIL_TERM);
    await eventually(async () => expect(await logText(pod)).toContain('started'));
    // The agent dies: its log follower goes with it, the container runs on and writes meanwhile.
    killOwnLogFollowers();
    expect(engineRun(['exec', engineName(pod), 'sh', '-c', 'echo while-away > /proc/1/fd/1'])).toBe('');

    const restarted = new OciRuntime({ ...engine, dataDir });
    const found = await restarted.list();
    expect(found).toEqual([
      expect.objectContaining({ ...pod, attempt: 0, pid: handle.pid, startedAt: handle.startedAt }),
    ]);
    const otherNode = mkdtempSync(join(tmpdir(), 'skiff-oci-other-'));
    expect(await new OciRuntime({ ...engine, dataDir: otherNode }).list()).toEqual([]);
    rmSync(otherNode, { recursive: true });

    await expect(restarted.exec(pod, ['echo', 'adopted'], 10)).resolves.toMatchObject({ exitCode: 0 });
    const followed = logText(pod, { follow: true }, restarted);
    await expect(restarted.stop(pod, 10)).resolves.toMatchObject({ exitCode: 143, reason: 'Error' });
    expect(await followed).toEqual(['started', 'while-away', 'terminating']);
    expect(await restarted.list()).toEqual([]);
  });

  it('follows a container listed while it starts only once', async () => {
    const pod = aPod();
    const starting = start(pod, 'sleep 0.5; echo once');
    let listing = true;
    const lists = (async () => {
      while (listing) await runtime.list();
    })();
    const handle = await starting;
    listing = false;
    await lists;
    await expect(handle.exited).resolves.toMatchObject({ exitCode: 0 });
    expect(await logText(pod)).toEqual(['once']);
  });

  it('refuses an image that is absent and cannot be pulled with ErrImagePull', async () => {
    const pod = aPod();
    const starting = start(pod, 'true', { image: 'localhost/skiff-missing:test' });
    await expect(starting).rejects.toThrow(ImagePullError);
    await expect(starting).rejects.toMatchObject({
      reason: 'ErrImagePull',
      image: 'localhost/skiff-missing:test',
    });
  });

  it("fails to start, with the engine's reason, a command the image does not have", async () => {
    const pod = aPod();
    const starting = runtime.start({
      ...pod,
      attempt: 0,
      image: BUSYBOX_IMAGE,
      command: ['/bin/no-such-program'],
      env: {},
    });
    await expect(starting).rejects.toThrow(ContainerStartError);
    await expect(starting).rejects.toThrow(/no-such-program/);
    expect(await runtime.list()).toEqual([]);
  });

  it("removes a stopped pod's engine containers and files, and refuses while one runs", async () => {
    const pod = aPod();
    await start(pod, RUN_UNTIL_TERM);
    await expect(runtime.removePod(pod.podUid)).rejects.toThrow(ContainerAlreadyRunningError);
    await runtime.stop(pod, 10);
    await runtime.removePod(pod.podUid);
    expect(
      engineRun(['ps', '--all', '--quiet', '--filter', `label=skiff.dev/pod-uid=${pod.podUid}`]).trim(),
    ).toBe('');
    expect(existsSync(join(dataDir, 'pods', pod.podUid))).toBe(false);
  });
});

function readIfThere(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
