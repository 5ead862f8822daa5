import type { TargetDetails } from '../domain/targets.ts';

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
    ['Proposed by', `${target.proposedBy} (${target.organization})`],
    ['Aliases', target.aliases.join('; ') || null],
  ];
  return facts.filter((fact): fact is [string, string] => fact[1] !== null);
}
