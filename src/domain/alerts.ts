import type { ChannelRef } from './channels.ts';
import { announce } from './outbox.ts';
import type { Db } from './tx.ts';

/**
 * Warns admins in every channel set for `admin` (`/channel set purpose:admin`). Returns how many
 * channels were told; with none set, the caller's log line is the only trace, so it says so.
 */
export async function alertAdmins(
  db: Db,
  title: string,
  lines: string[],
  options: { except?: ChannelRef } = {},
): Promise<number> {
  return db.$transaction(async (tx) =>
    announce(tx, 'admin', { kind: 'notice', tone: 'info', title, lines, ephemeral: false }, options.except),
  );
}
