import type { Prisma } from '../generated/prisma/client.ts';
import type { CaseRole, CaseStage, Platform } from '../generated/prisma/enums.ts';
import { jurisdictionLabel } from '../sanctions/lists.ts';
import { recordAudit } from './audit.ts';
import { sealOptional, unsealOptional } from './crypto.ts';
import { isoDate } from './dates.ts';
import { ForbiddenError, NotFoundError, UserError } from './errors.ts';
import { shownName } from './targets.ts';
import type { Actor, Db, Tx } from './tx.ts';

/** Stages as members write them; `under-review` is stored as `under_review`. */
export const CASE_STAGES = [
  'research',
  'drafting',
  'submitted',
  'under-review',
  'designated',
  'declined',
  'closed',
] as const;
export type CaseStageLabel = (typeof CASE_STAGES)[number];
const FINAL = ['designated', 'declined', 'closed'] as const satisfies readonly CaseStageLabel[];
/** The same stages as stored: a case in one of them is over (no reminders, not in /case list). */
const ENDED = FINAL satisfies readonly CaseStage[];

export const DEFAULT_JURISDICTIONS = ['US-Treasury', 'US-State', 'UK', 'Canada', 'EU', 'Australia'] as const;

export const stageToDb = (label: CaseStageLabel): CaseStage =>
  label === 'under-review' ? 'under_review' : label;
export const stageLabel = (stage: CaseStage): CaseStageLabel =>
  stage === 'under_review' ? 'under-review' : stage;

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
    url: string;
    sha256: string | null;
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

/**
 * Every change goes through here: the case's version moves (so thread cards are edited), its
 * activity time is set, one timeline event is appended and one audit row written, in `tx`.
 */
export async function recordCaseEvent(
  tx: Tx,
  caseId: number,
  actorMemberId: number | null,
  kind: string,
  summary: string,
  data?: unknown,
  now = new Date(),
): Promise<void> {
  await tx.case.update({
    where: { id: caseId },
    data: { version: { increment: 1 }, lastActivityAt: now, remindedAt: null },
  });
  const json = data === undefined ? undefined : (JSON.parse(JSON.stringify(data)) as Prisma.InputJsonValue);
  const event = await tx.caseEvent.create({
    data: { caseId, actorMemberId, kind, summary, ...(json === undefined ? {} : { data: json }) },
  });
  await recordAudit(tx, {
    actorMemberId,
    action: `case.${kind}`,
    entityType: 'case',
    entityId: caseId,
    after: { event: String(event.id), summary, data },
  });
}

export type ChannelContext = { platform: Platform; workspaceId: string; channelId: string } | undefined;

/** The thread's home: the workspace's cases channel, or the channel the command came from. */
async function threadChannel(tx: Tx, channel: ChannelContext) {
  if (!channel || channel.platform === 'console') return undefined;
  const setting = await tx.channelSetting.findUnique({
    where: {
      platform_workspaceId_purpose: {
        platform: channel.platform,
        workspaceId: channel.workspaceId,
        purpose: 'cases',
      },
    },
  });
  return { ...channel, channelId: setting?.channelId ?? channel.channelId };
}

