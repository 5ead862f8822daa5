import type { Prisma } from '../../generated/prisma/client.ts';
import type { CaseRole, Platform } from '../../generated/prisma/enums.ts';
import { recordAudit } from '../audit.ts';
import { sealOptional } from '../crypto.ts';
import { isoDate } from '../dates.ts';
import { ForbiddenError, NotFoundError, UserError } from '../errors.ts';
import { describeFile, type ReceivedFile } from '../evidence-files.ts';
import { shownName } from '../targets.ts';
import type { Actor, Db, Tx } from '../tx.ts';
import { type CaseStageLabel, FINAL, stageLabel, stageToDb } from './stages.ts';

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
  data: unknown,
  now: Date,
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
  input: { targetIds: number[]; title?: string | undefined; dueOn?: Date | undefined; now: Date },
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
      input.now,
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
  input: {
    id: number;
    stage: CaseStageLabel;
    reason?: string | undefined;
    dueOn?: Date | undefined;
    now: Date;
  },
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
      input.now,
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
  input: { id: number; memberId: number; role: CaseRole; remove?: boolean; now: Date },
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
      input.now,
    );
  });
}

export async function submitCase(
  db: Db,
  actor: Actor,
  input: {
    id: number;
    jurisdiction: string;
    submittedOn: Date;
    reference?: string | undefined;
    now: Date;
  },
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
      input.now,
    );
    return submission.id;
  });
}

export async function answerSubmission(
  db: Db,
  actor: Actor,
  input: { submissionId: number; answer: string; answeredOn: Date; now: Date },
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
      input.now,
    );
    return submission.caseId;
  });
}

export async function noteCase(
  db: Db,
  actor: Actor,
  input: { id: number; text: string; now: Date },
): Promise<void> {
  await db.$transaction(async (tx) => {
    await existingCase(tx, input.id);
    await requireCaseTeam(tx, actor, input.id, 'add notes');
    await recordCaseEvent(tx, input.id, actor.memberId, 'note', input.text, undefined, input.now);
  });
}

export async function addEvidence(
  db: Db,
  actor: Actor,
  input: {
    id: number;
    /** A link, with the sha256 the member gives; or a file the bot received and hashed itself. */
    source: { url: string; sha256?: string | undefined } | { file: ReceivedFile };
    note?: string | undefined;
    now: Date;
  },
): Promise<number> {
  return db.$transaction(async (tx) => {
    await existingCase(tx, input.id);
    await requireCaseTeam(tx, actor, input.id, 'add evidence');
    const { source } = input;
    const item = await tx.caseEvidence.create({
      data: {
        caseId: input.id,
        ...('file' in source
          ? {
              url: null,
              sha256: source.file.sha256,
              fileName: source.file.name,
              fileSize: source.file.size,
              fileType: source.file.type,
            }
          : { url: source.url, sha256: source.sha256?.toLowerCase() ?? null }),
        note: sealOptional(input.note),
        addedByMemberId: actor.memberId,
      },
    });
    await recordCaseEvent(
      tx,
      input.id,
      actor.memberId,
      'evidence',
      // The note is sealed at rest; the timeline (posted in the thread) carries the link or the
      // file's name, size and hash only.
      'file' in source
        ? `Evidence E${item.id} added: file ${describeFile(source.file)}, sha256 ${source.file.sha256}`
        : `Evidence E${item.id} added: ${source.url}`,
      { evidence: item.id, sha256: item.sha256 },
      input.now,
    );
    return item.id;
  });
}

export async function retractEvidence(
  db: Db,
  actor: Actor,
  input: { evidenceId: number; reason: string },
  now: Date,
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
      now,
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
  now: Date,
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
    await recordCaseEvent(
      tx,
      id,
      actor.memberId,
      'followed',
      `Followed from ${home.platform}`,
      { platform: home.platform },
      now,
    );
    return true;
  });
}
