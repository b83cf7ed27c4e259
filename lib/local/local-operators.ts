import { KubeClient } from '../client/kube-client';
import type { KindRegistry } from '../kinds/kind-registry';
import { ApiEventRecorder } from '../operators/api-event-recorder';
import { loadOperators, watchOperators } from '../operators/load-operators';
import { CustomControllers } from './custom-controllers';
import type { LocalRuntime } from './local-runtime';

export interface LocalOperatorsOptions {
  /** The local API's URL: operators read and write through it, as any client does. */
  url: string;
  registry: KindRegistry;
  runtime: Pick<LocalRuntime, 'reconcileEvery'>;
  /** The operator path given to `npm start -- --operators`; none runs only the custom kinds' collectors. */
  path?: string;
  /** Hands the controllers to the runtime (its moreControllers). */
  use(controllers: CustomControllers): void;
  log?: (message: string) => void;
}

/**
 * The local control plane's custom controllers (custom-controllers.ts), with the operators at
 * `path` loaded and loaded again on every change under it. A reload that fails keeps the operators
 * that ran before and says why, so a typo in an edited operator stops nothing. Each (re)build
 * syncs every parent of the operators once, so edits apply to existing objects at once.
 */
export async function startLocalOperators(options: LocalOperatorsOptions): Promise<{ stop(): void }> {
  const log = options.log ?? ((message: string) => console.log(message));
  const client = new KubeClient({ server: options.url, userAgent: 'skiff-operators' });
  let stopped = false;
  const custom = new CustomControllers(options.registry, {
    client,
    onFailure: 'requeue',
    events: (name) =>
      new ApiEventRecorder(client, `operator/${name}`, (message, error) => console.error(message, error)),
    onOperators: (controllers) =>
      setImmediate(() => {
        if (stopped) return;
        options.runtime
          .reconcileEvery(controllers)
          .catch((error: unknown) => console.error('operator sync failed', error));
      }),
    log,
  });
  options.use(custom);
  custom.current();
  const path = options.path;
  if (!path)
    return {
      stop: () => {
        stopped = true;
        custom.stop();
      },
    };
  const load = async (why: string) => {
    const operators = await loadOperators(path);
    custom.setOperators(operators);
    log(`operators ${why} from ${path}: ${operators.map((operator) => operator.name).join(', ') || 'none'}`);
  };
  // A path that does not load at start is the user's to fix before anything runs: the error ends `npm start`.
  await load('loaded');
  const unwatch = watchOperators(path, () => {
    load('reloaded').catch((error: unknown) =>
      console.error(
        `operators at ${path} not reloaded: ${error instanceof Error ? error.message : String(error)}`,
      ),
    );
  });
  return {
    stop: () => {
      stopped = true;
      custom.stop();
      unwatch();
    },
  };
}
