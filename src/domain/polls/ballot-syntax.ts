import type { PollMethod } from '../../generated/prisma/enums.ts';
import { UserError } from '../errors.ts';
import { voteSyntax } from './polls.ts';
import type { Ballot } from './tally.ts';

/** Reads a typed ballot ("3 1 2", "1,3", "2", "1=5 2=3") for a poll of `method`; option numbers start at 1. */
export function parseBallot(method: PollMethod, text: string): Ballot {
  const value = text.trim();
  const numbers = (parts: string[]) =>
    parts.map((part) => {
      if (!/^#?\d+$/.test(part))
        throw new UserError(`"${part}" is not an option number. Vote with ${voteSyntax(method)}.`);
      return Number(part.replace('#', '')) - 1;
    });
  if (value === '') throw new UserError(`Vote with ${voteSyntax(method)}.`);
  switch (method) {
    case 'schulze':
    case 'irv':
      return { kind: 'ranked', ranking: numbers(value.split(/[\s,;>]+/).filter(Boolean)) };
    case 'approval':
      return { kind: 'approval', approved: numbers(value.split(/[\s,;]+/).filter(Boolean)) };
    case 'single': {
      const [choice, ...rest] = numbers(value.split(/[\s,;]+/).filter(Boolean));
      if (choice === undefined || rest.length > 0)
        throw new UserError('This poll takes one choice: choice:2.');
      return { kind: 'single', choice };
    }
    case 'score': {
      const scores: Record<number, number> = {};
      for (const pair of value.split(/[\s,;]+/).filter(Boolean)) {
        const match = /^#?(\d+)[=:](\d+)$/.exec(pair);
        if (!match) throw new UserError(`"${pair}" is not option=score. Vote with ${voteSyntax(method)}.`);
        const option = Number(match[1]) - 1;
        if (option in scores) throw new UserError(`Option ${option + 1} is scored twice.`);
        scores[option] = Number(match[2]);
      }
      return { kind: 'score', scores };
    }
  }
}
