import { describe, expect, it } from 'vitest';
import { instantRunoff, pairwise, schulze, strongestPaths, tally } from '../../src/domain/polls/tally.ts';

const repeat = (count: number, ranking: number[]) => Array.from({ length: count }, () => ranking);
const letters = (text: string) => [...text].map((letter) => letter.charCodeAt(0) - 65);

describe('Schulze', () => {
  // Wikipedia, "Schulze method", worked example: 45 voters, 5 candidates; result E > A > C > B > D.
  const wikipedia = [
    ...repeat(5, letters('ACBED')),
    ...repeat(5, letters('ADECB')),
    ...repeat(8, letters('BEDAC')),
    ...repeat(3, letters('CABED')),
    ...repeat(7, letters('CAEBD')),
    ...repeat(2, letters('CBADE')),
    ...repeat(7, letters('DCEBA')),
    ...repeat(8, letters('EBADC')),
  ];

  it('gives the published pairwise and strongest-path tables and the order E > A > C > B > D', () => {
    const d = pairwise(5, wikipedia);
    expect(d).toEqual([
      [0, 20, 26, 30, 22],
      [25, 0, 16, 33, 18],
      [19, 29, 0, 17, 24],
      [15, 12, 28, 0, 14],
      [23, 27, 21, 31, 0],
    ]);
    expect(strongestPaths(d)).toEqual([
      [0, 28, 28, 30, 24],
      [25, 0, 28, 33, 24],
      [25, 29, 0, 29, 24],
      [25, 28, 28, 0, 24],
      [25, 28, 28, 31, 0],
    ]);
    const result = schulze(5, wikipedia);
    expect(result.ranking).toEqual(letters('EACBD'));
    expect(result.ties).toEqual([]);
  });

  it('reports a tie as a tie, and breaks it by the poll order', () => {
    const result = tally('schulze', 3, [
      { kind: 'ranked', ranking: [1, 0, 2] },
      { kind: 'ranked', ranking: [0, 1, 2] },
    ]);
    expect(result.ties).toEqual([[0, 1]]);
    expect(result.ranking).toEqual([0, 1, 2]);
  });

  it('ranks unranked options below every ranked one', () => {
    const d = pairwise(3, [[2]]);
    expect(d[2]).toEqual([1, 1, 0]);
    expect(d[0]?.[1]).toBe(0);
  });

  it('agrees with a brute-force widest-path search on random ballots', () => {
    const random = seeded(42);
    for (let trial = 0; trial < 200; trial++) {
      const n = 2 + Math.floor(random() * 4);
      const ballots = Array.from({ length: 1 + Math.floor(random() * 12) }, () =>
        shuffle([...Array(n).keys()], random).slice(0, 1 + Math.floor(random() * n)),
      );
      const d = pairwise(n, ballots);
      expect(strongestPaths(d)).toEqual(bruteForcePaths(d));
      const result = schulze(n, ballots);
      const p = bruteForcePaths(d);
      const winners = [...Array(n).keys()].filter((x) =>
        [...Array(n).keys()].every((y) => x === y || (p[x]?.[y] ?? 0) >= (p[y]?.[x] ?? 0)),
      );
      expect(winners).toContain(result.ranking[0]);
    }
  });
});

