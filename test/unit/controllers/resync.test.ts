import { DEFAULT_RESYNC, isDueForResync } from '../../../lib/controllers/resync';
import type { KubeObject } from '../../../lib/kinds/meta';

const MINUTE = 60_000;
/** An object last written at `writtenMs` (resourceVersion is the store's microsecond write clock). */
const writtenAt = (writtenMs: number, uid: string): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: uid, uid, resourceVersion: String(writtenMs * 1000) },
});

describe('resync schedule', () => {
  const start = Date.parse('2026-11-21T00:00:00Z');

  it('skips objects written within the interval: their own stream records reconciled them', () => {
    const object = writtenAt(start, 'fresh');
    for (let minute = 0; minute < 5; minute++)
      expect(isDueForResync(object, start + minute * MINUTE, DEFAULT_RESYNC)).toBe(false);
  });

  it('reconciles an older object on exactly one tick of every interval', () => {
    const object = writtenAt(start - 60 * MINUTE, 'settled');
    for (let interval = 0; interval < 3; interval++) {
      const dueTicks = [0, 1, 2, 3, 4].filter((tick) =>
        isDueForResync(object, start + (interval * 5 + tick) * MINUTE, DEFAULT_RESYNC),
      );
      expect(dueTicks).toHaveLength(1);
    }
  });

  it('spreads many objects over the ticks of an interval rather than sweeping them all at once', () => {
    const objects = Array.from({ length: 500 }, (_, i) => writtenAt(start - 60 * MINUTE, `uid-${i}`));
    const perTick = [0, 1, 2, 3, 4].map(
      (tick) => objects.filter((o) => isDueForResync(o, start + tick * MINUTE, DEFAULT_RESYNC)).length,
    );
    expect(perTick.reduce((a, b) => a + b, 0)).toBe(500);
    for (const count of perTick) expect(count).toBeGreaterThan(50);
  });

  it('with an interval of one tick, reconciles every settled object every tick', () => {
    const object = writtenAt(start - 60 * MINUTE, 'any');
    expect(isDueForResync(object, start, { intervalSeconds: 60, tickSeconds: 60 })).toBe(true);
    expect(isDueForResync(object, start + MINUTE, { intervalSeconds: 60, tickSeconds: 60 })).toBe(true);
  });
});
