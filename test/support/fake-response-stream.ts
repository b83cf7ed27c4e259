import { EventEmitter } from 'node:events';
import type { BodyChunk } from '../../lib/api/http';
import type { HttpResponseMetadata, LambdaResponseStream } from '../../functions/api/stream-response';

/** What Lambda's runtime writes between the metadata prelude and the body. */
export const DELIMITER = '\0'.repeat(8);

/**
 * Lambda's response stream at Skiff's port, behaving as the runtime's does: `open` is
 * HttpResponseStream.from, which sends the metadata as JSON and 8 NUL bytes just before the first
 * write; `write` answers false once more than `capacity` characters wait unread, until `drain()`.
 */
export class FakeResponseStream extends EventEmitter implements LambdaResponseStream {
  metadata: HttpResponseMetadata | undefined;
  sent = '';
  waiting = 0;
  ended = false;

  constructor(private readonly capacity = Infinity) {
    super();
  }

  open = (metadata: HttpResponseMetadata): LambdaResponseStream => {
    this.metadata = metadata;
    return this;
  };

  write(chunk: BodyChunk): boolean {
    if (this.ended) throw new Error('write after end');
    if (this.sent === '') this.sent = JSON.stringify(this.metadata) + DELIMITER;
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    this.sent += text;
    this.waiting += text.length;
    return this.waiting <= this.capacity;
  }

  end(): void {
    this.ended = true;
  }

  /** The caller read everything sent. */
  drain(): void {
    this.waiting = 0;
    this.emit('drain');
  }

  /** What the caller has received after the prelude, once the prelude has gone out. */
  get body(): string {
    const prelude = JSON.stringify(this.metadata) + DELIMITER;
    if (!this.sent.startsWith(prelude)) throw new Error(`no prelude sent: ${JSON.stringify(this.sent)}`);
    return this.sent.slice(prelude.length);
  }
}