export async function openCase(
  db: Db,
  actor: Actor,
  input: { targetIds: number[]; title?: string | undefined; dueOn?: Date | undefined },
  channel: ChannelContext,
): Promise<number> {
  const ids = [...new Set(input.targetIds)];
  if (ids.length === 0) throw new UserError('target: give at least one target number, e.g. target:12.');
  return db.$transaction(async (tx) => {
    const targets = await tx.target.findMany({ where: { id: { in: ids } }, orderBy: { id: 'asc' } });
    const missing = ids.filter((id) => !targets.some((target) => target.id === id));
    if (missing.length)
      throw new NotFoundError(`No target has the number ${missing.join(', ')}. /targets lists them.`);
    const held = targets.filter((target) => target.status === 'held');
    if (held.length)
      throw new UserError(
        `Target ${held.map((target) => target.id).join(', ')} is held for an admin's review; no case can be opened yet.`,
      );
    // A case team sees a confidential target in full, so only those who already may see it (admins
    // and its proposer) can open a case on it and so choose that team.
    const closed = targets.filter(
      (target) =>
        target.confidential && actor.role !== 'admin' && target.proposedByMemberId !== actor.memberId,
    );
    if (closed.length)
      throw new ForbiddenError(
        `Target ${closed.map((target) => target.id).join(', ')} is confidential: only admins and its proposer can open a case on it.`,
      );
    const dropped = targets.filter((target) => target.status === 'dropped');
    if (dropped.length)
      throw new UserError(
        `Target ${dropped.map((target) => target.id).join(', ')} was dropped; no case can be opened.`,
      );
    const title =
      input.title ??
      (targets.length === 1
        ? shownName(targets[0] as (typeof targets)[number])
        : `${shownName(targets[0] as (typeof targets)[number])} and ${targets.length - 1} other${targets.length > 2 ? 's' : ''}`);
    const created = await tx.case.create({
      data: {
        title,
        openedByMemberId: actor.memberId,
        ...(input.dueOn ? { dueOn: input.dueOn } : {}),
        targets: { create: ids.map((targetId) => ({ targetId })) },
        members: { create: [{ memberId: actor.memberId, role: 'owner' }] },
      },
    });
    await tx.target.updateMany({
      where: { id: { in: ids }, status: { in: ['proposed', 'prioritized'] } },
      data: { status: 'case_open' },
    });
    const home = await threadChannel(tx, channel);
    if (home) await tx.caseThread.create({ data: { caseId: created.id, ...home } });
    await recordCaseEvent(
      tx,
      created.id,
      actor.memberId,
      'opened',
      `Case opened for ${targets.map((target) => `#${target.id} ${shownName(target)}`).join(', ')}`,
      { targets: ids },
    );
    return created.id;
  });
}

/** Whether the case holds a confidential target: then coordinators get no standing over it. */
async function isConfidentialCase(tx: Tx, caseId: number): Promise<boolean> {
  return (await tx.caseTarget.count({ where: { caseId, target: { confidential: true } } })) > 0;
}

/**
 * Owners of the case, coordinators and admins may run it; others only read. On a case with a
 * confidential target, only its owners and admins: joining the team reveals the target.
 */
async function requireCaseLead(tx: Tx, actor: Actor, caseId: number, what: string): Promise<void> {
  if (actor.role === 'admin') return;
  const confidential = await isConfidentialCase(tx, caseId);
  if (actor.role === 'coordinator' && !confidential) return;
  const membership = await tx.caseMember.findUnique({
    where: { caseId_memberId: { caseId, memberId: actor.memberId } },
  });
  if (membership?.role !== 'owner')
    throw new ForbiddenError(
      confidential
        ? `This case is confidential: only its owners and admins can ${what}.`
        : `Only the case's owners, coordinators and admins can ${what}.`,
    );
}

async function requireCaseTeam(tx: Tx, actor: Actor, caseId: number, what: string): Promise<void> {
  if (actor.role === 'admin') return;
  const confidential = await isConfidentialCase(tx, caseId);
  if (actor.role === 'coordinator' && !confidential) return;
  const membership = await tx.caseMember.findUnique({
    where: { caseId_memberId: { caseId, memberId: actor.memberId } },
  });
  if (!membership)
    throw new ForbiddenError(
      confidential
        ? `This case is confidential: only its team and admins can ${what}. Ask an owner to add you with /case assign.`
        : `Only the case team, coordinators and admins can ${what}. Ask an owner to add you with /case assign.`,
    );
}

async function existingCase(tx: Tx, id: number) {
  const found = await tx.case.findUnique({ where: { id } });
  if (!found) throw new NotFoundError(`There is no case ${id}. /case list shows the open ones.`);
  return found;
}

