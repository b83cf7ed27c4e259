import { ContainerNotRunningError } from '../../../lib/agent/runtime/process-runtime';
import { isProcessGone } from '../../../lib/agent/runtime/process-liveness';
import { eventually } from '../../support/eventually';
import { aProcessRuntime, NODE } from './process-runtime-harness';

const RUN_FOREVER = 'setInterval(() => undefined, 1000);';

describe('exec in a process runtime container', () => {
  let harness: ReturnType<typeof aProcessRuntime>;
  beforeEach(() => (harness = aProcessRuntime()));
  afterEach(() => harness.cleanUp());

  const pod = { podUid: 'pod-1', container: 'app' };

  async function startLongRunning(env: Record<string, string> = {}, workingDir?: string): Promise<void> {
    await harness.runtime.start({
      ...pod,
      attempt: 0,
      command: [NODE, '-e', RUN_FOREVER],
      env,
      ...(workingDir ? { workingDir } : {}),
    });
  }

  it("runs with the container's env and working folder and answers exit code and combined output", async () => {
    await startLongRunning({ GREETING: 'hello' }, harness.dataDir);
    const result = await harness.runtime.exec(
      pod,
      [
        NODE,
        '-e',
        "console.log(process.env.GREETING); console.error(process.cwd()); process.stdout.write('x', () => process.exit(4))",
      ],
      5,
    );
    expect(result.exitCode).toBe(4);
    expect(result.timedOut).toBe(false);
    expect(result.output).toContain('hello\n');
    expect(result.output).toContain(`${harness.dataDir}\n`);
  });

  it('answers exit 0 for a command that succeeds', async () => {
    await startLongRunning();
    expect(await harness.runtime.exec(pod, [NODE, '-e', ''], 5)).toEqual({
      exitCode: 0,
      output: '',
      timedOut: false,
    });
  });

  it('keeps only the first 10 KiB of output, as the kubelet reads of an exec probe', async () => {
    await startLongRunning();
    const result = await harness.runtime.exec(
      pod,
      [NODE, '-e', "process.stdout.write('a'.repeat(50000))"],
      5,
    );
    expect(result.output).toBe('a'.repeat(10 * 1024));
  });

  it('kills a command outliving its timeout, with the processes it started', async () => {
    await startLongRunning();
    const script =
      "const c = require('child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });" +
      ` console.log(c.pid); ${RUN_FOREVER}`;
    const started = Date.now();
    const result = await harness.runtime.exec(pod, [NODE, '-e', script], 1);
    expect(result.timedOut).toBe(true);
    expect(result.exitCode).toBe(137);
    expect(Date.now() - started).toBeLessThan(5_000);
    const grandchild = Number(result.output.trim());
    expect(grandchild).toBeGreaterThan(0);
    await eventually(async () => expect(isProcessGone(grandchild)).toBe(true));
  });

  it('answers 127 for a command that does not exist, as a shell would', async () => {
    await startLongRunning();
    const result = await harness.runtime.exec(pod, ['/no/such/probe'], 5);
    expect(result).toMatchObject({ exitCode: 127, timedOut: false });
    expect(result.output).toContain('/no/such/probe');
  });

  it('refuses a container that is not running: never started or already exited', async () => {
    await expect(harness.runtime.exec(pod, [NODE, '-e', ''], 5)).rejects.toThrow(ContainerNotRunningError);
    const handle = await harness.runtime.start({ ...pod, attempt: 0, command: [NODE, '-e', ''], env: {} });
    await handle.exited;
    await expect(harness.runtime.exec(pod, [NODE, '-e', ''], 5)).rejects.toThrow(
      'container "app" of pod "pod-1" is not running',
    );
  });
});
