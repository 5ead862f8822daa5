import { openDatabase } from '../src/db/client.ts';
import { migrate } from '../src/db/migrator.ts';
import { readOfacCsvFile } from '../src/sanctions/csv.ts';
import { readCsvSnapshot } from '../src/sanctions/snapshot.ts';
import { readSheet } from '../src/sanctions/sources/spreadsheet.ts';
import { type AlliedList, READERS } from '../src/sanctions/sources/sync.ts';
import { streamXmlRecords } from '../src/sanctions/sources/xml-records.ts';
import { importListSnapshot, importPublication } from '../src/sanctions/store.ts';

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
} else if (mode === 'list-floor' && first && second) {
  // Unzip and parse, nothing else: the sheet's rows, or the XML's records through the SAX streamer.
  const started = performance.now();
  if (/\.(xlsx|xls|ods)$/i.test(second)) records = (await readSheet(second, 'bench')).rows.length;
  else {
    const root = first === 'eu' ? 'export' : 'data-set';
    const record = first === 'eu' ? 'sanctionEntity' : 'record';
    await streamXmlRecords(second, { root, record, what: 'bench' }, () => {
      records++;
    });
  }
  wallMs = performance.now() - started;
} else if (mode === 'list-import' && first && second) {
  // <list> <base> [<next>]: with a next file, the base is the unmeasured baseline and the next is
  // read, diffed and stored; with one file, reading and storing it as the baseline is measured.
  const third = process.argv[5];
  const list = first as AlliedList;
  const database = await openDatabase({ kind: 'embedded', dataDir: undefined });
  await migrate(database.sql);
  const options = (day: string) => ({ publishedOn: new Date(day), holdShare: 0.1 });
  if (third) await importListSnapshot(database.prisma, await READERS[list](second), options('2022-01-01'));
  const started = performance.now();
  const result = await importListSnapshot(
    database.prisma,
    await READERS[list](third ?? second),
    options('2025-01-01'),
  );
  wallMs = performance.now() - started;
  records = result.recordCount;
  await database.close();
} else {
  throw new Error(
    'usage: sanctions-step floor <file> | import <base> <next> | list-floor <list> <file> | list-import <list> <base> [<next>]',
  );
}
process.stdout.write(
  `${JSON.stringify({ wallMs: Math.round(wallMs), peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024), records })}\n`,
);
