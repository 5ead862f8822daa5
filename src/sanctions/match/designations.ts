import { recordAudit } from '../../domain/audit.ts';
import { recordCaseEvent } from '../../domain/cases.ts';
import { unseal } from '../../domain/crypto.ts';
import { isoDate } from '../../domain/dates.ts';
import { ForbiddenError, NotFoundError, UserError } from '../../domain/errors.ts';
import { maySee, shownName } from '../../domain/targets.ts';
import type { Actor, Db, Tx } from '../../domain/tx.ts';
import { authorityOf, codeOfStored, jurisdictionLabel } from '../lists.ts';
import type { SdnEntry } from '../sdn.ts';
import { displayId } from '../store.ts';
import { buildIndex, MATCH_THRESHOLD, REVIEW_THRESHOLD, searchIndex } from './matcher.ts';

export type PublicationMatches = { pending: number; review: number; delistings: number };

/**
 * Compares a newly applied publication with the coalition's targets: its additions with every
 * target not dropped, its delistings with designated targets. A match above the threshold becomes
 * a pending "possible designation" in the target's case threads, for a coordinator to confirm;
 * close ones are kept for review, never announced. Nothing moves until someone confirms.
 */
export async function matchPublication(db: Db, publicationId: number): Promise<PublicationMatches> {
  const publication = await db.sanctionsPublication.findUnique({ where: { id: publicationId } });
  const result = { pending: 0, review: 0, delistings: 0 };
  if (publication?.status !== 'applied') return result;
  const changes = await db.sanctionsChange.findMany({
    where: { publicationId, kind: { in: ['added', 'removed'] } },
    select: { kind: true, details: true },
  });
  const entriesOf = (kind: 'added' | 'removed') =>
    changes
      .filter((change) => change.kind === kind)
      .map((change) => (change.details as { entry: SdnEntry }).entry);
  const added = entriesOf('added');
  const removed = entriesOf('removed');
  const list = codeOfStored(publication.list);
  const authority = authorityOf(list);
  // OFAC's messages read as they always did; the other lists say whose they are.
  const where = list === 'us' ? '' : ` (${jurisdictionLabel(list)})`;
  const entryOf = new Map([...added, ...removed].map((entry) => [entry.uid, entry]));
  if (added.length === 0 && removed.length === 0) return result;
  const targets = await db.target.findMany({
    where: { status: { not: 'dropped' } },
    include: { caseLinks: true },
  });
  const published = isoDate(publication.publishedOn);
  for (const [kind, entries] of [
    ['designation', added],
    ['delisting', removed],
  ] as const) {
    if (entries.length === 0) continue;
    const index = buildIndex(entries);
    for (const target of targets) {
      if (kind === 'delisting' && target.status !== 'designated') continue;
      const candidates = searchIndex(
        index,
        // Confidential names are decrypted here, in memory, for matching only.
        {
          name: unseal(target.primaryName),
          aliases: target.aliases.map(unseal),
          country: target.country,
          type: target.kind,
        },
        { minScore: REVIEW_THRESHOLD, limit: 3 },
      );
      for (const candidate of candidates) {
        const status = candidate.score >= MATCH_THRESHOLD ? 'pending' : 'review';
        await db.$transaction(async (tx) => {
          const match = await tx.sanctionsMatch.upsert({
            where: {
              targetId_publicationId_uid_kind: {
                targetId: target.id,
                publicationId,
                uid: candidate.uid,
                kind,
              },
            },
            create: {
              targetId: target.id,
              publicationId,
              uid: candidate.uid,
              kind,
              list: publication.list,
              entryId: displayId(entryOf.get(candidate.uid), candidate.uid),
              listedName: candidate.name,
              programs: candidate.programs,
              score: candidate.score,
              evidence: candidate.evidence,
              status,
            },
            update: {},
          });
          await recordAudit(tx, {
            actorMemberId: null,
            action: `match.${kind}.${status}`,
            entityType: 'sanctions_match',
            entityId: match.id,
            after: { targetId: target.id, uid: candidate.uid, score: candidate.score },
          });
          if (status !== 'pending') return;
          const what = `${kind === 'designation' ? 'Possible designation' : 'Possible delisting'}${where}`;
          const entryId = displayId(entryOf.get(candidate.uid), candidate.uid);
          for (const link of target.caseLinks) {
            await recordCaseEvent(
              tx,
              link.caseId,
              null,
              kind === 'designation' ? 'possible-designation' : 'possible-delisting',
              // For a confidential target the listed name would reveal whom the codename stands for.
              target.confidential
                ? `${what} of #${target.id} ${shownName(target)}: an entry ${authority} ${kind === 'designation' ? 'listed' : 'removed'} on ${published} matches (score ${candidate.score.toFixed(2)}). The case team sees the entry and the evidence with /case confirm match:${match.id} decision:show; nothing changes until a coordinator confirms.`
                : `${what} of #${target.id} ${shownName(target)}: ${authority} ${kind === 'designation' ? 'listed' : 'removed'} ${candidate.name} (entry ${entryId}; ${candidate.programs.join(', ')}) on ${published}. Score ${candidate.score.toFixed(2)}: ${candidate.evidence.join('; ')}. A coordinator confirms with /case confirm match:${match.id}; nothing changes until then.`,
              { match: match.id },
            );
          }
        });
        if (status === 'review') result.review += 1;
        else if (kind === 'designation') result.pending += 1;
        else result.delistings += 1;
      }
    }
  }
  return result;
}

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
