import { sqlOf } from '../db/client.ts';
import type { SqlRunner } from '../db/sql.ts';
import { isoDate } from '../domain/dates.ts';
import type { Db, Tx } from '../domain/tx.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { SnapshotError } from './csv.ts';
import { storedList } from './lists.ts';
import { describeAmendment, entryHash, type SdnEntry } from './sdn.ts';
import type { CsvSource, Snapshot } from './snapshot.ts';
import { type ListSnapshot, withScripts } from './sources/model.ts';
import { storedAmendment, storedChangeEntry } from './stored.ts';

const OFAC = 'SDN';
const CHUNK = 500;
// Large imports on the embedded database take longer than Prisma's 5-second default.
const TRANSACTION = { timeout: 300_000, maxWait: 30_000 } as const;

export type ImportResult = {
  publicationId: number;
  publishedOn: string;
  status: 'applied' | 'held';
  baseline: boolean;
  recordCount: number;
  added: number;
  removed: number;
  amended: number;
  superseded: number[];
};

function chunks<T>(items: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size));
  return out;
}

const json = (value: unknown) => JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue;

/** Entries per staging statement: one JSON parameter each, a few MB. */
const STAGE_CHUNK = 2_000;

const PROGRAMS = (alias: string) => `ARRAY(SELECT jsonb_array_elements_text(${alias}.data->'programs'))`;

/**
 * Imports a snapshot as the next publication: stores the publication, its changes and the new entry
 * versions in one transaction. A snapshot that would remove more than `holdShare` of the list is
 * held: stored with its changes but not applied, until an admin releases it or the next publication
 * agrees with it.
 *
 * The snapshot's uids and hashes are joined with the current versions in the database, set-wise;
 * the whole entry follows only for entries that are new or changed. Added, removed and amended
 * change rows and the new versions are then one statement each, whatever the list's size. Only
 * amended entries' previous versions come back, to describe what changed in them.
 *
 * From OFAC's CSV rows (readCsvSource), the join is on the digest of each entry's rows instead, and
 * only the entries whose rows differ from their current version's are built and hashed; versions
 * are stored with their rows' digest. The changes found are the same (test/sanctions/source-digest).
 */
