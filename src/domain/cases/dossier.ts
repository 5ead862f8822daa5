import { recordAudit } from '../audit.ts';
import { ForbiddenError } from '../errors.ts';
import { describeFile } from '../evidence-files.ts';
import { getTarget, maySee } from '../targets.ts';
import type { Actor, Db } from '../tx.ts';
import { type CaseDetails, caseDetails } from './details.ts';

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
    '| id | link or file | sha256 | added by | added at | status |',
    '| -- | ------------ | ------ | -------- | -------- | ------ |',
    ...details.evidence.map(
      (item) =>
        `| E${item.id} | ${item.file ? `file ${describeFile({ ...item.file, name: cell(item.file.name) })}` : (item.url ?? '')} | ${item.sha256 ?? ''} | ${item.addedBy} | ${item.addedAt.toISOString()} | ${item.retracted ? `retracted ${item.retracted.at.toISOString()} by ${item.retracted.by}: ${item.retracted.reason}` : 'current'} |`,
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
 * A case's dossier for `actor`: refused when a target is confidential and hidden from them (the
 * dossier is the confidential record itself); each confidential target shown is on file.
 */
export async function exportDossier(db: Db, actor: Actor, caseId: number): Promise<string> {
  const details = await caseDetails(db, caseId);
  const targets = [];
  for (const { id: targetId } of details.targets) {
    const target = await getTarget(db, targetId);
    if (!(await maySee(db, actor, target)))
      throw new ForbiddenError(
        'This case concerns a confidential target: only admins, its proposer and its case team can export it.',
      );
    if (target.confidential)
      await recordAudit(db, {
        actorMemberId: actor.memberId,
        action: 'target.reveal',
        entityType: 'target',
        entityId: target.id,
        after: { via: `case ${caseId} export` },
      });
    targets.push(target);
  }
  return caseMarkdown(
    details,
    targets.map((target) => ({
      id: target.id,
      name: target.name,
      kind: target.kind,
      country: target.country,
      position: target.position,
      conduct: target.conduct,
    })),
  );
}

/** A file name inside a Markdown table: its pipes would open a new column. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
}
