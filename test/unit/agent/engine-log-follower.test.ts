import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastLogTimestamp } from '../../../lib/agent/runtime/oci/engine-log-follower';

describe('where a restarted agent resumes following a container log', () => {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-log-tail-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("is the last whole line's timestamp, past a line cut off mid-write", async () => {
    const file = join(dir, '0.log');
    writeFileSync(
      file,
      '2026-12-01T05:00:00.000001000Z stdout F first\n' +
        '2026-12-01T05:00:01.000002000Z stderr F second\n' +
        'garbage',
    );
    await expect(lastLogTimestamp(file)).resolves.toBe('2026-12-01T05:00:01.000002000Z');
  });

  it('is the start of the log for a file that is empty or missing', async () => {
    writeFileSync(join(dir, 'empty.log'), '');
    await expect(lastLogTimestamp(join(dir, 'empty.log'))).resolves.toBeUndefined();
    await expect(lastLogTimestamp(join(dir, 'missing.log'))).resolves.toBeUndefined();
  });

  it('is found in a long log from its end alone', async () => {
    const file = join(dir, 'long.log');
    const line = (second: number) =>
      `2026-12-01T05:00:${String(second).padStart(2, '0')}.000000000Z stdout F ${'x'.repeat(4000)}\n`;
    writeFileSync(file, Array.from({ length: 60 }, (_, second) => line(second)).join(''));
    await expect(lastLogTimestamp(file)).resolves.toBe('2026-12-01T05:00:59.000000000Z');
  });
});
