import { type MatchIndex, searchIndex } from './matcher.ts';

export type Label = {
  category: string;
  query: string;
  dob?: string;
  country?: string;
  /** The uid that must come first; null: nothing may be claimed. */
  expected: number | null;
};

export type Evaluation = {
  queries: number;
  precision: number;
  recall: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  /** Per class: queries, right answers (claim or no claim), and precision and recall as above. */
  byCategory: Record<
    string,
    {
      queries: number;
      correct: number;
      claims: number;
      rightClaims: number;
      listed: number;
      precision: number;
      recall: number;
    }
  >;
  mistakes: Array<Label & { got: number | null; score: number | null }>;
};

/**
 * Precision and recall of the best candidate above the threshold. A claim is the first candidate;
 * it is right when it is the expected entry. Precision: right claims / all claims. Recall: right
 * claims / queries whose name is listed.
 */
export function evaluate(index: MatchIndex, labels: Label[]): Evaluation {
  let truePositives = 0;
  let falsePositives = 0;
  let falseNegatives = 0;
  const byCategory: Evaluation['byCategory'] = {};
  const mistakes: Evaluation['mistakes'] = [];
  for (const label of labels) {
    const [best] = searchIndex(index, {
      name: label.query,
      dob: label.dob ?? null,
      country: label.country ?? null,
    });
    const got = best?.uid ?? null;
    const correct = got === label.expected;
    if (got !== null && correct) truePositives += 1;
    if (got !== null && !correct) falsePositives += 1;
    if (label.expected !== null && !correct) falseNegatives += 1;
    const category = byCategory[label.category] ?? {
      queries: 0,
      correct: 0,
      claims: 0,
      rightClaims: 0,
      listed: 0,
      precision: 1,
      recall: 1,
    };
    byCategory[label.category] = category;
    category.queries += 1;
    if (correct) category.correct += 1;
    else mistakes.push({ ...label, got, score: best?.score ?? null });
    if (got !== null) category.claims += 1;
    if (got !== null && correct) category.rightClaims += 1;
    if (label.expected !== null) category.listed += 1;
    category.precision = category.claims ? category.rightClaims / category.claims : 1;
    category.recall = category.listed ? category.rightClaims / category.listed : 1;
  }
  const claims = truePositives + falsePositives;
  const listed = labels.filter((label) => label.expected !== null).length;
  return {
    queries: labels.length,
    precision: claims ? truePositives / claims : 1,
    recall: listed ? truePositives / listed : 1,
    truePositives,
    falsePositives,
    falseNegatives,
    byCategory,
    mistakes,
  };
}
