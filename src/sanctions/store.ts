import { isoDate } from '../domain/dates.ts';
import type { Db, Tx } from '../domain/tx.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { SnapshotError } from './csv.ts';
import { storedList } from './lists.ts';
import { describeAmendment, entryHash, type SdnEntry } from './sdn.ts';
import type { Snapshot } from './snapshot.ts';
import { type ListSnapshot, withScripts } from './sources/model.ts';

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

type ChangeRow = Prisma.SanctionsChangeCreateManyInput;

function chunks<T>(items: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size));
  return out;
}

const json = (value: unknown) => JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue;

/**
 * Imports a snapshot as the next publication: diffs it by uid against the current list, stores the
 * publication, its changes and the new entry versions in one transaction. A snapshot that would
 * remove more than `holdShare` of the list is held: stored with its changes but not applied, until
 * an admin releases it or the next publication agrees with it.
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
  const current = await db.sanctionsEntryVersion.findMany({
    where: { list: LIST, validToId: null },
    select: { uid: true, hash: true },
  });
  const currentHash = new Map(current.map((row) => [row.uid, row.hash]));
  const baseline = current.length === 0;
  const added: SdnEntry[] = [];
  const amendedUids: number[] = [];
  for (const [uid, entry] of snapshot.entries) {
    const hash = currentHash.get(uid);
    if (hash === undefined) added.push(entry);
    else if (hash !== entryHash(entry)) amendedUids.push(uid);
  }
  const removedUids = current.filter((row) => !snapshot.entries.has(row.uid)).map((row) => row.uid);
  const held = !baseline && removedUids.length > options.holdShare * current.length;

  return db.$transaction(async (tx) => {
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
        added: baseline ? 0 : added.length,
        removed: removedUids.length,
        amended: amendedUids.length,
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
      for (const part of chunks([...snapshot.entries.values()])) {
        await tx.sanctionsEntryVersion.createMany({
          data: part.map((entry) => ({
            list: LIST,
            uid: entry.uid,
            hash: entryHash(entry),
            data: json(entry),
            validFromId: publication.id,
          })),
        });
      }
    } else {
      const old = await previousEntries(tx, LIST, [...removedUids, ...amendedUids]);
      const rows: ChangeRow[] = [
        ...added.map((entry) => changeRow(publication.id, 'added', entry, { entry })),
        ...removedUids.map((uid) => {
          const before = old.get(uid) as SdnEntry;
          return changeRow(publication.id, 'removed', before, { entry: before });
        }),
        ...amendedUids.map((uid) => {
          const after = snapshot.entries.get(uid) as SdnEntry;
          return changeRow(publication.id, 'amended', after, {
            entry: after,
            changes: describeAmendment(old.get(uid) as SdnEntry, after),
          });
        }),
      ];
      for (const part of chunks(rows)) await tx.sanctionsChange.createMany({ data: part });
      if (status === 'applied') await applyChanges(tx, publication.id, LIST);
    }
    return {
      publicationId: publication.id,
      publishedOn: isoDate(options.publishedOn),
      status,
      baseline,
      recordCount: snapshot.recordCount,
      added: baseline ? 0 : added.length,
      removed: removedUids.length,
      amended: amendedUids.length,
      superseded,
    };
  }, TRANSACTION);
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
  const closing = changes.filter((change) => change.kind !== 'added').map((change) => change.uid);
  for (const part of chunks(closing)) {
    await tx.sanctionsEntryVersion.updateMany({
      where: { list: LIST, uid: { in: part }, validToId: null },
      data: { validToId: publicationId },
    });
  }
  const opening = changes.filter((change) => change.kind !== 'removed');
  for (const part of chunks(opening)) {
    await tx.sanctionsEntryVersion.createMany({
      data: part.map((change) => {
        const entry = (change.details as { entry: SdnEntry }).entry;
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

async function previousEntries(tx: Tx, LIST: string, uids: number[]): Promise<Map<number, SdnEntry>> {
  const found = new Map<number, SdnEntry>();
  for (const part of chunks(uids)) {
    const rows = await tx.sanctionsEntryVersion.findMany({
      where: { list: LIST, uid: { in: part }, validToId: null },
      select: { uid: true, data: true },
    });
    for (const row of rows) found.set(row.uid, row.data as unknown as SdnEntry);
  }
  return found;
}

function changeRow(
  publicationId: number,
  kind: 'added' | 'removed' | 'amended',
  entry: SdnEntry,
  details: unknown,
): ChangeRow {
  return {
    publicationId,
    uid: entry.uid,
    kind,
    name: entry.name,
    entryType: entry.type,
    programs: entry.programs,
    details: json(details),
  };
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
    id: displayId((change.details as { entry?: SdnEntry }).entry, change.uid),
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
        changes: (change.details as { changes?: unknown }).changes ?? {},
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
