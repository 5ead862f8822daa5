import { alertAdmins } from '../domain/alerts.ts';
import { isoDate } from '../domain/dates.ts';
import type { Db } from '../domain/tx.ts';
import { SnapshotError } from './csv.ts';
import { refreshLinks } from './links.ts';
import { matchPublication } from './match/designations.ts';
import { readCsvSource } from './snapshot.ts';
import { checkForChanges, downloadPublication, SourceError, type SourceOptions } from './source.ts';
import { type ImportResult, importPublication } from './store.ts';
import { readXmlSnapshot } from './xml.ts';

/** The sanctions_source row of the Sanctions List Service. */
export const SOURCE = 'ofac-sls';
/** Consecutive failed checks (at 30 minutes each, an hour and a half) before admins are warned. */
export const ALERT_AFTER_FAILURES = 3;

export type SyncOutcome =
  | { status: 'unchanged'; reason: string }
  | { status: 'imported'; result: ImportResult }
  | { status: 'failed'; reason: string; alerted: boolean };

export type SyncOptions = SourceOptions & {
  holdShare: number;
  now: Date;
  /** Download even if the change check says nothing new (the CLI's `sanctions sync --force`). */
  force?: boolean;
};

/**
 * One scheduled check of the Sanctions List Service: the cheap change listing first, the full
 * publication only when it moved (or when the listing is unavailable), then the same import and
 * guards as the CLI. A file already imported (same checksum) changes nothing. Failures are counted,
 * and admins are warned once when they persist, and again when the source recovers.
 */
export async function syncSanctions(db: Db, options: SyncOptions): Promise<SyncOutcome> {
  const state = await db.sanctionsSource.upsert({
    where: { name: SOURCE },
    create: { name: SOURCE },
    update: {},
  });
  let fingerprint: string | undefined;
  let listedDate: string | undefined;
  try {
    try {
      const check = await checkForChanges(options, options.now);
      fingerprint = check.fingerprint;
      listedDate = check.publishedOn;
    } catch (error) {
      // The listing is only an optimization: without it, the checksum decides after a download.
      if (!(error instanceof SourceError)) throw error;
    }
    const known = await db.sanctionsPublication.count({ where: { list: 'SDN' } });
    if (!options.force && fingerprint && fingerprint === state.fingerprint && known > 0) {
      await recordSuccess(db, OFAC_SOURCE, state.failures, options.now, fingerprint);
      return { status: 'unchanged', reason: 'the service lists no new publication' };
    }
    const download = await downloadPublication(options);
    try {
      const sdn = download.paths['SDN.XML'] ?? download.paths['SDN.CSV'];
      if (!sdn) throw new SourceError('OFAC_FILES must include SDN.CSV or SDN.XML.');
      const snapshot = download.paths['SDN.XML']
        ? await readXmlSnapshot(sdn)
        : await readCsvSource({ sdn, alt: download.paths['ALT.CSV'], add: download.paths['ADD.CSV'] });
      const existing = await db.sanctionsPublication.findUnique({
        where: { list_sha256: { list: 'SDN', sha256: snapshot.sha256 } },
      });
      if (existing) {
        await recordSuccess(db, OFAC_SOURCE, state.failures, options.now, fingerprint);
        return { status: 'unchanged', reason: `same file as publication ${existing.id}` };
      }
      const published =
        ('publishedOn' in snapshot && typeof snapshot.publishedOn === 'string'
          ? snapshot.publishedOn
          : undefined) ??
        listedDate ??
        download.publishedOn ??
        isoDate(options.now);
      const result = await importPublication(db, snapshot, {
        publishedOn: new Date(`${published}T00:00:00Z`),
        holdShare: options.holdShare,
      });
      await recordSuccess(db, OFAC_SOURCE, state.failures, options.now, fingerprint);
      await afterImport(db, 'OFAC', result, options.holdShare, options.now);
      return { status: 'imported', result };
    } finally {
      await download.cleanup();
    }
  } catch (error) {
    return recordFailure(db, OFAC_SOURCE, state.failures, options, error);
  }
}

/** A source as alerts name it: its row in sanctions_source and the words for admins. */
export type SourceLabel = { name: string; who: string; service: string };

const OFAC_SOURCE: SourceLabel = { name: SOURCE, who: 'OFAC', service: 'the Sanctions List Service' };

/** After an import: match additions and delistings with the targets, or tell admins it is held. */
export async function afterImport(
  db: Db,
  who: string,
  result: ImportResult,
  holdShare: number,
  now: Date,
): Promise<void> {
  if (result.status === 'applied' && !result.baseline) await matchPublication(db, result.publicationId, now);
  // Cross-list links follow each publication here, in the background check, so that a mirror
  // answer in chat rarely finds work to do (it would do it: every answer brings them up to date).
  if (result.status === 'applied') await refreshLinks(db, { now });
  if (result.status === 'held') {
    await alertAdmins(db, `${who} publication ${result.publicationId} is held`, [
      `The ${result.publishedOn} list would remove ${result.removed} of the entries (more than ${Math.round(holdShare * 100)}% of the list), so it was stored but not applied or announced.`,
      `If ${who} really delisted them, run: npm run cli -- sanctions release ${result.publicationId}. Otherwise the next publication replaces it.`,
    ]);
  }
}

/**
 * A failed check: counted, and admins warned once when failures persist. Errors other than a bad
 * download or file are bugs and go up. A check stopped by a shutdown is not the source's fault.
 */
export async function recordFailure(
  db: Db,
  source: SourceLabel,
  previousFailures: number,
  options: { now: Date; signal?: AbortSignal | undefined },
  error: unknown,
): Promise<SyncOutcome> {
  if (!(error instanceof SourceError || error instanceof SnapshotError)) throw error;
  if (options.signal?.aborted) return { status: 'failed', reason: error.message, alerted: false };
  const failures = previousFailures + 1;
  await db.sanctionsSource.update({
    where: { name: source.name },
    data: { failures, checkedAt: options.now, lastError: error.message.slice(0, 500) },
  });
  const alerted = failures === ALERT_AFTER_FAILURES;
  if (alerted) {
    await alertAdmins(db, `${source.who} list updates are failing`, [
      `The last ${failures} checks of ${source.service} failed; nothing was imported or changed.`,
      `Last error: ${error.message}`,
      'Digests will catch up once a check succeeds.',
    ]);
  }
  return { status: 'failed', reason: error.message, alerted };
}

export async function recordSuccess(
  db: Db,
  source: SourceLabel,
  previousFailures: number,
  now: Date,
  fingerprint?: string,
): Promise<void> {
  await db.sanctionsSource.update({
    where: { name: source.name },
    data: {
      ...(fingerprint ? { fingerprint } : {}),
      checkedAt: now,
      succeededAt: now,
      failures: 0,
      lastError: null,
    },
  });
  if (previousFailures >= ALERT_AFTER_FAILURES) {
    await alertAdmins(db, `${source.who} list updates work again`, [
      `${source.service[0]?.toUpperCase()}${source.service.slice(1)} answered after ${previousFailures} failed checks.`,
    ]);
  }
}
