import { access, link, open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { databaseOptions } from './app.ts';
import { renderBarChart } from './chat/chart.ts';
import { csvCell } from './chat/csv.ts';
import { loadConfig } from './config.ts';
import { type Database, openDatabase as openDb, restoreEmbedded } from './db/client.ts';
import { migrate, readMigrations } from './db/migrator.ts';
import { composeDigest } from './digest/compose.ts';
import { configureEncryption } from './domain/crypto.ts';
import { isRealDay } from './domain/dates.ts';
import { checkEncryptionKeys, rotateKeys } from './domain/keys.ts';
import { operatorMessage } from './operator-errors.ts';
import { renderForConsole } from './platforms/console/render.ts';
import { SnapshotError } from './sanctions/csv.ts';
import {
  isListCode,
  jurisdictionLabel,
  LIST_CODES,
  LISTS,
  type ListCode,
  storedList,
} from './sanctions/lists.ts';
import { matchPublication } from './sanctions/match/designations.ts';
import { currentListIndex } from './sanctions/match/list.ts';
import { MATCH_THRESHOLD, type MatchCandidate, searchIndex } from './sanctions/match/matcher.ts';
import {
  type CountryBasis,
  describeBases,
  describeLag,
  describeListingDate,
  designationStats,
  mirrorChart,
  mirrorGaps,
  mirrorOf,
  mirrorShares,
} from './sanctions/mirror.ts';
import { canonicalProgramTag, HUMAN_RIGHTS_PROGRAMS } from './sanctions/programs.ts';
import { readCsvSource } from './sanctions/snapshot.ts';
import { READERS, syncList } from './sanctions/sources/sync.ts';
import {
  displayId,
  type ImportResult,
  importListSnapshot,
  importPublication,
  latestChanges,
  releasePublication,
} from './sanctions/store.ts';
import { syncSanctions } from './sanctions/sync.ts';
import { readXmlSnapshot } from './sanctions/xml.ts';

/** Operational commands: `npm run cli -- <command>`. Exit code 0 on success, 1 with one line on failure. */
const USAGE = `Usage: npm run cli -- <command>
  migrate      apply pending database migrations
  migrations   list migrations and whether each is applied
  keys rotate  re-encrypt sensitive fields under ENCRYPTION_KEY (former keys in ENCRYPTION_KEY_PREVIOUS)
  db backup <file>   the embedded database (DATA_DIR) as one file; stop the bot first
  db restore <file> [--force]
               restore a backup into DATA_DIR (--force keeps an existing database aside)
  sanctions import <file> [--list us|uk|ca|au|eu] [--alt <ALT.CSV>] [--add <ADD.CSV>] [--published YYYY-MM-DD]
               import a snapshot as the next publication of a list (default us: SDN.CSV[.gz] or SDN.XML[.gz];
               uk: OFSI ConList XLSX or the FCDO export ODS/XLSX; ca: the GAC XML; au: the DFAT XLSX/XLS;
               eu: the FSF XML 1.1); refused if empty, truncated or of another layout
  sanctions sync [--list us|uk|ca|au|eu] [--force]
               check the OFAC Sanctions List Service (OFAC_BASE_URL), or another list (<CODE>_LIST_URL),
               and import what is new
  sanctions changes [--list us|uk|ca|au|eu] [--programs GLOMAG,MAGNIT] [--json]
               the changes of the latest publication
  sanctions search "<name>" [--list us|uk|ca|au|eu] [--country <country>] [--dob <YYYY or YYYY-MM-DD>] [--json]
               the listed entries whose names or aliases match, best first, with scores (every list without --list)
  sanctions release <publication id>
               apply a publication held for removing too much of the list
  digest preview [--programs GLOMAG,MAGNIT]
               the digest of the latest publication, as it would be posted
  mirror "<name>" [--json]
               which governments list a person or entity: one row per imported list, with the entry,
               its listing date (and which kind of date it is) and the lag behind the first
  mirror chart [--png <file>] [--json]
               the share of US human-rights and anti-corruption designations each government mirrored
  mirror gaps --from us [--to uk,ca,eu,au] [--program GLOMAG | human-rights] [--country China] [--json | --csv]
               entries the first government listed that the others have not, oldest first
  stats --list us [--program GLOMAG] [--by country|year|program] [--json]
               designations counted by the country the list states, listing year or program`;

const commands: Record<string, () => Promise<void>> = {
  async migrate() {
    const database = await openDb(databaseOptions(loadConfig()));
    try {
      const { applied, alreadyApplied } = await migrate(database.sql);
      for (const name of applied) process.stdout.write(`applied ${name}\n`);
      process.stdout.write(`${applied.length} applied, ${alreadyApplied} already applied\n`);
    } finally {
      await database.close();
    }
  },
  async migrations() {
    const database = await openDb(databaseOptions(loadConfig()));
    try {
      const [files, rows] = await Promise.all([
        readMigrations(),
        database.sql
          .query<{ migration_name: string; finished_at: Date | null }>(
            'SELECT migration_name, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL',
          )
          .catch(() => []),
      ]);
      const applied = new Map(rows.map((row) => [row.migration_name, row.finished_at]));
      for (const file of files) {
        const at = applied.get(file.name);
        process.stdout.write(`${at ? `applied ${at.toISOString()}` : 'pending'.padEnd(32)}  ${file.name}\n`);
      }
    } finally {
      await database.close();
    }
  },
};

const argv = process.argv.slice(2);
const flag = (name: string) => {
  const index = argv.indexOf(`--${name}`);
  return index >= 0 ? argv[index + 1] : undefined;
};
const BOOLEAN_FLAGS = new Set(['--json', '--force', '--csv']);
const positional = argv.filter((arg, index) => {
  const before = argv[index - 1];
  return !arg.startsWith('--') && (!before?.startsWith('--') || BOOLEAN_FLAGS.has(before));
});

/** A publication number as typed: digits only, within PostgreSQL's integer range. */
function publicationId(text: string): number {
  const value = /^\d{1,10}$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < 1 || value > 2_147_483_647)
    throw new SnapshotError(
      `${text} is not a publication number: give a whole number like 12 (sanctions changes shows them).`,
    );
  return value;
}