export async function importPublication(
  db: Db,
  snapshot: Snapshot | CsvSource,
  options: { publishedOn: Date; holdShare: number; list?: string },
): Promise<ImportResult> {
  const LIST = options.list ?? OFAC;
  // Raw SQL, not Prisma: Prisma serializes each multi-megabyte parameter again, converts every
  // returned row, and keeps its last hundred statements' parameters in its debug log.
  const sql = sqlOf(db);
  const [duplicate] = await sql.query<{ id: number; published: string }>(
    `SELECT id, to_char(published_on, 'YYYY-MM-DD') AS published FROM sanctions_publication
     WHERE list = $1 AND sha256 = $2`,
    [LIST, snapshot.sha256],
  );
  if (duplicate) {
    throw new SnapshotError(
      `This snapshot was already imported as publication ${duplicate.id} (${duplicate.published}); nothing changed.`,
    );
  }

  const rows = 'kind' in snapshot ? snapshot : undefined;
  /** An entry of the snapshot; from rows, built when asked for (and not kept: see below). */
  const entryOf = (uid: number): SdnEntry =>
    rows ? rows.entry(uid) : ((snapshot as Snapshot).entries.get(uid) as SdnEntry);
  /** Stages whole entries, a chunk a statement, for the statements that write them. */
  const stageEntries = async (tx: SqlRunner, entries: SdnEntry[]) => {
    await tx.query(
      'INSERT INTO import_entry SELECT uid, data FROM jsonb_to_recordset($1::jsonb) AS x(uid integer, data jsonb)',
      [JSON.stringify(entries.map((entry) => ({ uid: entry.uid, data: entry })))],
    );
  };
  const all = rows ? rows.uids : [...(snapshot as Snapshot).entries.keys()];
  const uids = all.join(',');
  return sql.transaction(async (tx) => {
    // Every entry's uid and a key, as two comma-joined arrays (numbers and hex digits: nothing to
    // escape; half the time of the same pairs as JSON), joined in one pass with the list's current
    // versions: what the publication changes. The key is the entry's hash, or from OFAC's CSV rows
    // the digest of those rows. Every later statement touches only the changed rows (a few hundred
    // of a day's thousands).
    const by = rows ? 'source_digest' : 'hash';
    await tx.query(
      `CREATE TEMPORARY TABLE import_diff ON COMMIT DROP AS
       SELECT coalesce(s.uid, v.uid) AS uid, ${rows ? 'NULL::text' : 's.key'} AS hash,
              ${rows ? 's.key' : 'NULL::text'} AS digest, v.id AS version_id, v.hash AS stored,
              CASE WHEN v.uid IS NULL THEN 'added' WHEN s.uid IS NULL THEN 'removed' ELSE 'amended' END AS kind
       FROM unnest(string_to_array($2, ',')::int[], string_to_array($3, ',')) AS s(uid, key)
       FULL JOIN (SELECT id, uid, hash, source_digest FROM sanctions_entry_version
                  WHERE list = $1 AND valid_to_id IS NULL) v
         ON v.uid = s.uid
       WHERE v.uid IS NULL OR s.uid IS NULL OR v.${by} IS DISTINCT FROM s.key`,
      [
        LIST,
        uids,
        rows
          ? all.map((uid) => rows.sourceDigest(uid)).join(',')
          : [...(snapshot as Snapshot).entries.values()].map(entryHash).join(','),
      ],
    );
    await tx.query('CREATE TEMPORARY TABLE import_entry (uid integer, data jsonb) ON COMMIT DROP');
    if (rows) {
      // From rows, an entry whose rows are those its current version was made from is unchanged,
      // and is neither built nor hashed. The rest (new, gone, rows changed) are the candidates:
      // built, hashed and staged a chunk at a time, so that no more than a chunk of built entries
      // is alive beside the rows (a first import builds every one). Rows that changed while the
      // entry did not (a reordered ALT.CSV, versions written before digests) leave no change:
      // their version keeps its content and takes the new digest.
      const candidates = (
        await tx.query<{ uid: number }>(`SELECT uid FROM import_diff WHERE kind <> 'removed'`)
      ).map((row) => row.uid);
      const hashes: string[] = [];
      for (const part of chunks(candidates, STAGE_CHUNK)) {
        const entries = part.map(entryOf);
        for (const entry of entries) hashes.push(entryHash(entry));
        await stageEntries(tx, entries);
      }
      await tx.query(
        `UPDATE import_diff d SET hash = x.hash
         FROM unnest(string_to_array($1, ',')::int[], string_to_array($2, ',')) AS x(uid, hash) WHERE d.uid = x.uid`,
        [candidates.join(','), hashes.join(',')],
      );
      await tx.query(
        `UPDATE sanctions_entry_version v SET source_digest = d.digest
         FROM import_diff d WHERE d.kind = 'amended' AND d.hash = d.stored AND v.id = d.version_id`,
      );
      await tx.query(`DELETE FROM import_diff WHERE kind = 'amended' AND hash = stored`);
    }
    const kinds = await tx.query<{ kind: 'added' | 'removed' | 'amended'; count: number }>(
      'SELECT kind, count(*)::int AS count FROM import_diff GROUP BY kind',
    );
    const count = (kind: string) => kinds.find((row) => row.kind === kind)?.count ?? 0;
    const newUids = count('added');
    const removedUids = count('removed')
      ? (
          await tx.query<{ uid: number }>(`SELECT uid FROM import_diff WHERE kind = 'removed' ORDER BY uid`)
        ).map((row) => row.uid)
      : [];
    // The list as it stood: every entry of the snapshot that was not new, and those it removes.
    const current = all.length - newUids + removedUids.length;
    const baseline = current === 0;

    if (!rows) {
      // Then the whole entry, only for those that are new or changed (on a baseline, all of them).
      const changed = baseline
        ? all
        : (await tx.query<{ uid: number }>(`SELECT uid FROM import_diff WHERE kind <> 'removed'`)).map(
            (row) => row.uid,
          );
      for (const part of chunks(changed, STAGE_CHUNK)) await stageEntries(tx, part.map(entryOf));
    }
    const amendedRows = count('amended')
      ? await tx.query<{ uid: number; before: SdnEntry }>(
          `SELECT d.uid, v.data AS before FROM import_diff d JOIN sanctions_entry_version v ON v.id = d.version_id
           WHERE d.kind = 'amended' ORDER BY d.uid`,
        )
      : [];
    const added = baseline ? 0 : newUids;
    const held = !baseline && removedUids.length > options.holdShare * current;

    // A held mass removal is confirmed when the next publication removes the same entries.
    const waiting = await tx.query<{ id: number; removed: number[] }>(
      `SELECT p.id, coalesce(array_agg(c.uid) FILTER (WHERE c.uid IS NOT NULL), '{}') AS removed
       FROM sanctions_publication p LEFT JOIN sanctions_change c ON c.publication_id = p.id AND c.kind = 'removed'
       WHERE p.list = $1 AND p.status = 'held' GROUP BY p.id ORDER BY p.id`,
      [LIST],
    );
    const agrees = held && waiting.some((publication) => sameSet(publication.removed, removedUids));
    const status = held && !agrees ? 'held' : 'applied';
    const [publication] = await tx.query<{ id: number }>(
      `INSERT INTO sanctions_publication (list, published_on, source, sha256, record_count, added, removed, amended, status)
       VALUES ($1, $2::date, $3, $4, $5, $6, $7, $8, $9::"PublicationStatus") RETURNING id`,
      [
        LIST,
        isoDate(options.publishedOn),
        snapshot.source,
        snapshot.sha256,
        snapshot.recordCount,
        added,
        removedUids.length,
        amendedRows.length,
        status,
      ],
    );
    const publicationId = (publication as { id: number }).id;
    const superseded: number[] = [];
    if (status === 'applied' && waiting.length) {
      superseded.push(...waiting.map((row) => row.id));
      await tx.query(`UPDATE sanctions_publication SET status = 'superseded' WHERE id = ANY($1::int[])`, [
        `{${superseded.join(',')}}`,
      ]);
    }
    // New and amended entries' versions come from the staged rows, not read back from the change rows.
    const openVersions = `INSERT INTO sanctions_entry_version (list, uid, hash, data, valid_from_id, source_digest)
       SELECT $1, d.uid, d.hash, e.data, $2, d.digest FROM import_diff d JOIN import_entry e ON e.uid = d.uid
       WHERE d.kind <> 'removed' ORDER BY d.uid`;
    if (baseline) {
      await tx.query(openVersions, [LIST, publicationId]);
    } else {
      await tx.query(
        `INSERT INTO sanctions_change (publication_id, uid, kind, name, entry_type, programs, details)
         SELECT $1, e.uid, 'added', e.data->>'name', e.data->>'type', ${PROGRAMS('e')}, jsonb_build_object('entry', e.data)
         FROM import_diff d JOIN import_entry e ON e.uid = d.uid WHERE d.kind = 'added' ORDER BY d.uid`,
        [publicationId],
      );
      await tx.query(
        `INSERT INTO sanctions_change (publication_id, uid, kind, name, entry_type, programs, details)
         SELECT $1, v.uid, 'removed', v.data->>'name', v.data->>'type', ${PROGRAMS('v')}, jsonb_build_object('entry', v.data)
         FROM import_diff d JOIN sanctions_entry_version v ON v.id = d.version_id WHERE d.kind = 'removed' ORDER BY d.uid`,
        [publicationId],
      );
      for (const part of chunks(amendedRows, STAGE_CHUNK)) {
        const amendments = part.map((row) => ({
          uid: row.uid,
          changes: describeAmendment(row.before, entryOf(row.uid)),
        }));
        await tx.query(
          `INSERT INTO sanctions_change (publication_id, uid, kind, name, entry_type, programs, details)
           SELECT $1, e.uid, 'amended', e.data->>'name', e.data->>'type', ${PROGRAMS('e')},
                  jsonb_build_object('entry', e.data, 'changes', a.changes)
           FROM jsonb_to_recordset($2::jsonb) AS a(uid integer, changes jsonb)
           JOIN import_entry e ON e.uid = a.uid ORDER BY e.uid`,
          [publicationId, JSON.stringify(amendments)],
        );
      }
      if (status === 'applied') {
        await tx.query(
          `UPDATE sanctions_entry_version SET valid_to_id = $1
           WHERE id IN (SELECT version_id FROM import_diff WHERE kind <> 'added')`,
          [publicationId],
        );
        await tx.query(openVersions, [LIST, publicationId]);
      }
    }
    return {
      publicationId,
      publishedOn: isoDate(options.publishedOn),
      status,
      baseline,
      recordCount: snapshot.recordCount,
      added,
      removed: removedUids.length,
      amended: amendedRows.length,
      superseded,
    };
  });
}

