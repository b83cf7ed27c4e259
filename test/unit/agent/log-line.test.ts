import {
  formatLogLine,
  logTimestamp,
  parseLogLine,
  servedLogLine,
} from '../../../lib/agent/runtime/log-line';

describe('container log lines', () => {
  it('round-trip through the CRI file format, spaces and all', () => {
    const line = {
      timestamp: '2026-01-01T00:00:00.123456000Z',
      stream: 'stderr' as const,
      content: ' two  words ',
    };
    expect(formatLogLine(line)).toBe('2026-01-01T00:00:00.123456000Z stderr F  two  words \n');
    expect(parseLogLine(formatLogLine(line).slice(0, -1))).toEqual(line);
  });

  it('are served with or without their timestamp', () => {
    const line = { timestamp: '2026-01-01T00:00:00.000001000Z', stream: 'stdout' as const, content: 'hello' };
    expect(servedLogLine(line, false)).toBe('hello\n');
    expect(servedLogLine(line, true)).toBe('2026-01-01T00:00:00.000001000Z hello\n');
  });

  it('skip text that is not a log line', () => {
    expect(parseLogLine('garbage')).toBeUndefined();
  });

  it('are stamped in RFC 3339 with nanoseconds, close to the wall clock', () => {
    const stamp = logTimestamp();
    expect(stamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
    expect(Math.abs(Date.parse(stamp) - Date.now())).toBeLessThan(1_000);
  });
});
