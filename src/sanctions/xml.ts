import { createHash } from 'node:crypto';
import { StringDecoder } from 'node:string_decoder';
import { openMaybeGzip, SnapshotError } from './csv.ts';
import type { SdnEntry } from './sdn.ts';
import { sdnTypeOf, splitName } from './sdn.ts';
import type { Snapshot } from './snapshot.ts';

export type XmlSnapshot = Snapshot & { publishedOn: string | null };

type Item = Record<string, string>;

/**
 * Streams OFAC's legacy SDN.XML (plain or gzip) with a SAX parser: element by element, never the
 * whole document in memory. Element names are matched by local name, since the namespace URI has
 * changed over the years. A parse error, a missing Record_Count or a count that disagrees with the
 * entries read is a refusal.
 */
export async function readXmlSnapshot(path: string): Promise<XmlSnapshot> {
  const hash = createHash('sha256');
  const entries = new Map<number, SdnEntry>();
  // Loaded with the first XML list read, not with the bot.
  const { SaxesParser } = await import('saxes');
  const parser = new SaxesParser();
  const stack: string[] = [];
  let text = '';
  let recordCount: number | null = null;
  let publishDate: string | null = null;
  let entry: Partial<SdnEntry> & { fields: Item; lists: Record<string, Item[]> } = { fields: {}, lists: {} };
  let item: Item | null = null;
  let failure: Error | null = null;
  const local = (name: string) => name.slice(name.indexOf(':') + 1);

  parser.on('error', (error) => {
    failure ??= error;
  });
  parser.on('opentag', (tag) => {
    const name = local(tag.name);
    stack.push(name);
    text = '';
    if (name === 'sdnEntry') entry = { fields: {}, lists: {} };
    else if (
      stack.includes('sdnEntry') &&
      stack.length === 4 &&
      stack[2]?.endsWith('List') &&
      stack[2] !== 'programList'
    )
      item = {};
  });
  parser.on('text', (chunk) => {
    text += chunk;
  });
  parser.on('closetag', (tag) => {
    const name = local(tag.name);
    const value = text.trim();
    text = '';
    const depth = stack.length;
    // An empty or non-numeric count is no count: Number('') would read as a list of 0 records.
    if (name === 'Record_Count') recordCount = /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
    else if (name === 'Publish_Date') publishDate = value;
    else if (name === 'sdnEntry') {
      const built = buildEntry(entry.fields, entry.lists);
      if (built) entries.set(built.uid, built);
    } else if (item && depth === 4) {
      const list = stack[depth - 2] as string;
      append(entry.lists, list, item);
      item = null;
    } else if (item && depth === 5) {
      item[name] = value;
    } else if (stack.includes('sdnEntry') && depth === 3) {
      entry.fields[name] = value;
    } else if (stack.includes('sdnEntry') && depth === 4 && stack[2] === 'programList') {
      append(entry.lists, 'programList', { program: value });
    }
    stack.pop();
  });

  const decoder = new StringDecoder('utf8');
  let bytes = 0;
  try {
    for await (const chunk of (await openMaybeGzip(path)) as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      hash.update(chunk);
      parser.write(decoder.write(chunk));
      if (failure) break;
    }
    if (!failure) parser.write(decoder.end()).close();
  } catch (error) {
    failure ??= error instanceof Error ? error : new Error(String(error));
  }
  if (bytes === 0) throw new SnapshotError('SDN.XML is empty (a failed download); nothing was imported.');
  if (failure)
    throw new SnapshotError(
      `SDN.XML is malformed or truncated (${(failure as Error).message.split('\n')[0]}); nothing was imported.`,
    );
  if (recordCount === null || Number.isNaN(recordCount))
    throw new SnapshotError(
      'SDN.XML has no Record_Count: it is not a complete SDN list; nothing was imported.',
    );
  if (recordCount !== entries.size) {
    throw new SnapshotError(
      `SDN.XML announces ${recordCount} records but holds ${entries.size}; nothing was imported.`,
    );
  }
  // As for SDN.CSV: a list without entries is never taken for "everyone was delisted".
  if (entries.size === 0) throw new SnapshotError('SDN.XML has no entries; nothing was imported.');
  return {
    entries,
    sha256: hash.digest('hex'),
    recordCount: entries.size,
    source: 'xml',
    publishedOn: toIsoDate(publishDate),
  };
}

function append(lists: Record<string, Item[]>, list: string, item: Item): void {
  const items = lists[list] ?? [];
  items.push(item);
  lists[list] = items;
}

function buildEntry(fields: Item, lists: Record<string, Item[]>): SdnEntry | null {
  const uid = Number(fields.uid);
  if (!Number.isInteger(uid) || uid <= 0) return null;
  const type = sdnTypeOf(fields.sdnType ?? '');
  const name = fields.firstName ? `${fields.lastName ?? ''}, ${fields.firstName}` : (fields.lastName ?? '');
  const join = (parts: Array<string | undefined>) =>
    parts.filter((part): part is string => Boolean(part)).join(', ');
  return {
    uid,
    type,
    name,
    ...splitName(name, type),
    programs: (lists.programList ?? []).map((row) => row.program ?? '').filter(Boolean),
    title: fields.title || null,
    aliases: (lists.akaList ?? []).map((aka) => ({
      name: aka.firstName ? `${aka.lastName ?? ''}, ${aka.firstName}` : (aka.lastName ?? ''),
      strength: aka.category === 'weak' ? ('weak' as const) : ('strong' as const),
    })),
    nationalities: (lists.nationalityList ?? []).map((row) => row.country ?? '').filter(Boolean),
    datesOfBirth: (lists.dateOfBirthList ?? []).map((row) => row.dateOfBirth ?? '').filter(Boolean),
    placesOfBirth: (lists.placeOfBirthList ?? []).map((row) => row.placeOfBirth ?? '').filter(Boolean),
    addresses: (lists.addressList ?? [])
      .map((row) =>
        join([
          row.address1,
          row.address2,
          row.address3,
          join([row.city, row.stateOrProvince, row.postalCode]),
          row.country,
        ]),
      )
      .filter(Boolean),
    documents: (lists.idList ?? [])
      .map((row) => [row.idType, row.idNumber].filter(Boolean).join(' '))
      .filter(Boolean),
    remarks: fields.remarks || null,
  };
}

/** OFAC writes Publish_Date as MM/DD/YYYY. */
function toIsoDate(value: string | null): string | null {
  const match = value ? /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(value) : null;
  return match ? `${match[3]}-${match[1]}-${match[2]}` : null;
}