/** Ends the current version of every entry a publication removed or amended. */
async function closeVersions(tx: Tx, publicationId: number, LIST: string): Promise<void> {
  await tx.$executeRawUnsafe(
    `UPDATE sanctions_entry_version SET valid_to_id = $2
     WHERE list = $1 AND valid_to_id IS NULL
       AND uid IN (SELECT uid FROM sanctions_change WHERE publication_id = $2 AND kind <> 'added')`,
    LIST,
    publicationId,
  );
}

/** Applies a held publication's changes, on an admin's word. */
export async function releasePublication(db: Db, publicationId: number, now: Date): Promise<void> {
  await db.$transaction(async (tx) => {
    const publication = await tx.sanctionsPublication.findUnique({ where: { id: publicationId } });
    if (!publication) throw new SnapshotError(`There is no publication ${publicationId}.`);
    if (publication.status !== 'held')
      throw new SnapshotError(`Publication ${publicationId} is ${publication.status}, not held.`);
    const later = await tx.sanctionsPublication.count({
      where: { list: publication.list, status: 'applied', id: { gt: publicationId } },
    });
    if (later)
      throw new SnapshotError(
        `A later publication was applied after ${publicationId}; it can no longer be released.`,
      );
    await applyChanges(tx, publicationId, publication.list);
    await tx.sanctionsPublication.update({
      where: { id: publicationId },
      data: { status: 'applied', releasedAt: now },
    });
  }, TRANSACTION);
}

