import { EVENT_BURST, EventSpamFilter } from '../../../../lib/controllers/events/event-spam-filter';

describe('EventSpamFilter', () => {
  it('lets a burst of 25 Events through per source, then drops them', () => {
    const filter = new EventSpamFilter();
    const allowed = Array.from({ length: 40 }, () => filter.allow('rs/uid-1', 0)).filter(Boolean);
    expect(allowed).toHaveLength(EVENT_BURST);
  });

  it('keeps each source in its own bucket', () => {
    const filter = new EventSpamFilter();
    for (let i = 0; i < EVENT_BURST; i++) filter.allow('rs/uid-1', 0);
    expect(filter.allow('rs/uid-1', 0)).toBe(false);
    expect(filter.allow('rs/uid-2', 0)).toBe(true);
  });

  it('refills one token every 5 minutes', () => {
    const filter = new EventSpamFilter();
    for (let i = 0; i < EVENT_BURST; i++) filter.allow('rs/uid-1', 0);
    expect(filter.allow('rs/uid-1', 150_000)).toBe(false);
    expect(filter.allow('rs/uid-2', 150_000)).toBe(true);
    const drained = new EventSpamFilter();
    for (let i = 0; i < EVENT_BURST; i++) drained.allow('rs/uid-1', 0);
    expect(drained.allow('rs/uid-1', 300_000)).toBe(true);
    expect(drained.allow('rs/uid-1', 300_000)).toBe(false);
  });
});
