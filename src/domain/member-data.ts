import { randomBytes } from 'node:crypto';
import { recordAudit } from './audit.ts';
import { NotFoundError, UserError } from './errors.ts';
import type { Actor, Db } from './tx.ts';

/** Everything the bot holds about one member, for `/member export` (their own data, on request). */
export async function exportMemberData(db: Db, memberId: number) {
  const member = await db.member.findUnique({
    where: { id: memberId },
    include: { organization: true, identities: true },
  });
  if (!member) throw new NotFoundError(`No member has the number ${memberId}.`);
  const [proposals, cases, evidence, ballots, votes, audit] = await Promise.all([
    db.target.findMany({
      where: { proposedByMemberId: memberId },
      select: { id: true, primaryName: true, createdAt: true },
    }),
    db.caseMember.findMany({ where: { memberId }, select: { caseId: true, role: true } }),
    db.caseEvidence.findMany({
      where: { addedByMemberId: memberId },
      select: { id: true, caseId: true, url: true, addedAt: true },
    }),
    db.ballot.findMany({
      where: { castByMemberId: memberId },
      select: { pollId: true, choices: true, updatedAt: true },
    }),
    db.pollVoter.findMany({
      where: { memberId },
      select: { pollId: true, firstVotedAt: true, lastVotedAt: true },
    }),
    db.auditLog.findMany({
      where: { actorMemberId: memberId },
      select: { createdAt: true, action: true, entityType: true, entityId: true },
      orderBy: { id: 'asc' },
    }),
  ]);
  return {
    exportedFor: memberId,
    member: {
      id: member.id,
      name: member.displayName,
      role: member.role,
      organization: { name: member.organization.name, slug: member.organization.slug },
      createdAt: member.createdAt,
    },
    accounts: member.identities.map((identity) => ({
      platform: identity.platform,
      workspace: identity.workspaceId,
      user: identity.userId,
      linkedAt: identity.createdAt,
    })),
    proposals,
    cases,
    evidence,
    openBallots: ballots,
    pollsVotedIn: votes,
    actions: audit,
  };
}

/**
 * Erases a member's personal data while keeping the coalition's records whole: the member row stays
 * (audit rows, case events and proposals point at it) under a neutral name, their chat accounts are
 * unlinked, and their open-poll ballots no longer say whose they are. Counts and results do not move.
 */
export async function eraseMember(db: Db, actor: Actor, memberId: number): Promise<void> {
  if (memberId === actor.memberId) throw new UserError('You cannot erase yourself; ask another admin.');
  await db.$transaction(async (tx) => {
    const member = await tx.member.findUnique({ where: { id: memberId }, include: { identities: true } });
    if (!member) throw new NotFoundError(`No member has the number ${memberId}.`);
    if (member.displayName.startsWith('Erased member '))
      throw new UserError(`Member ${memberId} was already erased.`);
    await tx.platformIdentity.deleteMany({ where: { memberId } });
    await tx.member.update({
      where: { id: memberId },
      data: { displayName: `Erased member ${memberId}`, role: 'observer' },
    });
    const ballots = await tx.ballot.findMany({ where: { castByMemberId: memberId } });
    for (const ballot of ballots) {
      await tx.ballot.update({
        where: { id: ballot.id },
        data: {
          castByMemberId: null,
          ...(ballot.voterKey === `member:${memberId}`
            ? { voterKey: `erased:${randomBytes(12).toString('hex')}` }
            : {}),
        },
      });
    }
    await recordAudit(tx, {
      actorMemberId: actor.memberId,
      action: 'member.erase',
      entityType: 'member',
      entityId: memberId,
      // What was removed, not what it said: the audit log must not keep the erased data.
      after: { accountsUnlinked: member.identities.length, ballotsAnonymized: ballots.length },
    });
  });
}