async function applyChanges(tx: Tx, publicationId: number, LIST: string): Promise<void> {
  const changes = await tx.sanctionsChange.findMany({
    where: { publicationId },
    select: { uid: true, kind: true, details: true },
  });
  await closeVersions(tx, publicationId, LIST);
  const opening = changes.filter((change) => change.kind !== 'removed');
  for (const part of chunks(opening)) {
    await tx.sanctionsEntryVersion.createMany({
      data: part.map((change) => {
        const entry = storedChangeEntry(change.details);
        return {
          list: LIST,
          uid: change.uid,
          hash: entryHash(entry),
          data: json(entry),
          validFromId: publicationId,
        };
      }),
    });
  }
}

function sameSet(a: number[], b: number[]): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(a);
  return b.every((item) => set.has(item));
}

/** `id`: the list's own id for the entry (OFAC: its uid, as text). */
export type ChangeSummary = { uid: number; id: string; name: string; type: string; programs: string[] };

export type PublicationChanges = {
  publicationId: number | null;
  published: string | null;
  held: boolean;
  added: ChangeSummary[];
  removed: ChangeSummary[];
  amended: Array<ChangeSummary & { changes: unknown }>;
};

/** The changes of the newest publication (held or applied), optionally only those touching `programs`. */
export async function latestChanges(
  db: Db,
  programs: string[] = [],
  LIST = OFAC,
): Promise<PublicationChanges> {
  const publication = await db.sanctionsPublication.findFirst({
    where: { list: LIST, status: { in: ['applied', 'held'] } },
    orderBy: { id: 'desc' },
  });
  if (!publication)
    return { publicationId: null, published: null, held: false, added: [], removed: [], amended: [] };
  const changes = await db.sanctionsChange.findMany({
    where: { publicationId: publication.id, ...(programs.length ? { programs: { hasSome: programs } } : {}) },
    orderBy: { uid: 'asc' },
  });
  const summary = (change: (typeof changes)[number]): ChangeSummary => ({
    uid: change.uid,
    id: displayId(storedChangeEntry(change.details), change.uid),
    name: change.name,
    type: change.entryType,
    programs: change.programs,
  });
  return {
    publicationId: publication.id,
    published: isoDate(publication.publishedOn),
    held: publication.status === 'held',
    added: changes.filter((change) => change.kind === 'added').map(summary),
    removed: changes.filter((change) => change.kind === 'removed').map(summary),
    amended: changes
      .filter((change) => change.kind === 'amended')
      .map((change) => ({
        ...summary(change),
        changes: storedAmendment(change.details) ?? {},
      })),
  };
}

