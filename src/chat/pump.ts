/**
 * Runs a delivery pass on a timer and whenever `kick` is called, never two at once: a kick during a
 * pass runs exactly one more pass after it, so work queued meanwhile is not left for the timer.
 * With `minGapMs`, passes start at least that far apart: a burst of kicks (a vote rush) becomes one
 * pass when the gap has run.
 */
export class Pump {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private lastStart = Number.NEGATIVE_INFINITY;
  private gapTimer: NodeJS.Timeout | undefined;
  private gapWait: Promise<void> | undefined;

  constructor(
    private readonly pass: () => Promise<void>,
    private readonly intervalMs: number,
    private readonly minGapMs = 0,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.kick(), this.intervalMs);
    this.timer.unref();
    void this.kick();
  }

  kick(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const wait = this.lastStart + this.minGapMs - Date.now();
    if (wait > 0) {
      this.gapWait ??= new Promise<void>((resolve) => {
        this.gapTimer = setTimeout(() => {
          this.gapTimer = undefined;
          this.gapWait = undefined;
          void this.kick().then(resolve);
        }, wait);
      });
      return this.gapWait;
    }
    this.lastStart = Date.now();
    this.running = this.pass().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        void this.kick();
      }
    });
    return this.running;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.gapTimer) clearTimeout(this.gapTimer);
    await this.running;
  }
}
