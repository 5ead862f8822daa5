/**
 * Counting rules for prioritization polls. Pure functions over ballots that name options by index
 * (0-based, in the order the poll lists them). Every method returns the full ranking, the winners
 * of the requested number of seats, the ties it met, the rule that broke them, and an explanation
 * a coordinator can read (rounds for instant-runoff, the pairwise and strongest-path tables for
 * Schulze).
 */

export type Method = 'approval' | 'single' | 'score' | 'schulze' | 'irv';

export type Ballot =
  | { kind: 'approval'; approved: number[] }
  | { kind: 'single'; choice: number }
  | { kind: 'score'; scores: Record<number, number> }
  | { kind: 'ranked'; ranking: number[] };

export const MAX_SCORE = 5;

/** The stated tie-break for every method: the option listed earlier in the poll ranks higher. */
export const TIE_BREAK_RULE =
  'ties are broken by the order in which the poll lists the options (earlier first)';

export type Tally = {
  method: Method;
  ballots: number;
  /** Option indexes, best first, ties broken by TIE_BREAK_RULE. */
  ranking: number[];
  /** Groups of options that were tied in the method itself, before the tie-break. */
  ties: number[][];
  /** Per-option total shown in the results table (approvals, first choices, score total, wins). */
  scores: number[];
  explanation: string[];
};

export function tally(method: Method, optionCount: number, ballots: Ballot[]): Tally {
  switch (method) {
    case 'approval':
      return byTotals(method, optionCount, ballots, (ballot, totals) => {
        if (ballot.kind === 'approval')
          for (const option of new Set(ballot.approved)) totals[option] = (totals[option] ?? 0) + 1;
      });
    case 'single':
      return byTotals(method, optionCount, ballots, (ballot, totals) => {
        if (ballot.kind === 'single') totals[ballot.choice] = (totals[ballot.choice] ?? 0) + 1;
      });
    case 'score':
      return byTotals(method, optionCount, ballots, (ballot, totals) => {
        if (ballot.kind !== 'score') return;
        for (const [option, score] of Object.entries(ballot.scores)) {
          totals[Number(option)] = (totals[Number(option)] ?? 0) + score;
        }
      });
    case 'schulze':
      return schulze(optionCount, rankings(ballots));
    case 'irv':
      return instantRunoff(optionCount, rankings(ballots));
  }
}

function rankings(ballots: Ballot[]): number[][] {
  return ballots.flatMap((ballot) => (ballot.kind === 'ranked' ? [ballot.ranking] : []));
}

function byTotals(
  method: Method,
  optionCount: number,
  ballots: Ballot[],
  add: (ballot: Ballot, totals: number[]) => void,
): Tally {
  const totals = new Array<number>(optionCount).fill(0);
  for (const ballot of ballots) add(ballot, totals);
  const ranking = [...totals.keys()].sort((a, b) => (totals[b] ?? 0) - (totals[a] ?? 0) || a - b);
  const ties = groupTies(ranking, (a, b) => totals[a] === totals[b]);
  const unit = method === 'score' ? 'points' : method === 'approval' ? 'approvals' : 'votes';
  return {
    method,
    ballots: ballots.length,
    ranking,
    ties,
    scores: totals,
    explanation: ranking.map((option) => `Option ${option + 1}: ${totals[option]} ${unit}`),
  };
}

/** Consecutive options in `ranking` that `same` says are equal, as groups of two or more. */
function groupTies(ranking: number[], same: (a: number, b: number) => boolean): number[][] {
  const groups: number[][] = [];
  let current: number[] = [];
  for (const option of ranking) {
    const last = current[current.length - 1];
    if (last !== undefined && same(last, option)) current.push(option);
    else {
      if (current.length > 1) groups.push(current);
      current = [option];
    }
  }
  if (current.length > 1) groups.push(current);
  return groups;
}

/**
 * Schulze: d[a][b] counts ballots ranking a above b (unranked options are below every ranked one,
 * and equal to each other); p is the strength of the strongest path (widest path, Floyd-Warshall).
 * a beats b when p[a][b] > p[b][a]. The ranking orders options by how many others they beat;
 * options that beat each other equally are tied.
 */
export function schulze(optionCount: number, ballots: number[][]): Tally {
  const n = optionCount;
  const d = pairwise(n, ballots);
  const p = strongestPaths(d);
  const beats = (a: number, b: number) => (p[a]?.[b] ?? 0) > (p[b]?.[a] ?? 0);
  const wins = [...Array(n).keys()].map((a) => [...Array(n).keys()].filter((b) => beats(a, b)).length);
  const ranking = [...Array(n).keys()].sort((a, b) => (wins[b] ?? 0) - (wins[a] ?? 0) || a - b);
  const ties = groupTies(ranking, (a, b) => !beats(a, b) && !beats(b, a) && wins[a] === wins[b]);
  const table = (matrix: number[][], title: string) => [
    title,
    ...matrix.map(
      (row, i) => `  ${i + 1}: ${row.map((value, j) => (i === j ? '-' : String(value))).join(' ')}`,
    ),
  ];
  return {
    method: 'schulze',
    ballots: ballots.length,
    ranking,
    ties,
    scores: wins,
    explanation: [
      ...table(d, 'Pairwise preferences d[a][b] (ballots ranking a above b):'),
      ...table(p, 'Strongest paths p[a][b]:'),
      ...ranking.map(
        (option) => `Option ${option + 1} beats ${wins[option]} other option(s) by strongest path`,
      ),
    ],
  };
}

