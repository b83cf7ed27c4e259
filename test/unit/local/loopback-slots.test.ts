import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LoopbackSlots } from '../../../lib/local/loopback-slots';

/** Pod IP blocks are unique across processes on a host: lock files with the owner's pid. */
describe('LoopbackSlots', () => {
  let dir: string;
  const taken: [LoopbackSlots, number][] = [];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'skiff-slots-'));
  });
  afterEach(() => {
    for (const [slots, slot] of taken.splice(0)) slots.release(slot);
    rmSync(dir, { recursive: true, force: true });
  });
  const reserve = (slots: LoopbackSlots) => {
    const slot = slots.reserve();
    taken.push([slots, slot]);
    return slot;
  };

  it('gives two clusters in one process different blocks, and a released one back', () => {
    const first = new LoopbackSlots(dir);
    const second = new LoopbackSlots(dir);
    const a = reserve(first);
    const b = reserve(second);
    expect(a).not.toBe(b);
    expect(readFileSync(join(dir, `127.${a}`), 'utf8')).toBe(String(process.pid));
    first.release(a);
    expect(reserve(second)).toBe(a);
  });

  it("skips a block a live process holds and takes over a dead process's", () => {
    writeFileSync(join(dir, '127.1'), String(process.ppid)); // our parent: alive
    writeFileSync(join(dir, '127.2'), '2147483646'); // no such process
    const slot = reserve(new LoopbackSlots(dir));
    expect(slot).toBe(2);
    expect(readFileSync(join(dir, '127.2'), 'utf8')).toBe(String(process.pid));
  });
});
