import { ConflictError, NotFoundError } from '../../store/errors';

/**
 * Runs one write of a round. A write lost to a concurrent change (a conflict, or the object gone
 * or replaced: a uid precondition) is not an error for a scheduler: the next round reads the new
 * state and decides again. Answers whether the write went through.
 */
export async function unlessChanged(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (error) {
    if (error instanceof ConflictError || error instanceof NotFoundError) return false;
    throw error;
  }
}
