import type { ApiRequest } from '../http';

/** Bodies at least this large are decoded in steps, with other requests served in between. */
const LARGE_BODY_BYTES = 64 * 1024;

/**
 * Lets the event loop serve other requests between the steps of a write with a large body
 * (parsing, patching, validation, storing), so that a megabyte of work for one client delays
 * another by the longest step rather than by all of them. Small bodies go straight through.
 * On Lambda, where an instance serves one request at a time, it costs one turn of the loop.
 */
export async function yieldBetweenSteps(request: ApiRequest): Promise<void> {
  if ((request.body?.length ?? 0) < LARGE_BODY_BYTES) return;
  // Two turns: called from an I/O callback, the first immediate runs before the loop polls for
  // I/O again; the second runs only after it has, so waiting requests are read and served.
  for (let turn = 0; turn < 2; turn++) await new Promise((resolve) => setImmediate(resolve));
}
