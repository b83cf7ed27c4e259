import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Slots this process holds, whichever LocalAgents took them (two clusters may share a process). */
const heldHere = new Set<number>();

/** The highest slot: each is 127.N.0.0/16, and 127.0.0.0/16 stays the host's own. */
export const MAX_LOOPBACK_SLOTS = 254;

/**
 * Hands out 127.N.0.0/16 blocks for local nodes' pod IPs, unique across every Skiff process on
 * this host (two `npm start`s, parallel test workers): each taken slot is a lock file holding its
 * owner's pid in a shared folder, created exclusively. A slot whose owner died is taken over, so a
 * crash frees its slots for the next run.
 */
export class LoopbackSlots {
  constructor(private readonly dir = join(tmpdir(), 'skiff-loopback-slots')) {}

  /** The lowest free slot, now held by this process until `release`. */
  reserve(): number {
    mkdirSync(this.dir, { recursive: true });
    for (let slot = 1; slot <= MAX_LOOPBACK_SLOTS; slot++) {
      if (heldHere.has(slot)) continue;
      if (this.tryLock(slot) || (this.ownerGone(slot) && this.takeOver(slot))) {
        heldHere.add(slot);
        return slot;
      }
    }
    throw new Error(`all ${MAX_LOOPBACK_SLOTS} loopback blocks for pod IPs are taken on this host`);
  }

  release(slot: number): void {
    if (!heldHere.delete(slot)) return;
    try {
      unlinkSync(this.file(slot));
    } catch {
      // already gone: nothing to free
    }
  }

  private tryLock(slot: number): boolean {
    try {
      writeFileSync(this.file(slot), String(process.pid), { flag: 'wx' });
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    }
  }

  /** Removes a dead owner's lock and takes the slot, unless another process got there first. */
  private takeOver(slot: number): boolean {
    try {
      unlinkSync(this.file(slot));
    } catch {
      // another process removed it first: race it for the lock below
    }
    return this.tryLock(slot);
  }

  private ownerGone(slot: number): boolean {
    let pid: number;
    try {
      pid = Number(readFileSync(this.file(slot), 'utf8'));
    } catch {
      return true; // removed meanwhile
    }
    if (!Number.isInteger(pid) || pid <= 0) return true;
    if (pid === process.pid) return false; // ours, though not in heldHere: a lock being written
    try {
      process.kill(pid, 0);
      return false;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'ESRCH';
    }
  }

  private file(slot: number): string {
    return join(this.dir, `127.${slot}`);
  }
}
