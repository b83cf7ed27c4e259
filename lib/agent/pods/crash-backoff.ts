/**
 * The kubelet's crash-loop backoff for one container: the first restart is immediate, then each
 * waits twice as long as the last, from 10 s to at most 5 min. A container that ran for 10 min
 * (twice the cap) before it exited starts over, as the kubelet's backoff entries expire.
 */
export class CrashBackoff {
  private delaySeconds = 0;

  constructor(
    private readonly initialSeconds = 10,
    private readonly maxSeconds = 300,
  ) {}

  /** How long the container that ran from `startedAt` to `finishedAt` waits before it starts again. */
  next(startedAt: Date, finishedAt: Date): { waitSeconds: number; restartAt: number } {
    if (finishedAt.getTime() - startedAt.getTime() >= 2 * this.maxSeconds * 1000) this.delaySeconds = 0;
    const waitSeconds = this.delaySeconds;
    this.delaySeconds = waitSeconds === 0 ? this.initialSeconds : Math.min(waitSeconds * 2, this.maxSeconds);
    return { waitSeconds, restartAt: finishedAt.getTime() + waitSeconds * 1000 };
  }
}
