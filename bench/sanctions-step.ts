import { openDatabase } from '../src/db/client.ts';
import { migrate } from '../src/db/migrator.ts';
import { readOfacCsvFile } from '../src/sanctions/csv.ts';
import { readCsvSnapshot } from '../src/sanctions/snapshot.ts';
import { importPublication } from '../src/sanctions/store.ts';

/**
 * One measured step, in its own process so its peak RSS is its own:
 *   floor <file>            decompress and split into records, nothing else
 *   import <base> <next>    import <base> as the baseline (not measured), then read, diff and store <next>
 */
const [mode, first, second] = process.argv.slice(2);
let wallMs = 0;
let records = 0;
if (mode === 'floor' && first) {
  const started = performance.now();
  for await (const _row of readOfacCsvFile(first, 'SDN.CSV')) records++;
  wallMs = performance.now() - started;
} else if (mode === 'import' && first && second) {
  const database = await openDatabase({ kind: 'embedded', dataDir: undefined });
  await migrate(database.sql);
  await importPublication(database.prisma, await readCsvSnapshot({ sdn: first }), {
    publishedOn: new Date('2022-12-08'),
    holdShare: 0.1,
  });
  const started = performance.now();
  const snapshot = await readCsvSnapshot({ sdn: second });
  const result = await importPublication(database.prisma, snapshot, {
    publishedOn: new Date('2022-12-09'),
    holdShare: 0.1,
  });
  wallMs = performance.now() - started;
  records = result.recordCount;
  await database.close();
} else {
  throw new Error('usage: sanctions-step floor <file> | import <base> <next>');
}
process.stdout.write(
  `${JSON.stringify({ wallMs: Math.round(wallMs), peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024), records })}\n`,
);
