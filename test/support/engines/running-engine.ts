/** The engines a jest run can start, in the order tests iterate them. */
export const ENGINE_NAMES = ['dynalite', 'dynamodb-local', 'moto'] as const;

export type EngineName = (typeof ENGINE_NAMES)[number];

/** An engine serving on loopback for the length of one jest run. */
export interface RunningEngine {
  name: EngineName;
  /** Base URL, e.g. `http://127.0.0.1:41234`, for an SDK client's `endpoint`. */
  endpoint: string;
  /** Stops the engine; a spawned process is gone when the promise resolves. */
  stop(): Promise<void>;
}