/** --list as given (us when absent); anything else is refused with the codes that exist. */
function listFlag(): ListCode {
  const value = (flag('list') ?? 'us').toLowerCase();
  if (!isListCode(value)) throw new SnapshotError(`--list must be one of ${LIST_CODES.join(', ')}.`);
  return value;
}

/** --published, else the date the file gives, else one in its name, else today. */
function publishedDate(given: string | undefined, file: string): string {
  const published =
    given ?? /(\d{4}-\d\d-\d\d)/.exec(basename(file))?.[1] ?? new Date().toISOString().slice(0, 10);
  if (!/^\d{4}-\d\d-\d\d$/.test(published) || !isRealDay(published))
    throw new SnapshotError('--published must be a date like 2022-12-09.');
  return published;
}

async function withDatabase<T>(work: (db: Database) => Promise<T>): Promise<T> {
  const config = loadConfig();
  // Sensitive fields are read (matching) and written (rotation) with the same keys as the bot.
  configureEncryption(config.encryption.key, config.encryption.previous);
  const database = await openDb(databaseOptions(config));
  try {
    await migrate(database.sql);
    await checkEncryptionKeys(database.prisma);
    return await work(database);
  } finally {
    await database.close();
  }
}

function describeImport(result: ImportResult): string {
  return result.baseline
    ? `Publication ${result.publicationId} (${result.publishedOn}): baseline of ${result.recordCount} entries.\n`
    : `Publication ${result.publicationId} (${result.publishedOn}): ${result.added} added, ${result.removed} removed, ${result.amended} amended, ${result.recordCount} entries${result.status === 'held' ? `. HELD: it removes more than the allowed share of the list; review it, then run sanctions release ${result.publicationId}` : ''}.\n`;
}

/** Imports a file, then matches what it added or removed against the targets (not a baseline). */
function importAndMatch(
  work: (db: Database['prisma'], options: { holdShare: number }) => Promise<ImportResult>,
) {
  return withDatabase(async (database) => {
    const result = await work(database.prisma, { holdShare: loadConfig().sanctionsHoldShare });
    const matches =
      result.status === 'applied' && !result.baseline
        ? await matchPublication(database.prisma, result.publicationId, new Date())
        : undefined;
    return { result, matches };
  });
}

