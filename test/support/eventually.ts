/**
 * Polls an async check until it passes or the deadline passes, then returns its value or throws
 * the last failure. For end states reached by control loops running in the background.
 */
export async function eventually<T>(
  check: () => Promise<T>,
  deadlineMs = 10_000,
  intervalMs = 25,
): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}
