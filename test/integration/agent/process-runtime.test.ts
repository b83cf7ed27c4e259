import {
  ContainerAlreadyRunningError,
  ContainerStartError,
  ProcessRuntime,
} from '../../../lib/agent/runtime/process-runtime';
import { MissingCommandError } from '../../../lib/agent/runtime/command-line';
import { ContainerPaths } from '../../../lib/agent/runtime/container-paths';
import type { ContainerExit } from '../../../lib/agent/runtime/container-runtime';
import { isProcessGone } from '../../../lib/agent/runtime/process-liveness';
import { eventually } from '../../support/eventually';
import { aProcessRuntime, NODE } from './process-runtime-harness';

/** A node script that says it is ready, then runs until signalled. */
const RUN_FOREVER = "console.log('ready'); setInterval(() => undefined, 1000);";

describe('the process runtime', () => {
  let harness: ReturnType<typeof aProcessRuntime>;
  beforeEach(() => (harness = aProcessRuntime()));
  afterEach(() => harness.cleanUp());

  const pod = { podUid: 'pod-1', container: 'app' };

  it('runs the command with its args and reports exit 0 as Completed', async () => {
    const exits: ContainerExit[] = [];
    harness.runtime.onExit((exit) => exits.push(exit));
    const handle = await harness.runtime.start({
      ...pod,
      attempt: 0,
      command: [NODE],
      args: ['-e', 'process.exit(0)'],
      env: {},
    });

    expect(handle.pid).toBeGreaterThan(0);
    const ended = await handle.exited;
    expect(ended).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(ended.finishedAt.getTime()).toBeGreaterThanOrEqual(handle.startedAt.getTime());
    expect(handle.state()).toBe('exited');
    expect(exits).toEqual([{ ...pod, attempt: 0, termination: ended }]);
  });

  it('reports a non-zero exit as Error with its code', async () => {
    const handle = await harness.runtime.start({
      ...pod,
      attempt: 0,
      command: [NODE, '-e', 'process.exit(3)'],
      env: {},
    });
    expect(await handle.exited).toMatchObject({ exitCode: 3, reason: 'Error' });
    expect((await handle.exited).signal).toBeUndefined();
  });

  it('runs in a working folder of its own under the data folder', async () => {
    const handle = await harness.runtime.start({
      ...pod,
      attempt: 0,
      command: [NODE, '-e', 'console.log(process.cwd())'],
      env: {},
    });
    await handle.exited;
    expect(await harness.logText(pod)).toEqual([new ContainerPaths(harness.dataDir).workDir(pod)]);
  });

  it("gives exactly the env it is given plus PATH, nothing of the agent's", async () => {
    process.env.SKIFF_TEST_AGENT_SECRET = 'do-not-leak';
    try {
      const handle = await harness.runtime.start({
        ...pod,
        attempt: 0,
        command: [NODE, '-e', 'console.log(JSON.stringify(process.env))'],
        env: { POD_IP: '127.1.0.1' },
      });
      await handle.exited;
      const env = JSON.parse((await harness.logText(pod))[0]) as Record<string, string>;
      expect(Object.keys(env).sort()).toEqual(['PATH', 'POD_IP']);
      expect(env.PATH).toBe(process.env.PATH);
      expect(env.POD_IP).toBe('127.1.0.1');
    } finally {
      delete process.env.SKIFF_TEST_AGENT_SECRET;
    }
  });

  it('stops gracefully: a container that handles SIGTERM exits 0 within the grace period', async () => {
    const script = "process.on('SIGTERM', () => { console.log('bye'); process.exit(0); }); " + RUN_FOREVER;
    const handle = await harness.runtime.start({
      ...pod,
      attempt: 0,
      command: [NODE, '-e', script],
      env: {},
    });
    await harness.waitForLog(pod, 'ready');

    const began = Date.now();
    const ended = await harness.runtime.stop(pod, 30);
    expect(Date.now() - began).toBeLessThan(5_000);
    expect(ended).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(await harness.logText(pod)).toEqual(['ready', 'bye']);
    expect(isProcessGone(handle.pid)).toBe(true);
  });

  it('kills a container ignoring SIGTERM once the grace period is over, with every process it started', async () => {
    const script = "trap '' TERM; sleep 1000 & echo $!; wait";
    const handle = await harness.runtime.start({
      ...pod,
      attempt: 0,
      command: ['/bin/sh', '-c', script],
      env: {},
    });
    const [child] = await eventually(async () => {
      const lines = await harness.logText(pod);
      expect(lines).toHaveLength(1);
      return lines.map(Number);
    });
    expect(isProcessGone(child)).toBe(false);

    const began = Date.now();
    const ended = await harness.runtime.stop(pod, 1);
    expect(Date.now() - began).toBeGreaterThanOrEqual(1_000);
    expect(ended).toMatchObject({ exitCode: 137, signal: 9, reason: 'Error' });
    // stop answers once every process is gone; process.kill(pid, 0) stays quiet (or sees a zombie awaiting init).
    expect(isProcessGone(handle.pid)).toBe(true);
    expect(isProcessGone(child)).toBe(true);
  });

  it('ends what a container left running when its main process exits, as a container ends', async () => {
    const handle = await harness.runtime.start({
      ...pod,
      attempt: 0,
      command: ['/bin/sh', '-c', 'sleep 1000 & echo $!'],
      env: {},
    });
    await handle.exited;
    const [child] = (await harness.logText(pod)).map(Number);
    await eventually(async () => expect(isProcessGone(child)).toBe(true));
  });

  it('answers a stop of an exited container with how it ended, and of an unknown one with nothing', async () => {
    const handle = await harness.runtime.start({
      ...pod,
      attempt: 0,
      command: [NODE, '-e', 'process.exit(2)'],
      env: {},
    });
    const ended = await handle.exited;
    expect(await harness.runtime.stop(pod, 1)).toEqual(ended);
    expect(await harness.runtime.stop({ podUid: 'pod-1', container: 'other' }, 1)).toBeUndefined();
  });

  it('refuses a second start while the container runs, a container without command, and a missing executable', async () => {
    await harness.runtime.start({ ...pod, attempt: 0, command: [NODE, '-e', RUN_FOREVER], env: {} });
    await expect(harness.runtime.start({ ...pod, attempt: 1, command: [NODE], env: {} })).rejects.toThrow(
      ContainerAlreadyRunningError,
    );
    const other = { podUid: 'pod-1', container: 'other', attempt: 0, env: {} };
    await expect(harness.runtime.start({ ...other, args: ['x'] })).rejects.toThrow(MissingCommandError);
    await expect(harness.runtime.start({ ...other, command: ['/no/such/program'] })).rejects.toThrow(
      ContainerStartError,
    );
  });

  it('lists its running containers, and a restarted agent finds and stops the earlier one’s', async () => {
    const handle = await harness.runtime.start({
      ...pod,
      attempt: 2,
      command: [NODE, '-e', RUN_FOREVER],
      env: {},
    });
    await harness.runtime
      .start({ podUid: 'pod-2', container: 'done', attempt: 0, command: [NODE, '-e', '0'], env: {} })
      .then((done) => done.exited);
    expect(await harness.runtime.list()).toEqual([
      { ...pod, attempt: 2, pid: handle.pid, startedAt: handle.startedAt },
    ]);

    const restarted = new ProcessRuntime({ dataDir: harness.dataDir });
    expect(await restarted.list()).toEqual([
      { ...pod, attempt: 2, pid: handle.pid, startedAt: handle.startedAt },
    ]);
    expect(await restarted.stop(pod, 5)).toMatchObject({ exitCode: 143, reason: 'Error' });
    expect(await handle.exited).toMatchObject({ exitCode: 143, signal: 15 });
    expect(await restarted.list()).toEqual([]);
  });

  it('removes a stopped pod’s files and refuses while it runs', async () => {
    await harness.runtime.start({ ...pod, attempt: 0, command: [NODE, '-e', RUN_FOREVER], env: {} });
    await expect(harness.runtime.removePod(pod.podUid)).rejects.toThrow(ContainerAlreadyRunningError);
    await harness.runtime.stop(pod, 5);
    await harness.runtime.removePod(pod.podUid);
    await expect(harness.logText(pod)).rejects.toThrow(/not found/);
    expect(await harness.runtime.stop(pod, 1)).toBeUndefined();
  });
});