export async function moveCase(
  db: Db,
  actor: Actor,
  input: { id: number; stage: CaseStageLabel; reason?: string | undefined; dueOn?: Date | undefined },
): Promise<void> {
  await db.$transaction(async (tx) => {
    const current = await existingCase(tx, input.id);
    await requireCaseLead(tx, actor, input.id, 'move a case');
    const from = stageLabel(current.stage);
    if (from === input.stage && !input.dueOn) throw new UserError(`Case ${input.id} is already ${from}.`);
    const final = (stage: CaseStageLabel) => (FINAL as readonly CaseStageLabel[]).includes(stage);
    if ((final(input.stage) || final(from)) && !input.reason && from !== input.stage)
      throw new UserError(`reason: say why the case ${final(from) ? 'is reopened' : `is ${input.stage}`}.`);
    await tx.case.update({
      where: { id: input.id },
      data: {
        stage: stageToDb(input.stage),
        stageReason: input.reason ?? null,
        ...(input.dueOn ? { dueOn: input.dueOn } : {}),
      },
    });
    if (input.stage === 'designated') await markTargets(tx, input.id, 'designated');
    const due = input.dueOn ? `; due ${isoDate(input.dueOn)}` : '';
    await recordCaseEvent(
      tx,
      input.id,
      actor.memberId,
      'moved',
      from === input.stage
        ? `Due date set${due}`
        : `Moved from ${from} to ${input.stage}${input.reason ? `: ${input.reason}` : ''}${due}`,
      { from, to: input.stage, reason: input.reason ?? null },
    );
  });
}

async function markTargets(tx: Tx, caseId: number, status: 'designated') {
  const links = await tx.caseTarget.findMany({ where: { caseId } });
  await tx.target.updateMany({ where: { id: { in: links.map((link) => link.targetId) } }, data: { status } });
}

export async function assignCase(
  db: Db,
  actor: Actor,
  input: { id: number; memberId: number; role: CaseRole; remove?: boolean },
): Promise<void> {
  await db.$transaction(async (tx) => {
    await existingCase(tx, input.id);
    await requireCaseLead(tx, actor, input.id, 'change the case team');
    const member = await tx.member.findUnique({ where: { id: input.memberId } });
    if (!member) throw new NotFoundError(`No member has the number ${input.memberId}.`);
    const key = { caseId_memberId: { caseId: input.id, memberId: input.memberId } };
    if (input.remove) {
      const owners = await tx.caseMember.count({ where: { caseId: input.id, role: 'owner' } });
      const current = await tx.caseMember.findUnique({ where: key });
      if (!current) throw new UserError(`${member.displayName} is not on case ${input.id}.`);
      if (current.role === 'owner' && owners === 1)
        throw new UserError('A case keeps at least one owner: add another owner first.');
      await tx.caseMember.delete({ where: key });
    } else {
      await tx.caseMember.upsert({
        where: key,
        create: { caseId: input.id, memberId: input.memberId, role: input.role },
        update: { role: input.role },
      });
    }
    await recordCaseEvent(
      tx,
      input.id,
      actor.memberId,
      'assigned',
      input.remove
        ? `${member.displayName} left the case team`
        : `${member.displayName} is ${input.role === 'owner' ? 'an owner' : 'on the case team'}`,
      { memberId: input.memberId, role: input.role, removed: Boolean(input.remove) },
    );
  });
}

export async function submitCase(
  db: Db,
  actor: Actor,
  input: { id: number; jurisdiction: string; submittedOn: Date; reference?: string | undefined },
): Promise<number> {
  return db.$transaction(async (tx) => {
    const current = await existingCase(tx, input.id);
    await requireCaseTeam(tx, actor, input.id, 'record submissions');
    const submission = await tx.caseSubmission.create({
      data: {
        caseId: input.id,
        jurisdiction: input.jurisdiction,
        submittedOn: input.submittedOn,
        reference: input.reference ?? null,
        createdByMemberId: actor.memberId,
      },
    });
    if (['research', 'drafting'].includes(current.stage)) {
      await tx.case.update({ where: { id: input.id }, data: { stage: 'submitted', stageReason: null } });
    }
    await recordCaseEvent(
      tx,
      input.id,
      actor.memberId,
      'submitted',
      `Submitted to ${input.jurisdiction} on ${isoDate(input.submittedOn)}${input.reference ? ` (ref. ${input.reference})` : ''}`,
      { submission: submission.id, jurisdiction: input.jurisdiction },
    );
    return submission.id;
  });
}