/** The id a list shows for an entry: its own id, else its key, else (OFAC) the uid. */
export function displayId(entry: Pick<SdnEntry, 'listId' | 'key'> | undefined, uid: number): string {
  return entry?.listId ?? entry?.key ?? String(uid);
}

/**
 * Imports a list other than OFAC's: gives each entry key a number of ours (the same number for the
 * same key in every publication), then diffs and stores it like OFAC's.
 */
export async function importListSnapshot(
  db: Db,
  snapshot: ListSnapshot,
  options: { publishedOn: Date; holdShare: number },
): Promise<ImportResult> {
  const list = storedList(snapshot.list);
  // The list's numbered keys in one read, then one insert of the keys it has not seen (none, most
  // days). Prisma's createMany and an IN list of thousands of keys took 0.6 s for Canada's 4,759.
  // The keys come back as one JSON object, not a row each: 4,700 rows took 17-30 ms to convert.
  const sql = sqlOf(db);
  const [stored] = await sql.query<{ keys: Record<string, number> | null }>(
    'SELECT json_object_agg(key, uid) AS keys FROM sanctions_entry_key WHERE list = $1',
    [list],
  );
  const numbers = new Map(Object.entries(stored?.keys ?? {}));
  const unseen = [...snapshot.entries.keys()].filter((key) => !numbers.has(key));
  if (unseen.length) {
    const created = await sql.query<{ key: string; uid: number }>(
      `INSERT INTO sanctions_entry_key (list, key)
       SELECT $1, key FROM jsonb_array_elements_text($2::jsonb) AS k(key) ON CONFLICT DO NOTHING RETURNING key, uid`,
      [list, JSON.stringify(unseen)],
    );
    for (const row of created) numbers.set(row.key, row.uid);
    // Keys another import numbered meanwhile: not returned by the insert, read them now.
    const raced = unseen.filter((key) => !numbers.has(key));
    if (raced.length) {
      const rows = await sql.query<{ key: string; uid: number }>(
        `SELECT k.key, k.uid FROM sanctions_entry_key k
         JOIN jsonb_array_elements_text($2::jsonb) AS s(key) ON s.key = k.key WHERE k.list = $1`,
        [list, JSON.stringify(raced)],
      );
      for (const row of rows) numbers.set(row.key, row.uid);
    }
  }
  const entries = new Map<number, SdnEntry>();
  for (const [key, entry] of snapshot.entries) {
    const uid = numbers.get(key) as number;
    entries.set(uid, { ...withScripts(entry), uid });
  }
  return importPublication(
    db,
    { entries, sha256: snapshot.sha256, recordCount: snapshot.recordCount, source: snapshot.source },
    { ...options, list },
  );
}
