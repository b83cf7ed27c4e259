/**
 * Resolves at the next call of any listener added to `listeners` here, or when `signal` aborts:
 * how a follower of a change log sleeps until there is something new, without polling.
 */
export function changedOrAborted(listeners: Set<() => void>, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      listeners.delete(done);
      signal.removeEventListener('abort', done);
      resolve();
    };
    listeners.add(done);
    signal.addEventListener('abort', done, { once: true });
  });
}
