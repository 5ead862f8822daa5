import { createHash, hash } from 'node:crypto';
import { readOfacCsvFile, SnapshotError } from './csv.ts';
import { remarkFacts, type SdnEntry, sdnTypeOf, splitName, splitPrograms } from './sdn.ts';

export type Snapshot = {
  entries: Map<number, SdnEntry>;
  sha256: string;
  recordCount: number;
  source: string;
};

export type CsvSnapshotFiles = { sdn: string; alt?: string | undefined; add?: string | undefined };

/**
 * The version of the rows-to-entry mapping below (buildEntry and what it calls: remarkFacts,
 * splitName, splitPrograms, sdnTypeOf). Part of every source digest: an import skips the entries
 * whose rows have the digest stored with their current version, so a change to what the same rows
 * become must change the digest, or those entries would keep what the old code made of them.
 * test/sanctions/source-digest.test.ts pins the mapping's output on real files, and the entries'
 * hashes, to this number.
 */
export const CSV_READER_VERSION = 1;

/** One entry's rows: its SDN.CSV record, and its ALT.CSV and ADD.CSV records in file order. */
type EntryRows = { sdn: string[]; alt?: string[][]; add?: string[][] };

/**
 * OFAC's CSV set read into rows, not yet into entries: an import builds and hashes only the entries
 * whose rows changed since their current version (a day changes a few hundred of 11k or more).
 */
export type CsvSource = {
  kind: 'csv-rows';
  /** Every entry's uid, in file order. */
  uids: number[];
  /** A digest of the entry's rows and the reader's version. */
  sourceDigest(uid: number): string;
  /** The entry, built from its rows. */
  entry(uid: number): SdnEntry;
  sha256: string;
  recordCount: number;
  source: 'csv';
};

/**
 * Reads OFAC's CSV set (SDN.CSV, optionally ALT.CSV and ADD.CSV; plain or gzip), streaming each
 * file record by record and keeping each entry's records. The checksum covers the decompressed
 * content.
 */
export async function readCsvSource(files: CsvSnapshotFiles): Promise<CsvSource> {
  const checksum = createHash('sha256');
  const rows = new Map<number, EntryRows>();
  for await (const row of readOfacCsvFile(files.sdn, 'SDN.CSV', checksum)) {
    const uid = Number(row[0]);
    if (!Number.isInteger(uid) || uid <= 0 || row.length < 4) {
      throw new SnapshotError(
        `SDN.CSV has a malformed record near entry ${rows.size + 1} ("${(row[0] ?? '').slice(0, 20)}"); nothing was imported.`,
      );
    }
    rows.set(uid, { sdn: row });
  }
  if (files.alt) {
    for await (const row of readOfacCsvFile(files.alt, 'ALT.CSV', checksum)) {
      const entry = rows.get(Number(row[0]));
      if (!entry || !row[3]) continue;
      entry.alt ??= [];
      entry.alt.push(row);
    }
  }
  if (files.add) {
    for await (const row of readOfacCsvFile(files.add, 'ADD.CSV', checksum)) {
      const entry = rows.get(Number(row[0]));
      if (!entry) continue;
      entry.add ??= [];
      entry.add.push(row);
    }
  }
  if (rows.size === 0) throw new SnapshotError('SDN.CSV has no entries; nothing was imported.');
  const of = (uid: number) => {
    const entry = rows.get(uid);
    if (!entry) throw new Error(`no entry ${uid} in this snapshot`);
    return entry;
  };
  return {
    kind: 'csv-rows',
    uids: [...rows.keys()],
    sourceDigest: (uid) => sourceDigest(of(uid)),
    entry: (uid) => buildEntry(uid, of(uid)),
    sha256: checksum.digest('hex'),
    recordCount: rows.size,
    source: 'csv',
  };
}

/** Reads OFAC's CSV set into entries, every one built. */
export async function readCsvSnapshot(files: CsvSnapshotFiles): Promise<Snapshot> {
  const source = await readCsvSource(files);
  return {
    entries: new Map(source.uids.map((uid) => [uid, source.entry(uid)])),
    sha256: source.sha256,
    recordCount: source.recordCount,
    source: source.source,
  };
}

// Separators no field of OFAC's Latin-1 text carries: between fields, and between records.
const FIELD = '\u001f';
const RECORD = '\u001e';

function sourceDigest(rows: EntryRows): string {
  let text = `${CSV_READER_VERSION}${RECORD}${rows.sdn.join(FIELD)}`;
  for (const row of rows.alt ?? []) text += `${RECORD}A${row.join(FIELD)}`;
  for (const row of rows.add ?? []) text += `${RECORD}D${row.join(FIELD)}`;
  return hash('sha256', text).slice(0, 32);
}

function buildEntry(uid: number, rows: EntryRows): SdnEntry {
  const row = rows.sdn;
  const type = sdnTypeOf(row[2] ?? '');
  const name = row[1] ?? '';
  const remarks = row[11] || null;
  const facts = remarkFacts(remarks ?? '');
  const entry: SdnEntry = {
    uid,
    type,
    name,
    ...splitName(name, type),
    programs: splitPrograms(row[3] ?? ''),
    title: row[4] || null,
    aliases: facts.weakAliases.map((alias) => ({ name: alias, strength: 'weak' as const })),
    nationalities: facts.nationalities,
    datesOfBirth: facts.datesOfBirth,
    placesOfBirth: facts.placesOfBirth,
    addresses: [],
    documents: facts.documents,
    remarks,
  };
  for (const alt of rows.alt ?? []) entry.aliases.push({ name: alt[3] as string, strength: 'strong' });
  for (const add of rows.add ?? []) {
    const address = [add[2], add[3], add[4]].filter(Boolean).join(', ');
    if (address) entry.addresses.push(address);
  }
  return entry;
}
