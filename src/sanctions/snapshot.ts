import { createHash } from 'node:crypto';
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
 * Reads OFAC's CSV set (SDN.CSV, optionally ALT.CSV and ADD.CSV; plain or gzip) into normalized
 * entries, streaming each file record by record. The checksum covers the decompressed content.
 */
export async function readCsvSnapshot(files: CsvSnapshotFiles): Promise<Snapshot> {
  const hash = createHash('sha256');
  const entries = new Map<number, SdnEntry>();
  for await (const row of readOfacCsvFile(files.sdn, 'SDN.CSV', hash)) {
    const uid = Number(row[0]);
    if (!Number.isInteger(uid) || uid <= 0 || row.length < 4) {
      throw new SnapshotError(
        `SDN.CSV has a malformed record near entry ${entries.size + 1} ("${(row[0] ?? '').slice(0, 20)}"); nothing was imported.`,
      );
    }
    const type = sdnTypeOf(row[2] ?? '');
    const name = row[1] ?? '';
    const remarks = row[11] || null;
    const facts = remarkFacts(remarks ?? '');
    entries.set(uid, {
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
    });
  }
  if (files.alt) {
    for await (const row of readOfacCsvFile(files.alt, 'ALT.CSV', hash)) {
      const entry = entries.get(Number(row[0]));
      if (entry && row[3]) entry.aliases.push({ name: row[3], strength: 'strong' });
    }
  }
  if (files.add) {
    for await (const row of readOfacCsvFile(files.add, 'ADD.CSV', hash)) {
      const entry = entries.get(Number(row[0]));
      const address = [row[2], row[3], row[4]].filter(Boolean).join(', ');
      if (entry && address) entry.addresses.push(address);
    }
  }
  if (entries.size === 0) throw new SnapshotError('SDN.CSV has no entries; nothing was imported.');
  return { entries, sha256: hash.digest('hex'), recordCount: entries.size, source: 'csv' };
}
