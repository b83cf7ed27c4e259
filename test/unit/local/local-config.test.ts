import {
  SKIFF_DEFAULT_TOLERATION_SECONDS,
  SKIFF_NODE_MONITOR_GRACE_SECONDS,
  SKIFF_PORT,
  SKIFF_RESYNC_INTERVAL_SECONDS,
  SKIFF_RESYNC_TICK_SECONDS,
  SKIFF_SCHEDULER_TICK_SECONDS,
} from '../../../lib/config/env-names';
import { ConfigError } from '../../../lib/config/parse-env';
import { DEFAULT_RESYNC } from '../../../lib/controllers/resync';
import { containerEngineOf, loadLocalConfig } from '../../../lib/local/local-config';

describe("npm start's environment", () => {
  it('resyncs on the default schedule when nothing is set', () => {
    expect(loadLocalConfig({})).toEqual({
      port: undefined,
      resync: DEFAULT_RESYNC,
      schedulerTickSeconds: 60,
      nodeLifecycle: { nodeMonitorGracePeriodSeconds: 40, defaultTolerationSeconds: 300 },
    });
  });

  it('reads the resync interval and tick, as the reconciler functions do, and the port', () => {
    expect(
      loadLocalConfig({
        [SKIFF_PORT]: '9090',
        [SKIFF_RESYNC_INTERVAL_SECONDS]: '30',
        [SKIFF_RESYNC_TICK_SECONDS]: '5',
        [SKIFF_SCHEDULER_TICK_SECONDS]: '2',
        [SKIFF_NODE_MONITOR_GRACE_SECONDS]: '10',
        [SKIFF_DEFAULT_TOLERATION_SECONDS]: '0',
      }),
    ).toEqual({
      port: '9090',
      resync: { intervalSeconds: 30, tickSeconds: 5 },
      schedulerTickSeconds: 2,
      nodeLifecycle: { nodeMonitorGracePeriodSeconds: 10, defaultTolerationSeconds: 0 },
    });
  });

  it.each([
    [SKIFF_NODE_MONITOR_GRACE_SECONDS, '0'],
    [SKIFF_NODE_MONITOR_GRACE_SECONDS, 'soon'],
    [SKIFF_DEFAULT_TOLERATION_SECONDS, '-1'],
    [SKIFF_DEFAULT_TOLERATION_SECONDS, '2.5'],
  ])('refuses %s=%j, naming the variable', (name, value) => {
    expect(() => loadLocalConfig({ [name]: value })).toThrow(name);
  });

  it.each(['0', '-1', '1.5', 'soon', ''])('refuses a resync tick of %j, naming the variable', (value) => {
    expect(() => loadLocalConfig({ [SKIFF_RESYNC_TICK_SECONDS]: value })).toThrow(ConfigError);
    expect(() => loadLocalConfig({ [SKIFF_RESYNC_TICK_SECONDS]: value })).toThrow(SKIFF_RESYNC_TICK_SECONDS);
  });

  it.each(['0', '-1', '1.5', 'soon'])('refuses a scheduler tick of %j, naming the variable', (value) => {
    expect(() => loadLocalConfig({ [SKIFF_SCHEDULER_TICK_SECONDS]: value })).toThrow(
      SKIFF_SCHEDULER_TICK_SECONDS,
    );
  });
});

describe("npm start's --container-engine", () => {
  it('takes an engine whose CLI answers --version, with nothing added: the CLI reads its own settings', async () => {
    // Any CLI that answers --version serves to check the check; node is always there.
    expect(await containerEngineOf(process.execPath)).toEqual({ engine: process.execPath });
  });

  it('refuses an engine that is not installed, naming it', async () => {
    const refused = containerEngineOf('skiff-no-such-engine');
    await expect(refused).rejects.toThrow(ConfigError);
    await expect(refused).rejects.toThrow(
      '--container-engine skiff-no-such-engine: `skiff-no-such-engine --version` failed: not found',
    );
  });

  it('refuses an engine whose CLI fails, with what it said', async () => {
    await expect(containerEngineOf('false')).rejects.toThrow(
      /--container-engine false: `false --version` failed: Command failed/,
    );
  });
});
