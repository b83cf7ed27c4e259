import { humanDuration } from '../../../lib/api/table/human-duration';

describe('humanDuration (the AGE column)', () => {
  it.each([
    [-5_000, '<invalid>'],
    [-500, '0s'],
    [45_000, '45s'],
    [119_000, '119s'],
    [200_000, '3m20s'],
    [300_000, '5m'],
    [47 * 60_000, '47m'],
    [5 * 3_600_000 + 12 * 60_000, '5h12m'],
    [30 * 3_600_000, '30h'],
    [51 * 3_600_000, '2d3h'],
    [120 * 86_400_000, '120d'],
    [(3 * 365 + 10) * 86_400_000, '3y10d'],
    [9 * 365 * 86_400_000, '9y'],
  ])('shows %d ms as %s', (milliseconds, expected) => {
    expect(humanDuration(milliseconds)).toBe(expected);
  });
});
