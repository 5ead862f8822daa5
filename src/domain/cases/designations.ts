import { authorityOf, codeOfStored, jurisdictionLabel } from '../../sanctions/lists.ts';
import { recordAudit } from '../audit.ts';
import { ForbiddenError, NotFoundError, UserError } from '../errors.ts';
import { maySee, shownName } from '../targets.ts';
import type { Actor, Db, Tx } from '../tx.ts';
import { recordCaseEvent } from './changes.ts';

/** A coordinator's word on a match: only a confirmation moves targets and cases. */
export async function decideMatch(db: Db, actor: Actor, matchId: number, confirm: boolean, now: Date) {
  return db.$transaction(async (tx) => {
    const match = await tx.sanctionsMatch.findUnique({
      where: { id: matchId },
      include: { target: { include: { caseLinks: true, proposedByOrganization: true } } },
    });
    if (!match) throw new NotFoundError(`There is no match ${matchId}.`);
    if (match.status === 'confirmed' || match.status === 'dismissed')
      throw new UserError(`Match ${matchId} was already ${match.status}.`);
    await tx.sanctionsMatch.update({
      where: { id: matchId },
      data: {
        status: confirm ? 'confirmed' : 'dismissed',
        decidedByMemberId: actor.memberId,
        decidedAt: now,
      },
    });
    await recordAudit(tx, {
      actorMemberId: actor.memberId,
      action: confirm ? 'match.confirm' : 'match.dismiss',
      entityType: 'sanctions_match',
      entityId: matchId,
      before: { status: match.status },
      after: { status: confirm ? 'confirmed' : 'dismissed' },
    });
    const cases = match.target.caseLinks.map((link) => link.caseId);
    const list = codeOfStored(match.list);
    const authority = authorityOf(list);
    const entryId = match.entryId ?? String(match.uid);
    // "OFAC entry 33674", "UK entry GHR0078": whose entry, by the id that list shows.
    const entryName = `${list === 'us' ? 'OFAC' : jurisdictionLabel(list)} entry ${entryId}`;
    if (confirm && match.kind === 'designation') {
      await tx.target.update({ where: { id: match.targetId }, data: { status: 'designated' } });
      const publication = await tx.sanctionsPublication.findUnique({ where: { id: match.publicationId } });
      const listed = await listedOnOf(tx, match.list, match.uid);
      await tx.targetDesignation.upsert({
        where: { targetId_jurisdiction: { targetId: match.targetId, jurisdiction: list } },
        create: {
          targetId: match.targetId,
          jurisdiction: list,
          designatedOn: listed ? new Date(`${listed}T00:00:00Z`) : (publication?.publishedOn ?? now),
          entryId,
          listedName: match.listedName,
          matchId,
          confirmedByMemberId: actor.memberId,
          confirmedAt: now,
        },
        update: {},
      });
    }
    for (const caseId of cases) {
      if (!confirm) {
        await recordCaseEvent(
          tx,
          caseId,
          actor.memberId,
          'match-dismissed',
          `Match ${matchId}${match.target.confidential ? '' : ` (${list === 'us' ? 'OFAC' : jurisdictionLabel(list)} ${match.listedName})`} dismissed: not our target`,
          { match: matchId },
          now,
        );
        continue;
      }
      if (match.kind === 'designation') {
        const team = await tx.caseMember.findMany({ where: { caseId } });
        const organizations = await tx.organization.findMany({
          where: {
            OR: [
              { id: match.target.proposedByOrganizationId },
              { members: { some: { id: { in: team.map((member) => member.memberId) } } } },
            ],
          },
          orderBy: { name: 'asc' },
        });
        const secret = match.target.confidential;
        await tx.case.update({
          where: { id: caseId },
          data: {
            stage: 'designated',
            stageReason: secret
              ? `${list === 'us' ? 'OFAC' : jurisdictionLabel(list)} designation confirmed`
              : `${entryName} (${match.programs.join(', ')})`,
          },
        });
        await recordCaseEvent(
          tx,
          caseId,
          actor.memberId,
          'designated',
          // A confidential target's entry would tell the thread whom the codename stands for.
          `Designation confirmed${list === 'us' ? '' : ` (${jurisdictionLabel(list)})`}: #${match.targetId} ${secret ? `${shownName(match.target)} is on the ${list === 'us' ? 'OFAC' : jurisdictionLabel(list)} list` : `is ${entryName} ${match.listedName} (${match.programs.join(', ')})`}. Credit: ${organizations.map((organization) => organization.name).join(', ')}.`,
          { match: matchId, organizations: organizations.map((organization) => organization.id) },
          now,
        );
      } else {
        await recordCaseEvent(
          tx,
          caseId,
          actor.memberId,
          'delisted',
          `Delisting confirmed: ${authority} removed ${match.target.confidential ? `the entry of ${shownName(match.target)}` : `entry ${entryId} ${match.listedName}`}`,
          { match: matchId },
          now,
        );
      }
    }
    return {
      uid: match.uid,
      list,
      entryId,
      listedName: match.listedName,
      confidential: match.target.confidential,
      shown: shownName(match.target),
      cases,
    };
  });
}

/** The listing date the list gives for an entry, from its current version. */
async function listedOnOf(tx: Tx, list: string, uid: number): Promise<string | null> {
  const version = await tx.sanctionsEntryVersion.findFirst({
    where: { list, uid },
    orderBy: { id: 'desc' },
    select: { data: true },
  });
  return (version?.data as { listedOn?: string | null } | undefined)?.listedOn ?? null;
}

/** A match in full (entry, programs, score, evidence), for those who may see its target. */
export async function matchDetails(db: Db, actor: Actor, matchId: number) {
  const match = await db.sanctionsMatch.findUnique({ where: { id: matchId }, include: { target: true } });
  if (!match) throw new NotFoundError(`There is no match ${matchId}.`);
  if (!(await maySee(db, actor, match.target))) {
    throw new ForbiddenError(
      'This match concerns a confidential target: only admins, its proposer and its case team see it.',
    );
  }
  if (match.target.confidential) {
    await recordAudit(db, {
      actorMemberId: actor.memberId,
      action: 'target.reveal',
      entityType: 'target',
      entityId: match.targetId,
      after: { via: `match ${matchId}` },
    });
  }
  return match;
}