export async function answerSubmission(
  db: Db,
  actor: Actor,
  input: { submissionId: number; answer: string; answeredOn: Date },
): Promise<number> {
  return db.$transaction(async (tx) => {
    const submission = await tx.caseSubmission.findUnique({ where: { id: input.submissionId } });
    if (!submission) throw new NotFoundError(`There is no submission ${input.submissionId}.`);
    await requireCaseTeam(tx, actor, submission.caseId, 'record answers');
    await tx.caseSubmission.update({
      where: { id: submission.id },
      data: { answer: input.answer, answeredOn: input.answeredOn },
    });
    await recordCaseEvent(
      tx,
      submission.caseId,
      actor.memberId,
      'answered',
      `${submission.jurisdiction} answered on ${isoDate(input.answeredOn)}: ${input.answer}`,
      { submission: submission.id },
    );
    return submission.caseId;
  });
}

export async function noteCase(db: Db, actor: Actor, input: { id: number; text: string }): Promise<void> {
  await db.$transaction(async (tx) => {
    await existingCase(tx, input.id);
    await requireCaseTeam(tx, actor, input.id, 'add notes');
    await recordCaseEvent(tx, input.id, actor.memberId, 'note', input.text);
  });
}

export async function addEvidence(
  db: Db,
  actor: Actor,
  input: { id: number; url: string; sha256?: string | undefined; note?: string | undefined },
): Promise<number> {
  return db.$transaction(async (tx) => {
    await existingCase(tx, input.id);
    await requireCaseTeam(tx, actor, input.id, 'add evidence');
    const item = await tx.caseEvidence.create({
      data: {
        caseId: input.id,
        url: input.url,
        sha256: input.sha256?.toLowerCase() ?? null,
        note: sealOptional(input.note),
        addedByMemberId: actor.memberId,
      },
    });
    await recordCaseEvent(
      tx,
      input.id,
      actor.memberId,
      'evidence',
      // The note is sealed at rest; the timeline (posted in the thread) carries the link only.
      `Evidence E${item.id} added: ${input.url}`,
      { evidence: item.id, sha256: item.sha256 },
    );
    return item.id;
  });
}

export async function retractEvidence(
  db: Db,
  actor: Actor,
  input: { evidenceId: number; reason: string },
  now = new Date(),
): Promise<number> {
  return db.$transaction(async (tx) => {
    const item = await tx.caseEvidence.findUnique({ where: { id: input.evidenceId } });
    if (!item) throw new NotFoundError(`There is no evidence E${input.evidenceId}.`);
    if (item.retractedAt) throw new UserError(`Evidence E${item.id} was already retracted.`);
    await requireCaseTeam(tx, actor, item.caseId, 'retract evidence');
    await tx.caseEvidence.update({
      where: { id: item.id },
      data: { retractedAt: now, retractedByMemberId: actor.memberId, retractReason: input.reason },
    });
    await recordCaseEvent(
      tx,
      item.caseId,
      actor.memberId,
      'evidence-retracted',
      `Evidence E${item.id} retracted: ${input.reason}`,
      { evidence: item.id },
    );
    return item.caseId;
  });
}

