import { recordAudit } from '../../domain/audit.ts';
import { recordCaseEvent } from '../../domain/cases/changes.ts';
import { unseal } from '../../domain/crypto.ts';
import { isoDate } from '../../domain/dates.ts';
import { shownName } from '../../domain/targets.ts';
import type { Db } from '../../domain/tx.ts';
import { authorityOf, codeOfStored, jurisdictionLabel } from '../lists.ts';
import { displayId } from '../store.ts';
import { storedChangeEntry } from '../stored.ts';
import { buildIndex, MATCH_THRESHOLD, REVIEW_THRESHOLD, searchIndex } from './matcher.ts';

export type PublicationMatches = { pending: number; review: number; delistings: number };

/**
 * Compares a newly applied publication with the coalition's targets: its additions with every
 * target not dropped, its delistings with designated targets. A match above the threshold becomes
 * a pending "possible designation" in the target's case threads, for a coordinator to confirm;
 * close ones are kept for review, never announced. Nothing moves until someone confirms.
 */
export async function matchPublication(
  db: Db,
  publicationId: number,
  now: Date,
): Promise<PublicationMatches> {
  const publication = await db.sanctionsPublication.findUnique({ where: { id: publicationId } });
  const result = { pending: 0, review: 0, delistings: 0 };
  if (publication?.status !== 'applied') return result;
  const changes = await db.sanctionsChange.findMany({
    where: { publicationId, kind: { in: ['added', 'removed'] } },
    select: { kind: true, details: true },
  });
  const entriesOf = (kind: 'added' | 'removed') =>
    changes.filter((change) => change.kind === kind).map((change) => storedChangeEntry(change.details));
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
              now,
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
