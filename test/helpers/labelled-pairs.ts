import { buildIndex, searchIndex } from '../../src/sanctions/match/matcher.ts';
import { blankEntry } from '../../src/sanctions/sources/model.ts';

export type LabelledPair = {
  schema: string;
  name1: string;
  name2: string;
  same: boolean;
  category: string;
  watchmanScore: number;
};

/** Splits one CSV line (quoted cells, doubled quotes inside them). */
function cells(line: string): string[] {
  const out: string[] = [];
  let cell = '';
  let quoted = false;
  for (let index = 0; index < line.length; index++) {
    const char = line[index] as string;
    if (quoted) {
      if (char === '"' && line[index + 1] === '"') {
        cell += '"';
        index++;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      out.push(cell);
      cell = '';
    } else cell += char;
  }
  out.push(cell);
  return out;
}

/** The pairs of a watchman-style fixture: `schema,name1,name2,is_match,category,score`, # comments. */
export function readLabelledPairs(text: string): LabelledPair[] {
  const lines = text.split('\n').filter((line) => line.trim() && !line.startsWith('#'));
  const [header, ...rows] = lines;
  if (header !== 'schema,name1,name2,is_match,category,score')
    throw new Error(`unexpected header: ${header}`);
  return rows.map((line) => {
    const [schema, name1, name2, isMatch, category, score, ...rest] = cells(line);
    if (rest.length || score === undefined || (isMatch !== 'true' && isMatch !== 'false'))
      throw new Error(`malformed row: ${line}`);
    return {
      schema: schema as string,
      name1: name1 as string,
      name2: name2 as string,
      same: isMatch === 'true',
      category: category as string,
      watchmanScore: Number(score),
    };
  });
}

/** How the matcher scores one name against another listed alone, the way a list entry is searched. */
export function pairScore(query: string, listed: string): number {
  const entry = blankEntry({ uid: 1, name: listed, type: 'entity' });
  return searchIndex(buildIndex([entry]), { name: query }, { minScore: 0 })[0]?.score ?? 0;
}
