import { DEFAULT_RESYNC, isDueForResync } from '../../../lib/controllers/resync';
import type { KubeObject } from '../../../lib/kinds/meta';

const MINUTE = 60_000;
/** An object with `uid`, whose resourceVersion is `version` (an opaque order, never read as a time). */
const anObject = (uid: string, version = '7'): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: uid, uid, resourceVersion: version },
});

describe('resync schedule', () => {
  const start = Date.parse('2026-11-21T00:00:00Z');

  it('does not read resourceVersion: the tick an object is due on depends on its uid alone', () => {
    const due = (version: string) =>
      [0, 1, 2, 3, 4].filter((tick) =>
        isDueForResync(anObject('settled', version), start + tick * MINUTE, DEFAULT_RESYNC),
      );
    expect(due('1')).toEqual(due(String(start * 1000)));
    expect(due('1')).toEqual(due('999999999999999999'));
  });

  it('reconciles an object on exactly one tick of every interval', () => {
    const object = anObject('settled');
    for (let interval = 0; interval < 3; interval++) {
      const dueTicks = [0, 1, 2, 3, 4].filter((tick) =>
        isDueForResync(object, start + (interval * 5 + tick) * MINUTE, DEFAULT_RESYNC),
      );
      expect(dueTicks).toHaveLength(1);
    }
  });

  it('spreads many objects over the ticks of an interval rather than sweeping them all at once', () => {
    const objects = Array.from({ length: 500 }, (_, i) => anObject(`uid-${i}`));
    const perTick = [0, 1, 2, 3, 4].map(
      (tick) => objects.filter((o) => isDueForResync(o, start + tick * MINUTE, DEFAULT_RESYNC)).length,
    );
    expect(perTick.reduce((a, b) => a + b, 0)).toBe(500);
    for (const count of perTick) expect(count).toBeGreaterThan(50);
  });

  it('with an interval of one tick, reconciles every object every tick', () => {
    const object = anObject('any');
    expect(isDueForResync(object, start, { intervalSeconds: 60, tickSeconds: 60 })).toBe(true);
    expect(isDueForResync(object, start + MINUTE, { intervalSeconds: 60, tickSeconds: 60 })).toBe(true);
  });
});
