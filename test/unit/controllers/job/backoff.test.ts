import { backoffDelaySeconds } from '../../../../lib/controllers/job/backoff';

describe('Job backoff', () => {
  it.each([
    [0, 0],
    [1, 10],
    [2, 20],
    [3, 40],
    [4, 80],
    [5, 160],
    [6, 320],
    [7, 360],
    [8, 360],
    [50, 360],
  ])('after %i failures waits %i s', (failures, seconds) => {
    expect(backoffDelaySeconds(failures)).toBe(seconds);
  });
});
