import { recordAudit } from '../domain/audit.ts';
import type { Db } from '../domain/tx.ts';
import type { Logger } from '../log.ts';

type Refusal = { actorMemberId: number; path: string; role: string; platform: string; reason: string };

type Burst = { refusal: Refusal; db: Db; written: number; repeats: number; timer: NodeJS.Timeout };

/** Refusals of one command by one member written one by one within a window, before counting starts. */
const WRITTEN_PER_WINDOW = 5;

/**
 * Refused attempts are audited, but a member (or a script behind a linked account) repeating one
 * refused command must not fill the permanent, append-only log: within `windowMs` of a first
 * refusal, the first few are written at once and the rest are counted; their count is written as
 * one more row when the window ends (or when the bot stops).
 */
export class RefusalAudit {
  private readonly bursts = new Map<string, Burst>();

  constructor(
    private readonly logger: Logger,
    private readonly windowMs = 60_000,
  ) {}

  async record(db: Db, refusal: Refusal): Promise<void> {
    const key = `${refusal.actorMemberId}\u0000${refusal.path}\u0000${refusal.reason}`;
    let burst = this.bursts.get(key);
    if (!burst) {
      const timer = setTimeout(() => void this.end(key), this.windowMs);
      timer.unref();
      burst = { refusal, db, written: 0, repeats: 0, timer };
      this.bursts.set(key, burst);
    }
    if (burst.written >= WRITTEN_PER_WINDOW) {
      burst.repeats++;
      return;
    }
    burst.written++;
    await this.write(db, refusal, 1);
  }

  /** Writes the counts of bursts still open (at shutdown, before the database closes). */
  async flush(): Promise<void> {
    await Promise.all([...this.bursts.keys()].map((key) => this.end(key)));
  }

  private async end(key: string): Promise<void> {
    const burst = this.bursts.get(key);
    if (!burst) return;
    this.bursts.delete(key);
    clearTimeout(burst.timer);
    if (burst.repeats > 0) await this.write(burst.db, burst.refusal, burst.repeats, true);
  }

  private async write(db: Db, refusal: Refusal, count: number, repeated = false): Promise<void> {
    try {
      await recordAudit(db, {
        actorMemberId: refusal.actorMemberId,
        action: 'command.refused',
        entityType: 'command',
        entityId: refusal.path,
        after: {
          role: refusal.role,
          platform: refusal.platform,
          reason: refusal.reason,
          count,
          ...(repeated ? { repeatedWithinSeconds: this.windowMs / 1000 } : {}),
        },
      });
    } catch (error) {
      this.logger.error(
        { command: refusal.path, err: error instanceof Error ? error.name : 'unknown' },
        'refusal audit failed',
      );
    }
  }
}
