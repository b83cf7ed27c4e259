const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const FRAME_MS = 100;

/**
 * A status line for a long operation. On a terminal it is one line redrawn with a spinner; piped
 * or in CI (no TTY) each new message is printed once as a plain line, so logs stay readable.
 */
export class Progress {
  private message = '';
  private frame = 0;
  private timer?: NodeJS.Timeout;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {}

  private get tty(): boolean {
    return Boolean(this.stream.isTTY);
  }

  /** Shows `message`; plain output prints it only when it differs from the last. */
  update(message: string): void {
    if (message === this.message) return;
    this.message = message;
    if (!this.tty) {
      this.stream.write(`${message}\n`);
      return;
    }
    this.timer ??= setInterval(() => this.draw(), FRAME_MS);
    this.draw();
  }

  /** Ends the spinner, leaving `final` (if given) as a plain line. */
  done(final?: string): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.tty && this.message) this.stream.write('\r\x1b[2K');
    this.message = '';
    if (final) this.stream.write(`${final}\n`);
  }

  private draw(): void {
    this.frame = (this.frame + 1) % FRAMES.length;
    const width = (this.stream.columns ?? 100) - 3;
    this.stream.write(`\r\x1b[2K${FRAMES[this.frame]} ${this.message.slice(0, width)}`);
  }
}
