/**
 * One line of a container log file, in the CRI format the kubelet reads:
 * `<RFC 3339 timestamp> <stdout|stderr> F <content>`. The `F` tag marks a full line (the CRI's
 * `P` marks a partial one; the writer only writes whole lines).
 */
export interface LogLine {
  timestamp: string;
  stream: 'stdout' | 'stderr';
  content: string;
}

/** The file form of a line, ending in `\n`. */
export function formatLogLine(line: LogLine): string {
  return `${line.timestamp} ${line.stream} F ${line.content}\n`;
}

/** Reads a line of the file (without its `\n`); undefined for one that is not in the format. */
export function parseLogLine(text: string): LogLine | undefined {
  const match = /^(\S+) (stdout|stderr) [FP] (.*)$/s.exec(text);
  if (!match) return undefined;
  return { timestamp: match[1], stream: match[2] as LogLine['stream'], content: match[3] };
}

/**
 * The line as `GET .../pods/NAME/log` answers it: the content, prefixed with its timestamp and a
 * space when `timestamps=true`, ending in `\n`.
 */
export function servedLogLine(line: LogLine, timestamps: boolean): string {
  return timestamps ? `${line.timestamp} ${line.content}\n` : `${line.content}\n`;
}

/**
 * Now as RFC 3339 with nanoseconds, as container engines stamp log lines. Date has milliseconds;
 * the high-resolution clock adds the microseconds, so lines written in the same millisecond still
 * carry increasing stamps.
 */
export function logTimestamp(): string {
  const micros = BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000));
  const seconds = new Date(Number(micros / 1_000_000n) * 1000).toISOString().slice(0, 19);
  const fraction = (micros % 1_000_000n).toString().padStart(6, '0');
  return `${seconds}.${fraction}000Z`;
}
