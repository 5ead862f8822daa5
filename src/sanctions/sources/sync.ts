import { isoDate } from '../../domain/dates.ts';
import type { Db } from '../../domain/tx.ts';
import { jurisdictionLabel, type ListCode, storedList } from '../lists.ts';
import { downloadFile, type SourceOptions } from '../source.ts';
import { importListSnapshot } from '../store.ts';
import { afterImport, recordFailure, recordSuccess, type SourceLabel, type SyncOutcome } from '../sync.ts';
import { readAustraliaList } from './au/read.ts';
import { readCanadaList } from './ca/read.ts';
import { readEuList } from './eu/read.ts';
import type { ListSnapshot } from './model.ts';
import { readUkList } from './uk/read.ts';

export type AlliedList = Exclude<ListCode, 'us'>;

/** The reader of each list other than OFAC's: nothing outside a list's folder knows its format. */
export const READERS: Record<AlliedList, (path: string) => Promise<ListSnapshot>> = {
  uk: readUkList,
  ca: readCanadaList,
  au: readAustraliaList,
  eu: readEuList,
};

export type ListSyncOptions = Omit<SourceOptions, 'baseUrl' | 'files'> & {
  url: string;
  holdShare: number;
  now: Date;
};

/** The name a downloaded file is saved under: the readers tell formats by content or extension. */
function fileName(url: string): string {
  const last = new URL(url).pathname.split('/').pop() ?? '';
  return /\.(xlsx|xls|ods|xml|gz)$/i.test(last) ? last : 'list.download';
}

/**
 * One scheduled check of another government's list: download the whole published file (these
 * lists offer no cheap change feed we rely on), then the same guards as OFAC's: a file already
 * imported (same SHA-256) changes nothing; an empty, cut-off or unreadable file, or one of another
 * layout, is refused; a mass removal is held; admins hear of persistent failures and of holds.
 */
export async function syncList(db: Db, list: AlliedList, options: ListSyncOptions): Promise<SyncOutcome> {
  const source: SourceLabel = {
    name: `list-${list}`,
    who: jurisdictionLabel(list),
    service: `the ${jurisdictionLabel(list)} list at ${new URL(options.url).host}`,
  };
  const state = await db.sanctionsSource.upsert({
    where: { name: source.name },
    create: { name: source.name },
    update: {},
  });
  try {
    const download = await downloadFile(
      { ...options, label: jurisdictionLabel(list) },
      options.url,
      fileName(options.url),
    );
    try {
      const snapshot = await READERS[list](download.path);
      const existing = await db.sanctionsPublication.findUnique({
        where: { list_sha256: { list: storedList(list), sha256: snapshot.sha256 } },
      });
      if (existing) {
        await recordSuccess(db, source, state.failures, options.now);
        return { status: 'unchanged', reason: `same file as publication ${existing.id}` };
      }
      const result = await importListSnapshot(db, snapshot, {
        publishedOn: new Date(`${snapshot.publishedOn ?? isoDate(options.now)}T00:00:00Z`),
        holdShare: options.holdShare,
      });
      await recordSuccess(db, source, state.failures, options.now);
      await afterImport(db, jurisdictionLabel(list), result, options.holdShare, options.now);
      return { status: 'imported', result };
    } finally {
      await download.cleanup();
    }
  } catch (error) {
    return recordFailure(db, source, state.failures, options, error);
  }
}