function describeMatches(matches: { pending: number; delistings: number } | undefined): void {
  if (matches?.pending || matches?.delistings)
    process.stdout.write(
      `Possible matches with coalition targets: ${matches.pending} designation(s), ${matches.delistings} delisting(s); posted in their case threads for a coordinator to confirm.\n`,
    );
}

commands.sanctions = async () => {
  const [, sub, argument] = positional;
  const list = listFlag();
  if (sub === 'import' && argument && list !== 'us') {
    const snapshot = await READERS[list](argument);
    const published = publishedDate(flag('published') ?? snapshot.publishedOn ?? undefined, argument);
    const { result, matches } = await importAndMatch((db, options) =>
      importListSnapshot(db, snapshot, { ...options, publishedOn: new Date(`${published}T00:00:00Z`) }),
    );
    process.stdout.write(`${LISTS[list].jurisdiction}: ${describeImport(result)}`);
    describeMatches(matches);
    return;
  }
  if (sub === 'import' && argument) {
    const xml = /\.xml(\.gz)?$/i.test(argument);
    const snapshot = xml
      ? await readXmlSnapshot(argument)
      : await readCsvSource({ sdn: argument, alt: flag('alt'), add: flag('add') });
    const published = publishedDate(
      flag('published') ??
        ('publishedOn' in snapshot && typeof snapshot.publishedOn === 'string'
          ? snapshot.publishedOn
          : undefined),
      argument,
    );
    const { result, matches } = await importAndMatch((db, options) =>
      importPublication(db, snapshot, { ...options, publishedOn: new Date(`${published}T00:00:00Z`) }),
    );
    process.stdout.write(describeImport(result));
    describeMatches(matches);
    return;
  }
  if (sub === 'changes') {
    const programs = (flag('programs') ?? '')
      .split(',')
      .map((tag) => canonicalProgramTag(tag))
      .filter(Boolean);
    const changes = await withDatabase((database) =>
      latestChanges(database.prisma, programs, storedList(list)),
    );
    if (argv.includes('--json')) {
      const { publicationId: _id, ...rest } = changes;
      process.stdout.write(`${JSON.stringify(rest, null, 2)}\n`);
      return;
    }
    if (!changes.published) {
      process.stdout.write('No publication imported yet.\n');
      return;
    }
    const line = (change: { id: string; name: string; type: string; programs: string[] }) =>
      `  ${change.id}  ${change.name} (${change.type}) [${change.programs.join(', ')}]`;
    process.stdout.write(
      [
        `${LISTS[list].jurisdiction}, publication of ${changes.published}${changes.held ? ' (HELD, not announced)' : ''}${programs.length ? `, programs ${programs.join(', ')}` : ''}:`,
        `Added: ${changes.added.length}`,
        ...changes.added.map(line),
        `Removed: ${changes.removed.length}`,
        ...changes.removed.map(line),
        `Amended: ${changes.amended.length}`,
        ...changes.amended.map(line),
        '',
      ].join('\n'),
    );
    return;
  }
  if (sub === 'sync' && list !== 'us') {
    const config = loadConfig();
    const outcome = await withDatabase((database) =>
      syncList(database.prisma, list, {
        url: config.lists[list].url,
        timeoutMs: config.ofac.timeoutMs,
        attempts: 4,
        backoffMs: 2_000,
        holdShare: config.sanctionsHoldShare,
        now: new Date(),
      }),
    );
    if (outcome.status === 'failed') throw new SnapshotError(outcome.reason);
    if (outcome.status === 'unchanged') {
      process.stdout.write(`Nothing new: ${outcome.reason}.\n`);
      return;
    }
    process.stdout.write(`${LISTS[list].jurisdiction}: ${describeImport(outcome.result)}`);
    return;
  }
  if (sub === 'sync') {
    const config = loadConfig();
    const outcome = await withDatabase((database) =>
      syncSanctions(database.prisma, {
        baseUrl: config.ofac.baseUrl,
        files: config.ofac.files,
        timeoutMs: config.ofac.timeoutMs,
        attempts: 4,
        backoffMs: 2_000,
        holdShare: config.sanctionsHoldShare,
        now: new Date(),
        force: argv.includes('--force'),
      }),
    );
    if (outcome.status === 'failed') throw new SnapshotError(outcome.reason);
    if (outcome.status === 'unchanged') {
      process.stdout.write(`Nothing new: ${outcome.reason}.\n`);
      return;
    }
    process.stdout.write(describeImport(outcome.result));
    return;
  }
  if (sub === 'search' && argument) {
    const dob = flag('dob');
    if (dob !== undefined && !/^\d{4}(-\d\d(-\d\d)?)?$/.test(dob))
      throw new SnapshotError('--dob must be a year (1955) or a date (1955-03-21).');
    const lists = flag('list') === undefined ? LIST_CODES : [list];
    const found = await withDatabase(async (database) => {
      const results: Array<MatchCandidate & { list: ListCode; id: string }> = [];
      let imported = 0;
      for (const code of lists) {
        const index = await currentListIndex(database.prisma, storedList(code));
        imported += index.entries.length;
        const byUid = new Map(index.entries.map((entry) => [entry.uid, entry]));
        for (const candidate of searchIndex(index, {
          name: argument,
          country: flag('country') ?? null,
          dob: dob ?? null,
        }))
          results.push({ ...candidate, list: code, id: displayId(byUid.get(candidate.uid), candidate.uid) });
      }
      if (imported === 0)
        throw new SnapshotError('No list imported yet: run sanctions sync or sanctions import first.');
      return results.sort((a, b) => b.score - a.score);
    });
    if (argv.includes('--json')) {
      const rows = found.map(({ list: code, id, uid, name, programs, score }) => ({
        list: code,
        id,
        ...(code === 'us' ? { uid } : {}),
        name,
        programs,
        score,
      }));
      process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      return;
    }
    if (found.length === 0) {
      process.stdout.write(`No listed entry matches "${argument}" (threshold ${MATCH_THRESHOLD}).\n`);
      return;
    }
    for (const candidate of found) {
      process.stdout.write(
        `${candidate.score.toFixed(3)}  ${candidate.list} ${candidate.id}  ${candidate.name} (${candidate.type}) [${candidate.programs.join(', ')}]\n${candidate.evidence.map((line) => `       ${line}\n`).join('')}`,
      );
    }
    return;
  }
  if (sub === 'release' && argument) {
    const id = publicationId(argument);
    await withDatabase(async (database) => {
      const now = new Date();
      await releasePublication(database.prisma, id, now);
      await matchPublication(database.prisma, id, now);
    });
    process.stdout.write(`Publication ${id} released and applied.\n`);
    return;
  }
  throw new SnapshotError(`Unknown sanctions command.\n${USAGE}`);
};

