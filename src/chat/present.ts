import type { PollDetails } from '../domain/polls/details.ts';
import { SCORE_UNITS } from '../domain/polls/polls.ts';
import type { TargetDetails } from '../domain/targets.ts';
import { jurisdictionLabel } from '../sanctions/lists.ts';

/** Wording every renderer shares, before its own escaping and markup. */

/** "status: proposed, program: GLOMAG", or '' when nothing filters the list. */
export function describeFilters(filters: Record<string, unknown>): string {
  return Object.entries(filters)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}: ${String(value)}`)
    .join(', ');
}

/** The facts after a target's name in a one-line summary: country, programs, status. */
export function summaryParts(target: TargetDetails): string[] {
  return [target.country, target.programs.join(', ') || null, target.status].filter(
    (part): part is string => typeof part === 'string' && part !== '',
  );
}

/** A target's labelled facts, in display order, without the empty ones. */
export function targetFacts(target: TargetDetails): Array<[label: string, value: string]> {
  const facts: Array<[string, string | null]> = [
    ['Status', target.status],
    ['Kind', target.kind],
    ['Country', target.country],
    ['Position', target.position],
    ['Programs', target.programs.join(', ') || null],
    [
      'Designated',
      target.designations
        .map(
          (designation) =>
            `${jurisdictionLabel(designation.jurisdiction)} ${designation.on} (entry ${designation.entry})`,
        )
        .join('; ') || null,
    ],
    ['Proposed by', `${target.proposedBy} (${target.organization})`],
    ['Aliases', target.aliases.join('; ') || null],
  ];
  return facts.filter((fact): fact is [string, string] => fact[1] !== null);
}

/** A poll in plain sentences, for every renderer to escape and format its own way. */
export type PollText = {
  title: string;
  status: string;
  options: Array<{ text: string; score: string | null; winner: boolean }>;
  facts: string[];
  result: string[];
  explanation: string[];
  ballots: string[];
};

export function pollText(poll: PollDetails, yourBallot?: string): PollText {
  const closes = poll.closesAt.toISOString().slice(0, 16).replace('T', ' ');
  const winners = new Set(poll.outcome?.winners ?? []);
  const unit = SCORE_UNITS[poll.method];
  const label = (index: number) => {
    const option = poll.options[index];
    return option ? `${option.number}. ${option.label}` : `option ${index + 1}`;
  };
  const result: string[] = [];
  if (poll.outcome) {
    const outcome = poll.outcome;
    result.push(outcome.quorumNote);
    if (outcome.winners.length)
      result.push(
        `${outcome.winners.length > 1 ? 'Winners' : 'Winner'}: ${outcome.winners.map(label).join('; ')}`,
      );
    if (outcome.tally.ties.length) {
      result.push(
        `Ties: ${outcome.tally.ties.map((group) => group.map(label).join(' = ')).join('; ')}. Rule: ${outcome.tieBreak}.`,
      );
    }
    if (outcome.tally.ranking.length)
      result.push(`Full ranking: ${outcome.tally.ranking.map((index) => index + 1).join(' > ')}`);
    if (outcome.prioritizedTargets.length)
      result.push(`Now prioritized: ${outcome.prioritizedTargets.map((id) => `#${id}`).join(', ')}`);
  }
  return {
    title: `Poll ${poll.id}: ${poll.question}`,
    status:
      poll.status === 'open'
        ? `Open until ${closes} UTC · ${poll.methodName}`
        : `Closed · ${poll.methodName}`,
    options: poll.options.map((option, index) => ({
      text: `${option.number}. ${option.label}`,
      score: poll.standing ? `${poll.standing.scores[index] ?? 0} ${unit}` : null,
      winner: winners.has(index),
    })),
    facts: [
      `${poll.ballots} ballot${poll.ballots === 1 ? '' : 's'} from ${poll.organizations} organization${poll.organizations === 1 ? '' : 's'}${poll.standing || poll.status === 'closed' ? '' : ' · results hidden until close'}`,
      ...(poll.quorum ? [`Quorum: ${poll.quorum}`] : []),
      ...(poll.status === 'open' ? [`Vote: /vote poll:${poll.id} ${poll.voteSyntax}`] : []),
      ...(yourBallot ? [`Your current ballot: ${yourBallot}`] : []),
      poll.secrecy,
    ],
    result,
    explanation:
      poll.outcome && (poll.method === 'schulze' || poll.method === 'irv')
        ? poll.outcome.tally.explanation
        : [],
    ballots: (poll.openBallots ?? []).map((ballot) => `${ballot.voter}: ${ballot.ballot}`),
  };
}
