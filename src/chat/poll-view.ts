import type { PollDetails } from '../domain/polls/details.ts';
import type { CommandAction, PollView } from '../messages.ts';
import { votesByForm } from './ballot-form.ts';
import { csvCell } from './csv.ts';

/**
 * The buttons under a poll: one per option for single choice (a click is the ballot) and approval
 * (a click adds or removes that option); ranked and score polls get a Vote button that opens the
 * ballot as a form (menus), and one that shows how to type it, with the member's current ballot.
 */
export function pollActions(poll: PollDetails): CommandAction[] {
  if (poll.status === 'closed') return [];
  if (!votesByForm(poll)) {
    return poll.options.slice(0, 24).map((option) => ({
      label: `${option.number}. ${option.label}`,
      invocation: {
        command: 'vote',
        options:
          poll.method === 'single'
            ? { poll: poll.id, choice: String(option.number) }
            : { poll: poll.id, toggle: option.number },
      },
    }));
  }
  return [
    { label: 'Vote', style: 'primary', invocation: { command: 'vote', options: { poll: poll.id } } },
    { label: 'How to vote', invocation: { command: 'poll', subcommand: 'show', options: { id: poll.id } } },
  ];
}

export function pollView(poll: PollDetails, extra: Partial<Omit<PollView, 'kind' | 'poll'>> = {}): PollView {
  return { kind: 'poll', poll, actions: pollActions(poll), ephemeral: false, ...extra };
}

/** The results as CSV: one row per option (and, for open ballots after close, one per ballot). */
export function pollCsv(poll: PollDetails): string {
  const rows: Array<Array<string | number>> = [['rank', 'option', 'label', 'target', 'score']];
  const standing = poll.standing;
  if (standing) {
    standing.ranking.forEach((index, rank) => {
      const option = poll.options[index];
      rows.push([
        rank + 1,
        option?.number ?? index + 1,
        option?.label ?? '',
        option?.targetId ?? '',
        standing.scores[index] ?? 0,
      ]);
    });
  }
  if (poll.openBallots) {
    rows.push([], ['voter', 'ballot']);
    for (const ballot of poll.openBallots) rows.push([ballot.voter, ballot.ballot]);
  }
  return `${rows.map((row) => row.map(csvCell).join(',')).join('\n')}\n`;
}
