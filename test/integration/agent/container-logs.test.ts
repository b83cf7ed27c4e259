import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ContainerLogNotFoundError } from '../../../lib/agent/runtime/container-log-reader';
import { ContainerPaths } from '../../../lib/agent/runtime/container-paths';
import { aProcessRuntime, NODE } from './process-runtime-harness';

describe("the process runtime's container logs", () => {
  let harness: ReturnType<typeof aProcessRuntime>;
  beforeEach(() => (harness = aProcessRuntime()));
  afterEach(() => harness.cleanUp());

  const pod = { podUid: 'pod-1', container: 'app' };

  async function run(attempt: number, script: string, env: Record<string, string> = {}): Promise<void> {
    const handle = await harness.runtime.start({ ...pod, attempt, command: [NODE, '-e', script], env });
    await handle.exited;
  }

  it('keeps every line in order, stderr too, in one file per container and attempt', async () => {
    await run(
      0,
      "for (let i = 1; i <= 50; i++) console.log('line ' + i); console.error('oops'); process.stdout.write('no newline');",
    );

    const lines = await harness.logText(pod);
    expect(lines.filter((line) => line.startsWith('line '))).toEqual(
      Array.from({ length: 50 }, (_, i) => `line ${i + 1}`),
    );
    expect(lines).toContain('oops');
    expect(lines).toContain('no newline');
    expect(existsSync(new ContainerPaths(harness.dataDir).logFile(pod, 0))).toBe(true);
  });

  it('serves timestamps in RFC 3339, never going back, and the last lines alone', async () => {
    await run(0, "for (const word of ['one', 'two', 'three']) console.log(word);");

    const stamped = await harness.logText(pod, { timestamps: true });
    expect(stamped.map((line) => line.split(' ')[1])).toEqual(['one', 'two', 'three']);
    const stamps = stamped.map((line) => line.split(' ')[0]);
    for (const stamp of stamps) expect(stamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
    expect([...stamps].sort()).toEqual(stamps);

    expect(await harness.logText(pod, { tailLines: 2 })).toEqual(['two', 'three']);
    expect(await harness.logText(pod, { tailLines: 0 })).toEqual([]);
  });

  it("serves the previous attempt's log with previous, and says when there is none", async () => {
    await run(0, "console.log('first run')");
    await expect(harness.logText(pod, { previous: true })).rejects.toThrow(ContainerLogNotFoundError);

    await run(1, "console.log('second run')");
    expect(await harness.logText(pod)).toEqual(['second run']);
    expect(await harness.logText(pod, { previous: true })).toEqual(['first run']);
    await expect(harness.logText({ ...pod, container: 'other' })).rejects.toThrow(ContainerLogNotFoundError);
  });

  it('follows: streams lines as they are written and ends when the container has exited', async () => {
    const trigger = join(harness.dataDir, 'go');
    // The container writes two lines, then a third only once the test creates the trigger file.
    const script = `
      console.log('one'); console.log('two');
      const timer = setInterval(() => {
        if (!require('fs').existsSync(process.env.TRIGGER)) return;
        clearInterval(timer);
        console.log('three');
      }, 20);`;
    const handle = await harness.runtime.start({
      ...pod,
      attempt: 0,
      command: [NODE, '-e', script],
      env: { TRIGGER: trigger },
    });

    await harness.waitForLog(pod, 'two');

    const follower = harness.runtime.logs(pod, { follow: true, tailLines: 1 })[Symbol.asyncIterator]();
    try {
      expect(await follower.next()).toEqual({ done: false, value: 'two\n' });
      writeFileSync(trigger, '');
      expect(await follower.next()).toEqual({ done: false, value: 'three\n' });
      expect(await follower.next()).toEqual({ done: true, value: undefined });
    } finally {
      await follower.return?.(undefined);
    }
    expect(handle.state()).toBe('exited');
  });

  it('ends a follow of a quiet running container as soon as its signal aborts', async () => {
    await harness.runtime.start({
      ...pod,
      attempt: 0,
      command: [NODE, '-e', "console.log('hello'); setInterval(() => {}, 1000)"],
      env: {},
    });
    await harness.waitForLog(pod, 'hello');
    const stop = new AbortController();
    const follower = harness.runtime.logs(pod, { follow: true, signal: stop.signal })[Symbol.asyncIterator]();
    expect(await follower.next()).toEqual({ done: false, value: 'hello\n' });
    const next = follower.next(); // waits: the container writes nothing more and does not exit
    stop.abort();
    expect(await next).toEqual({ done: true, value: undefined });
    await harness.runtime.stop(pod, 0);
  });

  it('follows an exited container to the end of its log and stops', async () => {
    await run(0, "console.log('only')");
    expect(await harness.logText(pod, { follow: true })).toEqual(['only']);
  });
});