/** Widest paths through the pairwise graph (Floyd-Warshall), where an edge a->b exists if d[a][b] > d[b][a]. */
export function strongestPaths(d: number[][]): number[][] {
  const n = d.length;
  const p = d.map((row, i) => row.map((value, j) => (i !== j && value > (d[j]?.[i] ?? 0) ? value : 0)));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      for (let k = 0; k < n; k++) {
        if (i === k || j === k) continue;
        const row = p[j] as number[];
        row[k] = Math.max(row[k] ?? 0, Math.min(p[j]?.[i] ?? 0, p[i]?.[k] ?? 0));
      }
    }
  }
  return p;
}

export function pairwise(n: number, ballots: number[][]): number[][] {
  const d = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (const ballot of ballots) {
    const position = new Array<number>(n).fill(Number.POSITIVE_INFINITY);
    ballot.forEach((option, rank) => {
      if (option >= 0 && option < n && position[option] === Number.POSITIVE_INFINITY) position[option] = rank;
    });
    for (let a = 0; a < n; a++) {
      for (let b = 0; b < n; b++) {
        if (a !== b && (position[a] ?? 0) < (position[b] ?? 0)) (d[a] as number[])[b] = (d[a]?.[b] ?? 0) + 1;
      }
    }
  }
  return d;
}

/**
 * Instant-runoff: each round counts every ballot for its highest-ranked continuing option; an option
 * with more than half of the continuing ballots wins, else the option with the fewest votes is
 * eliminated. A tie for fewest is broken by fewer votes in the previous round, then by TIE_BREAK_RULE
 * (the later-listed option is eliminated). The full ranking is the winner, then options in reverse
 * order of elimination.
 */
export function instantRunoff(optionCount: number, ballots: number[][]): Tally {
  const continuing = new Set([...Array(optionCount).keys()]);
  const eliminated: number[] = [];
  const explanation: string[] = [];
  const ties: number[][] = [];
  let previous: number[] | undefined;
  let firstRound: number[] | undefined;
  let winner: number | undefined;
  for (let round = 1; continuing.size > 0; round++) {
    const counts = new Array<number>(optionCount).fill(0);
    let exhausted = 0;
    for (const ballot of ballots) {
      const choice = ballot.find((option) => continuing.has(option));
      if (choice === undefined) exhausted++;
      else counts[choice] = (counts[choice] ?? 0) + 1;
    }
    firstRound ??= counts;
    const active = ballots.length - exhausted;
    const standing = [...continuing].sort((a, b) => (counts[b] ?? 0) - (counts[a] ?? 0) || a - b);
    explanation.push(
      `Round ${round}: ${standing.map((option) => `option ${option + 1} ${counts[option]}`).join(', ')}${exhausted ? ` (${exhausted} exhausted)` : ''}`,
    );
    const leader = standing[0] as number;
    if (continuing.size === 1 || (counts[leader] ?? 0) * 2 > active) {
      winner = leader;
      explanation.push(`Option ${leader + 1} wins with ${counts[leader]} of ${active} continuing ballots.`);
      break;
    }
    const fewest = Math.min(...standing.map((option) => counts[option] ?? 0));
    let last = standing.filter((option) => counts[option] === fewest);
    if (last.length > 1) {
      ties.push([...last].sort((a, b) => a - b));
      if (previous) {
        const before = previous;
        const least = Math.min(...last.map((option) => before[option] ?? 0));
        last = last.filter((option) => before[option] === least);
      }
    }
    const out = Math.max(...last);
    continuing.delete(out);
    eliminated.push(out);
    explanation.push(
      `Option ${out + 1} is eliminated${last.length > 1 || ties.some((group) => group.includes(out)) ? ` (tie for fewest; ${TIE_BREAK_RULE}, after previous-round votes)` : ''}.`,
    );
    previous = counts;
  }
  const ranking = [
    ...(winner === undefined ? [] : [winner]),
    ...[...continuing].filter((option) => option !== winner).sort((a, b) => a - b),
    ...eliminated.reverse(),
  ];
  return {
    method: 'irv',
    ballots: ballots.length,
    ranking,
    ties,
    scores: firstRound ?? new Array(optionCount).fill(0),
    explanation,
  };
}