/** Shows the case in a thread on this platform too; the history stays in /case status and export. */
export async function followCase(
  db: Db,
  actor: Actor,
  id: number,
  channel: ChannelContext,
): Promise<boolean> {
  return db.$transaction(async (tx) => {
    await existingCase(tx, id);
    const home = await threadChannel(tx, channel);
    if (!home)
      throw new UserError('Run /case follow in the Slack or Discord workspace that should follow the case.');
    const existing = await tx.caseThread.findUnique({
      where: {
        caseId_platform_workspaceId: { caseId: id, platform: home.platform, workspaceId: home.workspaceId },
      },
    });
    if (existing) return false;
    const last = await tx.caseEvent.findFirst({ where: { caseId: id }, orderBy: { id: 'desc' } });
    await tx.caseThread.create({ data: { caseId: id, ...home, postedEventId: last?.id ?? 0 } });
    await recordCaseEvent(tx, id, actor.memberId, 'followed', `Followed from ${home.platform}`, {
      platform: home.platform,
    });
    return true;
  });
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

/** The dossier as Markdown: targets, team, evidence with hashes, submissions and the whole timeline. */
export function caseMarkdown(details: CaseDetails, targets: Array<Record<string, unknown>>): string {
  const lines = [
    `# Case ${details.id}: ${details.title}`,
    '',
    `- Stage: ${details.stage}${details.stageReason ? ` (${details.stageReason})` : ''}`,
    `- Opened: ${details.openedAt.toISOString()}`,
    ...(details.dueOn ? [`- Due: ${details.dueOn}`] : []),
    `- Team: ${details.team.map((member) => `${member.name} (${member.organization}, ${member.role})`).join('; ')}`,
    '',
    '## Targets',
    '',
    ...targets.map(
      (target) =>
        `- #${target.id} ${target.name} (${target.kind}${target.country ? `, ${target.country}` : ''})${target.position ? `: ${target.position}` : ''}${target.conduct ? `\n  Conduct: ${target.conduct}` : ''}`,
    ),
    '',
    '## Evidence',
    '',
    '| id | link | sha256 | added by | added at | status |',
    '| -- | ---- | ------ | -------- | -------- | ------ |',
    ...details.evidence.map(
      (item) =>
        `| E${item.id} | ${item.url} | ${item.sha256 ?? ''} | ${item.addedBy} | ${item.addedAt.toISOString()} | ${item.retracted ? `retracted ${item.retracted.at.toISOString()} by ${item.retracted.by}: ${item.retracted.reason}` : 'current'} |`,
    ),
    '',
    '## Submissions',
    '',
    ...details.submissions.map(
      (item) =>
        `- ${item.jurisdiction}, ${item.submittedOn}${item.reference ? `, ref. ${item.reference}` : ''}: ${item.answeredOn ? `answered ${item.answeredOn}: ${item.answer}` : 'no answer yet'}`,
    ),
    '',
    '## Timeline',
    '',
    ...details.events.map(
      (event) => `- ${event.at.toISOString()} ${event.actor ?? 'coalition-bot'}: ${event.summary}`,
    ),
    '',
  ];
  // Markdown table cells must not break the table.
  return lines.map((line) => line.replace(/\r?\n(?! {2})/g, ' ')).join('\n');
}

/**
 * Pings the owners of quiet cases (no activity for `staleDays`) and of submissions unanswered
 * after `followUpDays`, in the case thread, at most once per period. A reminder is not activity.
 */
export async function remindCases(
  db: Db,
  now: Date,
  options: { staleDays: number; followUpDays: number },
): Promise<number[]> {
  const day = 86_400_000;
  const staleBefore = new Date(now.getTime() - options.staleDays * day);
  const followUpBefore = new Date(now.getTime() - options.followUpDays * day);
  const reminded: number[] = [];
  const ended = { notIn: [...ENDED] };
  /** Claims the reminder (so two replicas post it once) and posts it in the case thread. */
  const remind = (caseId: number, claim: (tx: Tx) => Promise<{ count: number }>, summary: string) =>
    db.$transaction(async (tx) => {
      if ((await claim(tx)).count === 0) return;
      const owners = await tx.caseMember.findMany({ where: { caseId, role: 'owner' } });
      await tx.caseEvent.create({
        data: { caseId, kind: 'reminder', summary, data: { ping: owners.map((owner) => owner.memberId) } },
      });
      reminded.push(caseId);
    });
  const notSince = (before: Date) => [{ remindedAt: null }, { remindedAt: { lt: before } }];
  const quiet = await db.case.findMany({
    where: { stage: ended, lastActivityAt: { lt: staleBefore }, OR: notSince(staleBefore) },
  });
  for (const item of quiet) {
    await remind(
      item.id,
      (tx) =>
        tx.case.updateMany({ where: { id: item.id, OR: notSince(staleBefore) }, data: { remindedAt: now } }),
      `No activity on this case for ${options.staleDays} days. Owners: a note, a move or a submission?`,
    );
  }
  const waiting = await db.caseSubmission.findMany({
    where: {
      answeredOn: null,
      submittedOn: { lt: followUpBefore },
      OR: notSince(followUpBefore),
      case: { stage: ended },
    },
  });
  for (const submission of waiting) {
    await remind(
      submission.caseId,
      (tx) =>
        tx.caseSubmission.updateMany({
          where: { id: submission.id, OR: notSince(followUpBefore) },
          data: { remindedAt: now },
        }),
      `${submission.jurisdiction} has not answered the submission of ${isoDate(submission.submittedOn)} after ${options.followUpDays} days: time to follow up (/case answer submission:${submission.id} when they do).`,
    );
  }
  return reminded;
}
