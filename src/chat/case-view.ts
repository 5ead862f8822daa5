import type { CaseDetails } from '../domain/cases/details.ts';
import type { NoticeView } from '../messages.ts';

/**
 * The status card at the top of a case thread, edited in place as the case moves. A notice, so
 * every adapter renders (and escapes) it like any other message.
 */
export function caseCard(details: CaseDetails, headline?: string): NoticeView {
  const open = details.submissions.filter((item) => !item.answeredOn);
  const evidence = details.evidence.filter((item) => !item.retracted);
  return {
    kind: 'notice',
    tone: 'info',
    title: `${headline ? `${headline}: ` : ''}Case ${details.id}: ${details.title}`,
    lines: [
      `Stage: ${details.stage}${details.stageReason ? ` (${details.stageReason})` : ''}${details.dueOn ? ` · due ${details.dueOn}` : ''}`,
      `Targets: ${details.targets.map((target) => `#${target.id} ${target.name} (${target.status})`).join(', ')}`,
      ...(details.targets.some((target) => target.designations.length)
        ? [
            `Designated: ${details.targets
              .filter((target) => target.designations.length)
              .map((target) => `#${target.id} ${target.designations.join(', ')}`)
              .join('; ')}`,
          ]
        : []),
      `Team: ${details.team.map((member) => `${member.name}${member.role === 'owner' ? ' (owner)' : ''}`).join(', ')}`,
      `Submissions: ${
        details.submissions.length
          ? details.submissions
              .map(
                (item) =>
                  `${item.jurisdiction} ${item.submittedOn}${item.answeredOn ? ` → ${item.answer}` : ''}`,
              )
              .join('; ')
          : 'none yet'
      }${open.length ? ` (${open.length} awaiting an answer)` : ''}`,
      `Evidence: ${evidence.length} item${evidence.length === 1 ? '' : 's'}${details.evidence.length > evidence.length ? `, ${details.evidence.length - evidence.length} retracted` : ''}`,
      `Last activity: ${details.lastActivityAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    ],
    ephemeral: false,
  };
}

/** One timeline event, as posted in the case thread. */
export function caseEventView(
  event: { kind: string; summary: string; actor: string | null },
  ping: string[] = [],
): NoticeView {
  return {
    kind: 'notice',
    tone: 'info',
    title: `${event.actor ?? 'coalition-bot'}: ${event.summary}`,
    lines: [],
    ephemeral: false,
    ...(ping.length ? { ping } : {}),
  };
}
