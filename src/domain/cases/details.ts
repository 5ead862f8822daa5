import type { CaseRole, Platform } from '../../generated/prisma/enums.ts';
import { jurisdictionLabel } from '../../sanctions/lists.ts';
import { unsealOptional } from '../crypto.ts';
import { isoDate } from '../dates.ts';
import { NotFoundError } from '../errors.ts';
import { shownName } from '../targets.ts';
import type { Db, Tx } from '../tx.ts';

import { type CaseStageLabel, ENDED, stageLabel, stageToDb } from './stages.ts';
export type CaseDetails = {
  id: number;
  title: string;
  stage: CaseStageLabel;
  stageReason: string | null;
  dueOn: string | null;
  version: number;
  openedAt: Date;
  lastActivityAt: Date;
  /** `designations`: "UK 2021-03-22", one per government that designated the target. */
  targets: Array<{ id: number; name: string; status: string; designations: string[] }>;
  team: Array<{ memberId: number; name: string; organization: string; role: CaseRole }>;
  submissions: Array<{
    id: number;
    jurisdiction: string;
    submittedOn: string;
    reference: string | null;
    answeredOn: string | null;
    answer: string | null;
  }>;
  evidence: Array<{
    id: number;
    url: string | null;
    sha256: string | null;
    /** A file the bot received: its name as uploaded, size in bytes and type as the bot read them. */
    file: { name: string; size: number; type: string } | null;
    note: string | null;
    addedBy: string;
    addedAt: Date;
    retracted: { at: Date; by: string; reason: string } | null;
  }>;
  events: Array<{ id: bigint; at: Date; actor: string | null; kind: string; summary: string }>;
};

export async function caseDetails(db: Db | Tx, id: number): Promise<CaseDetails> {
  const row = await db.case.findUnique({
    where: { id },
    include: {
      targets: {
        include: { target: true },
        orderBy: { targetId: 'asc' },
      },
      members: { orderBy: [{ role: 'asc' }, { memberId: 'asc' }] },
      submissions: { orderBy: { id: 'asc' } },
      evidence: { orderBy: { id: 'asc' } },
      events: { orderBy: { id: 'asc' } },
    },
  });
  if (!row) throw new NotFoundError(`There is no case ${id}. /case list shows the open ones.`);
  const memberIds = new Set<number>([
    ...row.members.map((member) => member.memberId),
    ...row.evidence.flatMap((item) => [item.addedByMemberId, item.retractedByMemberId ?? 0]),
    ...row.events.map((event) => event.actorMemberId ?? 0),
  ]);
  const members = await db.member.findMany({
    where: { id: { in: [...memberIds] } },
    include: { organization: true },
  });
  const byId = new Map(members.map((member) => [member.id, member]));
  // Its own query, in turn: caseDetails also runs inside transactions, where Prisma's parallel
  // relation queries are not allowed on PostgreSQL's one connection.
  const designations = await db.targetDesignation.findMany({
    where: { targetId: { in: row.targets.map((link) => link.targetId) } },
    orderBy: { designatedOn: 'asc' },
  });
  const nameOf = (memberId: number | null) =>
    memberId ? (byId.get(memberId)?.displayName ?? `member ${memberId}`) : null;
  return {
    id: row.id,
    title: row.title,
    stage: stageLabel(row.stage),
    stageReason: row.stageReason,
    dueOn: isoDate(row.dueOn),
    version: row.version,
    openedAt: row.createdAt,
    lastActivityAt: row.lastActivityAt,
    targets: row.targets.map((link) => ({
      id: link.target.id,
      name: shownName(link.target),
      status: link.target.status === 'case_open' ? 'case-open' : link.target.status,
      // A confidential target's date would point to the listed person: the government only.
      designations: designations
        .filter((designation) => designation.targetId === link.targetId)
        .map((designation) =>
          link.target.confidential
            ? jurisdictionLabel(designation.jurisdiction)
            : `${jurisdictionLabel(designation.jurisdiction)} ${isoDate(designation.designatedOn)}`,
        ),
    })),
    team: row.members.map((member) => ({
      memberId: member.memberId,
      name: nameOf(member.memberId) ?? '',
      organization: byId.get(member.memberId)?.organization.slug ?? '',
      role: member.role,
    })),
    submissions: row.submissions.map((submission) => ({
      id: submission.id,
      jurisdiction: submission.jurisdiction,
      submittedOn: isoDate(submission.submittedOn) as string,
      reference: submission.reference,
      answeredOn: isoDate(submission.answeredOn),
      answer: submission.answer,
    })),
    evidence: row.evidence.map((item) => ({
      id: item.id,
      url: item.url,
      sha256: item.sha256,
      file:
        item.fileName !== null && item.fileSize !== null && item.fileType !== null
          ? { name: item.fileName, size: item.fileSize, type: item.fileType }
          : null,
      note: unsealOptional(item.note),
      addedBy: nameOf(item.addedByMemberId) ?? '',
      addedAt: item.addedAt,
      retracted: item.retractedAt
        ? {
            at: item.retractedAt,
            by: nameOf(item.retractedByMemberId) ?? '',
            reason: item.retractReason ?? '',
          }
        : null,
    })),
    events: row.events.map((event) => ({
      id: event.id,
      at: event.createdAt,
      actor: nameOf(event.actorMemberId),
      kind: event.kind,
      summary: event.summary,
    })),
  };
}

/** The case whose thread a channel is (a Discord thread started from the case card), if any. */
/**
 * The case whose thread this is: a Discord thread is a channel of its own; a Slack thread is the
 * replies under a card, named by the channel and the card's ts.
 */
export async function caseOfThread(
  db: Db,
  platform: Platform,
  channelId: string,
  threadTs?: string,
): Promise<number | undefined> {
  const thread = await db.caseThread.findFirst({
    where: threadTs ? { platform, channelId, threadId: threadTs } : { platform, threadId: channelId },
  });
  return thread?.caseId;
}

export async function listCases(
  db: Db,
  filter: { stage?: CaseStageLabel | undefined; memberId?: number | undefined; open?: boolean },
) {
  return db.case.findMany({
    where: {
      ...(filter.stage ? { stage: stageToDb(filter.stage) } : {}),
      ...(filter.open && !filter.stage ? { stage: { notIn: [...ENDED] } } : {}),
      ...(filter.memberId ? { members: { some: { memberId: filter.memberId } } } : {}),
    },
    orderBy: [{ dueOn: { sort: 'asc', nulls: 'last' } }, { id: 'asc' }],
    take: 50,
  });
}

/** Cases whose number or title matches what a member has typed so far: newest first (autocomplete). */
export async function suggestCases(db: Db, text: string, limit = 25) {
  const query = text.trim().replace(/^#/, '');
  return db.case.findMany({
    where: /^\d+$/.test(query) ? { id: Number(query) } : { title: { contains: query, mode: 'insensitive' } },
    orderBy: { id: 'desc' },
    take: limit,
    select: { id: true, title: true },
  });
}