function listCodes(text: string | undefined, fallback: ListCode[]): ListCode[] {
  if (!text) return fallback;
  const codes = text
    .split(/[,\s]+/)
    .filter(Boolean)
    .map((code) => code.toLowerCase());
  const wrong = codes.filter((code) => !isListCode(code));
  if (wrong.length) throw new SnapshotError(`${wrong.join(', ')}: lists are ${LIST_CODES.join(', ')}.`);
  return codes as ListCode[];
}

commands.mirror = async () => {
  const [, first, second] = positional;
  if (first === 'chart' && second === undefined) {
    const shares = await withDatabase((database) => mirrorShares(database.prisma, 'us', new Date()));
    const file = flag('png');
    if (file) {
      const png = await renderBarChart(mirrorChart(shares));
      await writeFileAtomically(file, png);
    }
    if (argv.includes('--json')) {
      process.stdout.write(`${JSON.stringify(shares, null, 2)}\n`);
      return;
    }
    process.stdout.write(
      `${shares.map((share) => `  ${jurisdictionLabel(share.list).padEnd(10)} US ${share.year.padEnd(20)} ${share.mirrored}/${share.total}${share.medianLagDays !== null ? `, median lag ${describeLag(share.medianLagDays)}` : ''}`).join('\n')}\n${file ? `Chart written to ${file}.\n` : ''}`,
    );
    return;
  }
  if (first === 'gaps' && second === undefined) {
    const from = listCodes(flag('from') ?? 'us', ['us'])[0] as ListCode;
    const to = listCodes(
      flag('to'),
      LIST_CODES.filter((code) => code !== from),
    );
    const gaps = await withDatabase((database) =>
      mirrorGaps(database.prisma, {
        from,
        to,
        program: flag('program'),
        country: flag('country'),
        now: new Date(),
      }),
    );
    if (argv.includes('--json')) {
      process.stdout.write(
        `${JSON.stringify(
          gaps.map(({ list, id, name, listedOn }) => ({ list, id, name, listedOn })),
          null,
          2,
        )}\n`,
      );
      return;
    }
    if (argv.includes('--csv')) {
      const header = 'list,id,name,listed_on,date_kind,regimes';
      const lines = gaps.map((gap) =>
        [gap.list, gap.id, gap.name, gap.listedOn, gap.dateKind, gap.regimes.join('; ')]
          .map(csvCell)
          .join(','),
      );
      process.stdout.write(`${[header, ...lines].join('\n')}\n`);
      return;
    }
    process.stdout.write(
      `${gaps.length} ${jurisdictionLabel(from)} entr${gaps.length === 1 ? 'y' : 'ies'} not listed by ${to.map(jurisdictionLabel).join(', ')}:\n${gaps
        .map(
          (gap) =>
            `  ${describeListingDate(gap.listedOn, gap.dateKind).padEnd(24)} ${gap.id}  ${gap.name} [${gap.regimes.join(', ')}]`,
        )
        .join('\n')}\n`,
    );
    return;
  }
  if (!first || second !== undefined) throw new SnapshotError(`Give one name to look up.\n${USAGE}`);
  const rows = await withDatabase((database) => mirrorOf(database.prisma, first, { now: new Date() }));
  if (argv.includes('--json')) {
    process.stdout.write(
      `${JSON.stringify(
        {
          query: first,
          lists: rows.map(({ list, listed, id, name, listedOn, dateKind, regimes, lagDays }) => ({
            list,
            listed,
            id,
            name,
            listedOn,
            dateKind,
            regimes,
            lagDays,
          })),
        },
        null,
        2,
      )}\n`,
    );
    return;
  }
  if (rows.length === 0)
    throw new SnapshotError('No list imported yet: run sanctions sync or sanctions import first.');
  process.stdout.write(
    `${first}:\n${rows
      .map((row) =>
        row.listed
          ? `  ${jurisdictionLabel(row.list).padEnd(10)} listed      ${describeListingDate(row.listedOn, row.dateKind)}${row.lagDays ? ` (${row.lagDays} day${row.lagDays === 1 ? '' : 's'} after the first)` : ''}  ${row.id}  ${row.name} [${row.regimes.join(', ')}]`
          : `  ${jurisdictionLabel(row.list).padEnd(10)} not listed`,
      )
      .join('\n')}\n`,
  );
};

