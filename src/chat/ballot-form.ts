import type { PollDetails } from '../domain/polls/details.ts';
import { type Ballot, MAX_SCORE } from '../domain/polls/tally.ts';
import type { BallotChoice, BallotFormView, CommandAction } from '../messages.ts';

/** Ranked and score polls are voted through a form; single and approval polls by their buttons. */
export function votesByForm(poll: Pick<PollDetails, 'method'>): boolean {
  return poll.method === 'schulze' || poll.method === 'irv' || poll.method === 'score';
}

/** A stored ballot (option indexes from 0) as a form's choice (option numbers from 1). */
export function choiceOf(poll: Pick<PollDetails, 'method'>, ballot: Ballot | null): BallotChoice {
  if (poll.method === 'score')
    return {
      scores:
        ballot?.kind === 'score'
          ? Object.fromEntries(
              Object.entries(ballot.scores).map(([index, score]) => [Number(index) + 1, score]),
            )
          : {},
    };
  return { ranking: ballot?.kind === 'ranked' ? ballot.ranking.map((index) => index + 1) : [] };
}

/** A choice as /vote reads it: "3 1 2" most preferred first, or "1=5 2=3"; empty when nothing is chosen. */
export function choiceText(choice: BallotChoice): string {
  if ('ranking' in choice) return choice.ranking.join(' ');
  return Object.entries(choice.scores)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([option, score]) => `${option}=${score}`)
    .join(' ');
}

/** The form for a poll with `choice` filled in; its button casts the choice once there is one. */
export function ballotForm(poll: PollDetails, choice: BallotChoice): BallotFormView {
  const text = choiceText(choice);
  const actions: CommandAction[] = text
    ? [
        {
          label: 'Cast ballot',
          style: 'primary',
          invocation: { command: 'vote', options: { poll: poll.id, choice: text } },
        },
      ]
    : [];
  return { kind: 'ballot-form', poll, choice, actions };
}

/** "1st", "2nd", "3rd", "4th", … for the rank menus. */
export function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

/** The form in words: where a platform shows no menus (the console), and above them where it does. */
export function ballotFormText(view: BallotFormView): { title: string; lines: string[] } {
  const { poll } = view;
  const chosen = choiceText(view.choice);
  const ranked = 'ranking' in view.choice;
  return {
    title: `Your ballot in poll ${poll.id}: ${poll.question}`,
    lines: [
      ...poll.options.map((option) => `${option.number}. ${option.label}`),
      '',
      chosen ? `Chosen so far: ${chosen}` : 'Nothing chosen yet.',
      ranked
        ? `Rank as many options as you like, most preferred first; or type /vote ${poll.id} 3>1>2.`
        : `Score any option from 0 to ${MAX_SCORE}; or type /vote ${poll.id} 1=5 2=3.`,
    ],
  };
}

/** One menu of a ballot form: a place in the ranking, or an option's score, and what it offers. */
export type BallotMenu = {
  kind: 'rank' | 'score';
  /** The place (1st, 2nd, …) or the option's number. */
  slot: number;
  label: string;
  options: Array<{ label: string; value: string }>;
  /** The value the choice so far selects here. */
  selected: string | undefined;
};

/**
 * A ballot form's menus, at most `limit` (what the platform has room for): one per place in the
 * ranking offering every option, or one per option offering the scores.
 */
export function ballotMenus(view: BallotFormView, limit: number): BallotMenu[] {
  const { poll, choice } = view;
  if ('ranking' in choice) {
    const options = poll.options.map((item) => ({
      label: `${item.number}. ${item.label}`,
      value: String(item.number),
    }));
    return poll.options.slice(0, limit).map((_, place) => ({
      kind: 'rank',
      slot: place + 1,
      label: `${ordinal(place + 1)} choice`,
      options,
      selected: choice.ranking[place]?.toString(),
    }));
  }
  const scores = Array.from({ length: MAX_SCORE + 1 }, (_, score) => ({
    label: score === MAX_SCORE ? `${score} (best)` : String(score),
    value: String(score),
  }));
  return poll.options.slice(0, limit).map((item) => ({
    kind: 'score',
    slot: item.number,
    label: `${item.number}. ${item.label}`,
    options: scores,
    selected: choice.scores[item.number]?.toString(),
  }));
}
