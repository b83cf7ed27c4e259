import { createWriteStream, type WriteStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { formatLogLine, logTimestamp, type LogLine } from './log-line';

/** A line longer than this is cut into lines of this size, as the CRI cuts at 16 KiB. */
const MAX_LINE_CHARS = 16 * 1024;

/**
 * Writes one container attempt's stdout and stderr to its log file, a timestamped line at a time
 * in the order the chunks arrive, so the log endpoint can later serve `timestamps`, `tailLines`
 * and `follow` from the file alone. A line is stamped when its end arrives.
 */
export class ContainerLogWriter {
  private readonly file: WriteStream;
  private readonly pending = {
    stdout: { decoder: new StringDecoder('utf8'), text: '' },
    stderr: { decoder: new StringDecoder('utf8'), text: '' },
  };

  constructor(path: string) {
    this.file = createWriteStream(path, { flags: 'a' });
    // A log that cannot be written (its pod folder removed under it, a full disk) must not bring
    // the agent down: the container runs on, and its log is lost from that point.
    this.file.on('error', () => undefined);
  }

  write(stream: LogLine['stream'], chunk: Buffer): void {
    const pending = this.pending[stream];
    pending.text += pending.decoder.write(chunk);
    const lines = pending.text.split('\n');
    pending.text = lines.pop() ?? '';
    while (pending.text.length >= MAX_LINE_CHARS) {
      lines.push(pending.text.slice(0, MAX_LINE_CHARS));
      pending.text = pending.text.slice(MAX_LINE_CHARS);
    }
    const timestamp = logTimestamp();
    for (const content of lines) this.file.write(formatLogLine({ timestamp, stream, content }));
  }

  /** Writes what is left of an unfinished last line and resolves once the file has it all. */
  async close(): Promise<void> {
    for (const stream of ['stdout', 'stderr'] as const) {
      const pending = this.pending[stream];
      const content = pending.text + pending.decoder.end();
      pending.text = '';
      if (content.length > 0) this.file.write(formatLogLine({ timestamp: logTimestamp(), stream, content }));
    }
    await new Promise<void>((resolve) => this.file.end(resolve));
  }
}
