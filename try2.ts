import { readCsvSnapshot } from './src/sanctions/snapshot.ts';
import { buildIndex, searchIndex } from './src/sanctions/match/matcher.ts';
const snap = await readCsvSnapshot({ sdn: '/work/shared/fixtures/ofac/history/sdn-2022-12-09.csv.gz' });
const index = buildIndex([...snap.entries.values()]);
for (const name of ['Godwin MTANGA','Ali SAUCEDA','Mahmood MOHAMMADHASNI','Transparency International']) {
  console.log(name, searchIndex(index, { name }, { minScore: 0.5, limit: 3 }).map(c => `${c.uid} ${c.name} ${c.score} ${c.evidence[0]}`));
}
console.log(snap.entries.get(9443)?.name, snap.entries.get(9443)?.aliases);