describe('instant-runoff', () => {
  // The textbook Tennessee capital example (Wikipedia, "Instant-runoff voting"): Knoxville wins,
  // although Memphis leads the first round and Nashville is the Condorcet winner.
  const [memphis, nashville, chattanooga, knoxville] = [0, 1, 2, 3];
  const tennessee = [
    ...repeat(42, [memphis, nashville, chattanooga, knoxville] as number[]),
    ...repeat(26, [nashville, chattanooga, knoxville, memphis] as number[]),
    ...repeat(15, [chattanooga, knoxville, nashville, memphis] as number[]),
    ...repeat(17, [knoxville, chattanooga, nashville, memphis] as number[]),
  ];

  it('elects Knoxville, round by round', () => {
    const result = instantRunoff(4, tennessee);
    expect(result.ranking[0]).toBe(knoxville);
    expect(result.explanation).toEqual([
      'Round 1: option 1 42, option 2 26, option 4 17, option 3 15',
      'Option 3 is eliminated.',
      'Round 2: option 1 42, option 4 32, option 2 26',
      'Option 2 is eliminated.',
      'Round 3: option 4 58, option 1 42',
      'Option 4 wins with 58 of 100 continuing ballots.',
    ]);
    expect(result.ranking).toEqual([knoxville, memphis, nashville, chattanooga]);
    expect(schulze(4, tennessee).ranking[0]).toBe(nashville);
  });

  it('agrees with a direct reference count on random ballots without ties', () => {
    const random = seeded(7);
    let compared = 0;
    for (let trial = 0; trial < 300; trial++) {
      const n = 2 + Math.floor(random() * 4);
      const ballots = Array.from({ length: 1 + Math.floor(random() * 15) }, () =>
        shuffle([...Array(n).keys()], random),
      );
      const reference = referenceIrv(n, ballots);
      if (reference === 'tie') continue;
      compared++;
      expect(instantRunoff(n, ballots).ranking[0]).toBe(reference);
    }
    expect(compared).toBeGreaterThan(50);
  });
});

describe('approval, single choice and score', () => {
  it('count approvals, first choices and points, reporting ties', () => {
    const approval = tally('approval', 3, [
      { kind: 'approval', approved: [0, 1] },
      { kind: 'approval', approved: [1, 1] },
      { kind: 'approval', approved: [2] },
    ]);
    expect(approval).toMatchObject({ ranking: [1, 0, 2], scores: [1, 2, 1], ties: [[0, 2]] });
    const single = tally('single', 3, [
      { kind: 'single', choice: 2 },
      { kind: 'single', choice: 2 },
      { kind: 'single', choice: 0 },
    ]);
    expect(single).toMatchObject({ ranking: [2, 0, 1], scores: [1, 0, 2], ties: [] });
    const score = tally('score', 2, [
      { kind: 'score', scores: { 0: 5, 1: 3 } },
      { kind: 'score', scores: { 0: 0, 1: 4 } },
    ]);
    expect(score).toMatchObject({ ranking: [1, 0], scores: [5, 7] });
  });
});

function bruteForcePaths(d: number[][]): number[][] {
  const n = d.length;
  const edge = (a: number, b: number) => ((d[a]?.[b] ?? 0) > (d[b]?.[a] ?? 0) ? (d[a]?.[b] ?? 0) : 0);
  const best = (from: number, to: number, visited: Set<number>): number => {
    let strongest = edge(from, to);
    for (let via = 0; via < n; via++) {
      if (visited.has(via) || via === to || edge(from, via) === 0) continue;
      strongest = Math.max(strongest, Math.min(edge(from, via), best(via, to, new Set([...visited, via]))));
    }
    return strongest;
  };
  return Array.from({ length: n }, (_, a) =>
    Array.from({ length: n }, (_, b) => (a === b ? 0 : best(a, b, new Set([a])))),
  );
}

function referenceIrv(n: number, ballots: number[][]): number | 'tie' {
  let alive = [...Array(n).keys()];
  for (;;) {
    const counts = new Map(alive.map((option) => [option, 0]));
    for (const ballot of ballots) {
      const top = ballot.find((option) => alive.includes(option));
      if (top !== undefined) counts.set(top, (counts.get(top) ?? 0) + 1);
    }
    const total = [...counts.values()].reduce((sum, count) => sum + count, 0);
    for (const [option, count] of counts) if (count * 2 > total || alive.length === 1) return option;
    const low = Math.min(...counts.values());
    const lowest = [...counts].filter(([, count]) => count === low);
    if (lowest.length > 1) return 'tie';
    alive = alive.filter((option) => option !== lowest[0]?.[0]);
  }
}

function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}
