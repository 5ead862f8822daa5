import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Database, openDatabase } from '../src/db/client.ts';
import { migrate } from '../src/db/migrator.ts';
import { readOfacCsvFile } from '../src/sanctions/csv.ts';
import { refreshLinks } from '../src/sanctions/links.ts';
import { readCsvSource } from '../src/sanctions/snapshot.ts';
import { readSheet } from '../src/sanctions/sources/spreadsheet.ts';
import { type AlliedList, READERS } from '../src/sanctions/sources/sync.ts';
import { streamXmlRecords } from '../src/sanctions/sources/xml-records.ts';
import { importListSnapshot, importPublication } from '../src/sanctions/store.ts';

/**
 * One measured step, in its own process so its peak RSS is its own:
 *   floor <file>            decompress and split into records, nothing else
 *   import <base> <next>    import <base> as the baseline (not measured), then read, diff and store <next>
 *
 * Both run as the bot does: an embedded database in a data directory, migrated and its client warm,
 * opened before the clock and the peak start. The embedded database lives in the bot's process, so
 * the floor holds it open too; the peak is reset (clear_refs) just before the measured work, so a
 * baseline import before it does not count.
 */
const [mode, first, second] = process.argv.slice(2);
let wallMs = 0;
let records = 0;
const scratch = mkdtempSync(join(tmpdir(), 'sanctions-step-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

async function benchDatabase(): Promise<Database> {
  const database = await openDatabase({ kind: 'embedded', dataDir: scratch });
  await migrate(database.sql);
  await database.prisma.sanctionsPublication.count();
  return database;
}

/**
 * Starts the peak from here, in the state a bot imports in: a day after its last import, idle for
 * hours. The garbage of what ran before (the unmeasured baseline import, start-up) is collected,
 * and V8 is given the time to hand back the memory it held for it: a collection alone keeps the
 * pages (the x4 baseline left 330-360 MB resident, with 30 MB of heap in use); V8's memory reducer
 * returns them 9-12 s later (220 MB), as it does in an idle bot. The database's own memory (PGlite's
 * heap, which never shrinks) stays counted. The floor starts from the same settled state.
 */
async function resetPeak(): Promise<void> {
  (globalThis as { gc?: () => void }).gc?.();
  const started = Date.now();
  for (;;) {
    const { heapTotal, heapUsed } = process.memoryUsage();
    if (heapTotal <= heapUsed * 1.3 || Date.now() - started > 30_000) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  writeFileSync('/proc/self/clear_refs', '5');
}

function peakMb(): number {
  return Math.round(
    Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) / 1024,
  );
}

if (mode === 'floor' && first) {
  const database = await benchDatabase();
  await resetPeak();
  const started = performance.now();
  for await (const _row of readOfacCsvFile(first, 'SDN.CSV')) records++;
  wallMs = performance.now() - started;
  await database.close();
} else if (mode === 'import' && first && second) {
  const database = await benchDatabase();
  await importPublication(database.prisma, await readCsvSource({ sdn: first }), {
    publishedOn: new Date('2022-12-08'),
    holdShare: 0.1,
  });
  await resetPeak();
  const started = performance.now();
  const snapshot = await readCsvSource({ sdn: second });
  const result = await importPublication(database.prisma, snapshot, {
    publishedOn: new Date('2022-12-09'),
    holdShare: 0.1,
  });
  wallMs = performance.now() - started;
  records = result.recordCount;
  await database.close();
} else if (mode === 'list-floor' && first && second) {
  // Unzip and parse, nothing else: the sheet's rows, or the XML's records through the SAX streamer.
  const database = await benchDatabase();
  await resetPeak();
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
  await database.close();
} else if (mode === 'list-import' && first && second) {
  // <list> <base> [<next>]: with a next file, the base is the unmeasured baseline and the next is
  // read, diffed and stored; with one file, reading and storing it as the baseline is measured.
  const third = process.argv[5];
  const list = first as AlliedList;
  const database = await benchDatabase();
  const options = (day: string) => ({ publishedOn: new Date(day), holdShare: 0.1 });
  if (third) await importListSnapshot(database.prisma, await READERS[list](second), options('2022-01-01'));
  await resetPeak();
  const started = performance.now();
  const result = await importListSnapshot(
    database.prisma,
    await READERS[list](third ?? second),
    options('2025-01-01'),
  );
  wallMs = performance.now() - started;
  records = result.recordCount;
  await database.close();
} else if (mode === 'links-prepare' && first && second) {
  // <data dir> <fixtures dir>: every list imported into a data directory, for `links` to open.
  const database = await openDatabase({ kind: 'embedded', dataDir: first });
  await migrate(database.sql);
  const us = join(second, 'ofac', 'full-2021-07-07');
  await importPublication(
    database.prisma,
    await readCsvSource({
      sdn: join(us, 'sdn.csv.gz'),
      alt: join(us, 'alt.csv.gz'),
      add: join(us, 'add.csv.gz'),
    }),
    { publishedOn: new Date('2021-07-07'), holdShare: 0.1 },
  );
  for (const [list, file, day] of [
    ['uk', 'uk/ofsi-conlist-2025-04-10.xlsx', '2025-04-10'],
    ['ca', 'canada/sema-lmes-2025-05-25.xml', '2025-05-25'],
    ['au', 'australia/dfat-consolidated-2024-12-17.xlsx', '2024-12-17'],
    ['eu', 'eu/fsf-2022-03-18-excerpt.xml.gz', '2022-03-18'],
  ] as const) {
    const result = await importListSnapshot(database.prisma, await READERS[list](join(second, file)), {
      publishedOn: new Date(day),
      holdShare: 0.1,
    });
    records += result.recordCount;
  }
  await database.close();
} else if (mode === 'links' && first) {
  // <data dir>: resolve every entry of every list against the others, from no stored link. The
  // peak counted is above the process as it stood with the database open and its client warm (the
  // first Prisma query instantiates its query compiler, 57 MB, which a running bot has done long
  // before), nothing of the lists loaded.
  const database = await openDatabase({ kind: 'embedded', dataDir: first });
  await database.prisma.mirrorResolution.count();
  const baseline = process.memoryUsage().rss;
  const started = performance.now();
  const resolution = await refreshLinks(database.prisma, { now: new Date() });
  wallMs = performance.now() - started;
  records = resolution.entries;
  const peak = process.resourceUsage().maxRSS * 1024;
  process.stdout.write(
    `${JSON.stringify({ wallMs: Math.round(wallMs), peakRssMb: Math.round(peak / 1048576), extraRssMb: Math.round((peak - baseline) / 1048576), records, links: resolution.links })}\n`,
  );
  await database.close();
  process.exit(0);
} else {
  throw new Error(
    'usage: sanctions-step floor <file> | import <base> <next> | list-floor <list> <file> | list-import <list> <base> [<next>] | links-prepare <dir> <fixtures> | links <dir>',
  );
}
process.stdout.write(`${JSON.stringify({ wallMs: Math.round(wallMs), peakRssMb: peakMb(), records })}\n`);
