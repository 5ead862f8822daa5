import { isoDate } from '../domain/dates.ts';
import type { Db, Tx } from '../domain/tx.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { SnapshotError } from './csv.ts';
import { storedList } from './lists.ts';
import { describeAmendment, entryHash, type SdnEntry } from './sdn.ts';
import type { Snapshot } from './snapshot.ts';
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

const CURRENT = `sanctions_entry_version v WHERE v.list = $1 AND v.valid_to_id IS NULL`;
const PROGRAMS = (alias: string) => `ARRAY(SELECT jsonb_array_elements_text(${alias}.data->'programs'))`;

/**
 * Imports a snapshot as the next publication: stores the publication, its changes and the new entry
 * versions in one transaction. A snapshot that would remove more than `holdShare` of the list is
 * held: stored with its changes but not applied, until an admin releases it or the next publication
 * agrees with it.
 *
 * The snapshot's uids and hashes go into a temporary table, and the diff against the current
 * versions is computed there, set-wise; the whole entry follows only for entries that are new or
 * changed. Added, removed and amended change rows and the new versions are then one statement each,
 * whatever the list's size. Only amended entries' previous versions come back, to describe what
 * changed in them.
 */
export async function importPublication(
  db: Db,
  snapshot: Snapshot,
  options: { publishedOn: Date; holdShare: number; list?: string },
): Promise<ImportResult> {
  const LIST = options.list ?? OFAC;
  const duplicate = await db.sanctionsPublication.findUnique({
    where: { list_sha256: { list: LIST, sha256: snapshot.sha256 } },
  });
  if (duplicate) {
    throw new SnapshotError(
      `This snapshot was already imported as publication ${duplicate.id} (${isoDate(duplicate.publishedOn)}); nothing changed.`,
    );
  }

  return db.$transaction(async (tx) => {
    await tx.$executeRawUnsafe(
      'CREATE TEMPORARY TABLE import_stage (uid integer PRIMARY KEY, hash text NOT NULL, data jsonb) ON COMMIT DROP',
    );
    // Every entry's uid and hash first: enough to tell what changed.
    for (const part of chunks([...snapshot.entries.values()], STAGE_CHUNK)) {
      await tx.$executeRawUnsafe(
        `INSERT INTO import_stage (uid, hash)
         SELECT uid, hash FROM jsonb_to_recordset($1::jsonb) AS x(uid integer, hash text)`,
        JSON.stringify(part.map((entry) => ({ uid: entry.uid, hash: entryHash(entry) }))),
      );
    }
    await tx.$executeRawUnsafe('ANALYZE import_stage');
    // Then the whole entry, only for those that are new or changed: on a day's publication a few
    // hundred of the list's thousands.
    const changed = await tx.$queryRawUnsafe<Array<{ uid: number }>>(
      `SELECT s.uid FROM import_stage s
       WHERE NOT EXISTS (SELECT 1 FROM ${CURRENT} AND v.uid = s.uid AND v.hash = s.hash)`,
      LIST,
    );
    for (const part of chunks(changed, STAGE_CHUNK)) {
      await tx.$executeRawUnsafe(
        `UPDATE import_stage s SET data = x.data
         FROM jsonb_to_recordset($1::jsonb) AS x(uid integer, data jsonb) WHERE s.uid = x.uid`,
        JSON.stringify(part.map(({ uid }) => ({ uid, data: snapshot.entries.get(uid) as SdnEntry }))),
      );
    }

    const [counts] = await tx.$queryRawUnsafe<Array<{ current: number; added: number }>>(
      `SELECT (SELECT count(*) FROM ${CURRENT})::int AS current,
              (SELECT count(*) FROM import_stage s
                WHERE NOT EXISTS (SELECT 1 FROM ${CURRENT} AND v.uid = s.uid))::int AS added`,
      LIST,
    );
    const removedUids = (
      await tx.$queryRawUnsafe<Array<{ uid: number }>>(
        `SELECT v.uid FROM ${CURRENT} AND NOT EXISTS (SELECT 1 FROM import_stage s WHERE s.uid = v.uid)`,
        LIST,
      )
    ).map((row) => row.uid);
    const amendedRows = await tx.$queryRawUnsafe<Array<{ uid: number; before: SdnEntry }>>(
      `SELECT v.uid, v.data AS before FROM ${CURRENT} AND EXISTS
         (SELECT 1 FROM import_stage s WHERE s.uid = v.uid AND s.hash <> v.hash) ORDER BY v.uid`,
      LIST,
    );
    const current = counts?.current ?? 0;
    const baseline = current === 0;
    const added = baseline ? 0 : (counts?.added ?? 0);
    const held = !baseline && removedUids.length > options.holdShare * current;

    const waiting = await tx.sanctionsPublication.findMany({
      where: { list: LIST, status: 'held' },
      include: { changes: { where: { kind: 'removed' }, select: { uid: true } } },
    });
    // A held mass removal is confirmed when the next publication removes the same entries.
    const agrees =
      held &&
      waiting.some((publication) =>
        sameSet(
          publication.changes.map((change) => change.uid),
          removedUids,
        ),
      );
    const status = held && !agrees ? 'held' : 'applied';
    const publication = await tx.sanctionsPublication.create({
      data: {
        list: LIST,
        publishedOn: options.publishedOn,
        source: snapshot.source,
        sha256: snapshot.sha256,
        recordCount: snapshot.recordCount,
        added,
        removed: removedUids.length,
        amended: amendedRows.length,
        status,
      },
    });
    const superseded: number[] = [];
    if (status === 'applied' && waiting.length) {
      await tx.sanctionsPublication.updateMany({
        where: { id: { in: waiting.map((row) => row.id) } },
        data: { status: 'superseded' },
      });
      superseded.push(...waiting.map((row) => row.id));
    }
    if (baseline) {
      await tx.$executeRawUnsafe(
        `INSERT INTO sanctions_entry_version (list, uid, hash, data, valid_from_id)
         SELECT $1, uid, hash, data, $2 FROM import_stage ORDER BY uid`,
        LIST,
        publication.id,
      );
    } else {
      await tx.$executeRawUnsafe(
        `INSERT INTO sanctions_change (publication_id, uid, kind, name, entry_type, programs, details)
         SELECT $2, s.uid, 'added', s.data->>'name', s.data->>'type', ${PROGRAMS('s')}, jsonb_build_object('entry', s.data)
         FROM import_stage s WHERE NOT EXISTS (SELECT 1 FROM ${CURRENT} AND v.uid = s.uid) ORDER BY s.uid`,
        LIST,
        publication.id,
      );
      await tx.$executeRawUnsafe(
        `INSERT INTO sanctions_change (publication_id, uid, kind, name, entry_type, programs, details)
         SELECT $2, v.uid, 'removed', v.data->>'name', v.data->>'type', ${PROGRAMS('v')}, jsonb_build_object('entry', v.data)
         FROM ${CURRENT} AND NOT EXISTS (SELECT 1 FROM import_stage s WHERE s.uid = v.uid) ORDER BY v.uid`,
        LIST,
        publication.id,
      );
      for (const part of chunks(amendedRows, STAGE_CHUNK)) {
        const amendments = part.map((row) => ({
          uid: row.uid,
          changes: describeAmendment(row.before, snapshot.entries.get(row.uid) as SdnEntry),
        }));
        await tx.$executeRawUnsafe(
          `INSERT INTO sanctions_change (publication_id, uid, kind, name, entry_type, programs, details)
           SELECT $1, s.uid, 'amended', s.data->>'name', s.data->>'type', ${PROGRAMS('s')},
                  jsonb_build_object('entry', s.data, 'changes', a.changes)
           FROM jsonb_to_recordset($2::jsonb) AS a(uid integer, changes jsonb)
           JOIN import_stage s ON s.uid = a.uid ORDER BY s.uid`,
          publication.id,
          JSON.stringify(amendments),
        );
      }
      if (status === 'applied') {
        // The new versions come from the staged rows, not read back from the change rows.
        await closeVersions(tx, publication.id, LIST);
        await tx.$executeRawUnsafe(
          `INSERT INTO sanctions_entry_version (list, uid, hash, data, valid_from_id)
           SELECT $1, s.uid, s.hash, s.data, $2 FROM sanctions_change c JOIN import_stage s ON s.uid = c.uid
           WHERE c.publication_id = $2 AND c.kind <> 'removed' ORDER BY s.uid`,
          LIST,
          publication.id,
        );
      }
    }
    return {
      publicationId: publication.id,
      publishedOn: isoDate(options.publishedOn),
      status,
      baseline,
      recordCount: snapshot.recordCount,
      added,
      removed: removedUids.length,
      amended: amendedRows.length,
      superseded,
    };
  }, TRANSACTION);
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
  const keys = [...snapshot.entries.keys()];
  for (const part of chunks(keys)) {
    await db.sanctionsEntryKey.createMany({ data: part.map((key) => ({ list, key })), skipDuplicates: true });
  }
  const numbers = new Map<string, number>();
  for (const part of chunks(keys, 5_000)) {
    const rows = await db.sanctionsEntryKey.findMany({ where: { list, key: { in: part } } });
    for (const row of rows) numbers.set(row.key, row.uid);
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
