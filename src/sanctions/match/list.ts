import type { Db } from '../../domain/tx.ts';
import type { SdnEntry } from '../sdn.ts';
import { storedEntry } from '../stored.ts';
import { buildIndex, type MatchIndex } from './matcher.ts';

const PAGE = 5_000;

/** The current list (the entries of the latest applied publication), indexed for matching. */
export async function currentListIndex(db: Db, list = 'SDN'): Promise<MatchIndex> {
  const entries: SdnEntry[] = [];
  let cursor: bigint | undefined;
  for (;;) {
    const rows = await db.sanctionsEntryVersion.findMany({
      where: { list, validToId: null },
      select: { id: true, data: true },
      orderBy: { id: 'asc' },
      take: PAGE,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    });
    for (const row of rows) entries.push(storedEntry(row.data));
    if (rows.length < PAGE) break;
    cursor = rows[rows.length - 1]?.id;
  }
  return buildIndex(entries);
}