commands.stats = async () => {
  const list = listFlag();
  const by = (flag('by') ?? 'country').toLowerCase();
  if (by !== 'country' && by !== 'year' && by !== 'program')
    throw new SnapshotError('--by must be country, year or program.');
  const bases = new Map<CountryBasis, number>();
  const rows = await withDatabase((database) =>
    designationStats(database.prisma, { list, program: flag('program'), by, bases }),
  );
  if (argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return;
  }
  process.stdout.write(
    `${LISTS[list].jurisdiction}, designations by ${by}${flag('program') ? ` (${flag('program')})` : ''}${by === 'country' ? ` as the list states it (${describeBases(bases)})` : ''}:\n${rows.map((row) => `  ${String(row.count).padStart(6)}  ${row.key}`).join('\n')}\n`,
  );
};

commands.keys = async () => {
  const [, sub] = positional;
  if (sub !== 'rotate') throw new SnapshotError(`Unknown keys command.\n${USAGE}`);
  const done = await withDatabase((database) => rotateKeys(database.prisma));
  process.stdout.write(
    `Re-encrypted ${done.targets} target(s) and ${done.evidence} evidence note(s) under the current key. Former keys can be removed from ENCRYPTION_KEY_PREVIOUS.\n`,
  );
};

commands.db = async () => {
  const [, sub, file] = positional;
  const config = loadConfig();
  if ((sub !== 'backup' && sub !== 'restore') || !file)
    throw new SnapshotError(`Unknown db command.\n${USAGE}`);
  if (config.databaseUrl) {
    throw new SnapshotError(
      'DATABASE_URL is set: back up and restore the PostgreSQL server with pg_dump and pg_restore.',
    );
  }
  if (sub === 'backup') {
    const database = await openDb(databaseOptions(config));
    try {
      const blob = await database.dump?.();
      if (!blob) throw new SnapshotError('This database cannot be dumped.');
      const bytes = Buffer.from(await blob.arrayBuffer());
      await writeBackup(file, bytes);
      process.stdout.write(`Backed up ${config.dataDir} to ${file} (${bytes.length} bytes).\n`);
    } finally {
      await database.close();
    }
    return;
  }
  const bytes = await readFile(file).catch(() => {
    throw new SnapshotError(`Cannot read ${file}.`);
  });
  const keptAside = await restoreEmbedded(config.dataDir, bytes, {
    force: argv.includes('--force'),
    name: file,
    migrate,
  });
  process.stdout.write(
    `Restored ${file} into ${config.dataDir}${keptAside ? `; the previous database is kept in ${keptAside}` : ''}.\n`,
  );
};

