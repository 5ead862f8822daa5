import { enqueue } from '../outbox.ts';
import type { Db } from '../tx.ts';
import { closePoll } from './polls.ts';

/** Closes every open poll whose time has come (also those that passed while the bot was down). */
export async function closeDuePolls(db: Db, now: Date): Promise<number[]> {
  const due = await db.poll.findMany({
    where: { status: 'open', closesAt: { lte: now } },
    select: { id: true },
    orderBy: { closesAt: 'asc' },
  });
  const closed: number[] = [];
  for (const { id } of due) {
    try {
      await closePoll(db, id, now, null);
      closed.push(id);
    } catch (error) {
      // Another replica closed it first: nothing to do.
      if (!(error instanceof Error && /already closed/.test(error.message))) throw error;
    }
  }
  return closed;
}

/**
 * Posts one reminder per poll, at its reminder time, in the channels showing it: the organizations
 * (or members) that have not voted, by name. Names only: a reminder never pings anyone.
 */
export async function remindDuePolls(db: Db, now: Date): Promise<number[]> {
  const due = await db.poll.findMany({
    where: { status: 'open', remindAt: { lte: now }, remindedAt: null, closesAt: { gt: now } },
    include: { voters: true, posts: true },
  });
  const reminded: number[] = [];
  for (const poll of due) {
    const claimed = await db.poll.updateMany({
      where: { id: poll.id, remindedAt: null },
      data: { remindedAt: now },
    });
    if (claimed.count === 0) continue;
    const voted = new Set(
      poll.voters.map((voter) => (poll.per === 'organization' ? voter.organizationId : voter.memberId)),
    );
    const missing =
      poll.per === 'organization'
        ? (
            await db.organization.findMany({
              where: { members: { some: { role: { in: ['admin', 'coordinator', 'member'] } } } },
              orderBy: { name: 'asc' },
            })
          )
            .filter((organization) => !voted.has(organization.id))
            .map((organization) => organization.name)
        : (
            await db.member.findMany({
              where: { role: { in: ['admin', 'coordinator', 'member'] } },
              orderBy: { displayName: 'asc' },
            })
          )
            .filter((member) => !voted.has(member.id))
            .map((member) => member.displayName);
    await db.$transaction(async (tx) => {
      await enqueue(tx, poll.posts, {
        kind: 'notice',
        tone: 'info',
        title: `Reminder: poll ${poll.id} closes ${poll.closesAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
        lines: [
          poll.question,
          missing.length
            ? `Not voted yet (${poll.per === 'organization' ? 'organizations' : 'members'}): ${missing.join(', ')}`
            : 'Everyone has voted.',
          `Vote with /vote poll:${poll.id} or the buttons on the poll.`,
        ],
        ephemeral: false,
      });
    });
    reminded.push(poll.id);
  }
  return reminded;
}