async function writeFileAtomically(file: string, bytes: Buffer): Promise<void> {
  const partial = join(dirname(file), `.${basename(file)}.partial-${process.pid}`);
  try {
    await writeFile(partial, bytes);
    await rename(partial, file);
  } catch (error) {
    await rm(partial, { force: true });
    throw new SnapshotError(`Cannot write ${file}: ${(error as Error).message}.`);
  }
}

/**
 * Writes next to the target under a temporary name and renames on success: a failed write (disk
 * full) leaves no partial backup that could later be restored by mistake.
 */
async function writeBackup(file: string, bytes: Buffer): Promise<void> {
  if (
    await access(file).then(
      () => true,
      () => false,
    )
  )
    throw new SnapshotError(`${file} exists; choose a new file name.`);
  const partial = join(dirname(file), `.${basename(file)}.partial-${process.pid}`);
  try {
    const handle = await open(partial, 'wx');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await link(partial, file).catch((error: NodeJS.ErrnoException) => {
      throw error.code === 'EEXIST' ? new SnapshotError(`${file} exists; choose a new file name.`) : error;
    });
  } catch (error) {
    if (error instanceof SnapshotError) throw error;
    throw new SnapshotError(`Cannot write ${file}: ${(error as Error).message}; no backup was written.`);
  } finally {
    await rm(partial, { force: true });
  }
}

commands.digest = async () => {
  const [, sub] = positional;
  if (sub !== 'preview') throw new SnapshotError(`Unknown digest command.\n${USAGE}`);
  const programs = (flag('programs') ?? '')
    .split(',')
    .map((tag) => canonicalProgramTag(tag))
    .filter(Boolean);
  const text = await withDatabase(async (database) => {
    const latest = await database.prisma.sanctionsPublication.findFirst({
      where: { status: 'applied' },
      orderBy: { id: 'desc' },
    });
    const before = latest
      ? await database.prisma.sanctionsPublication.findFirst({
          where: { status: 'applied', id: { lt: latest.id } },
          orderBy: { id: 'desc' },
        })
      : null;
    const digest = await composeDigest(database.prisma, {
      programs: programs.length ? programs : [...HUMAN_RIGHTS_PROGRAMS],
      after: before?.id ?? null,
      now: new Date(),
    });
    return digest.views.length
      ? digest.views.map((view) => renderForConsole(view)).join('\n\n')
      : 'Nothing new in the followed programs.';
  });
  process.stdout.write(`${text}\n`);
};

const [name] = argv;
const command = name ? commands[name] : undefined;
if (!command) {
  process.stderr.write(`${name ? `Unknown command: ${name}\n` : ''}${USAGE}\n`);
  process.exit(2);
}
command().catch((error: unknown) => {
  process.stderr.write(`coalition-bot: ${operatorMessage(error) ?? String(error)}\n`);
  process.exit(1);
});
