import { basename } from 'node:path';
import { SnapshotError } from '../../csv.ts';
import type { SdnEntry } from '../../sdn.ts';
import { addAlias, addUnique, blankEntry, earliest, type ListSnapshot } from '../model.ts';
import { columns, readSheet } from '../spreadsheet.ts';

const COLUMNS = [
  'Reference',
  'Name of Individual or Entity',
  'Type',
  'Name Type',
  'Date of Birth',
  'Place of Birth',
  'Citizenship',
  'Address',
  'Additional Information',
  'Listing Information',
  'Committees',
] as const;

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * DFAT's Consolidated List (XLSX now, XLS before): one row per name; reference `2` is an entry and
 * `2a`, `2b` its other names (aliases, original script). The reference number is the key. The
 * listing date is the first date the free-text Listing Information gives ("Listed by ... on 25
 * January 2001 (amended ...)"); the Control Date is the last change, not the listing, and is not used.
 */
export async function readAustraliaList(path: string): Promise<ListSnapshot> {
  const what = `Australian list ${basename(path)}`;
  const { rows, sha256 } = await readSheet(path, what);
  const column = columns(rows[0], COLUMNS, what);
  const cell = (row: string[], name: (typeof COLUMNS)[number]) =>
    (row[column[name]] ?? '').replace(/\s+/g, ' ').trim();
  const entries = new Map<string, SdnEntry>();
  for (const row of rows.slice(1)) {
    const reference = /^(\d+)/.exec(cell(row, 'Reference'))?.[1];
    const name = cell(row, 'Name of Individual or Entity');
    if (!reference || !name) continue;
    const nameType = cell(row, 'Name Type').toLowerCase();
    let entry = entries.get(reference);
    if (!entry) {
      entry = blankEntry({
        name,
        type: /individual/i.test(cell(row, 'Type'))
          ? 'individual'
          : /vessel|ship/i.test(cell(row, 'Type'))
            ? 'vessel'
            : 'entity',
        key: reference,
        listId: reference,
        remarks: cell(row, 'Additional Information') || null,
        listedOn: firstDate(cell(row, 'Listing Information')),
      });
      entries.set(reference, entry);
    } else if (nameType.startsWith('primary') && entry.name !== name) {
      entry.aliases.push({ name: entry.name, strength: 'strong' });
      entry.name = name;
    } else {
      addAlias(entry, name);
    }
    addUnique(entry.programs, cell(row, 'Committees'));
    addUnique(entry.datesOfBirth, cell(row, 'Date of Birth'));
    addUnique(entry.placesOfBirth, cell(row, 'Place of Birth'));
    addUnique(entry.nationalities, cell(row, 'Citizenship'));
    addUnique(entry.addresses, cell(row, 'Address') === 'NA' ? null : cell(row, 'Address'));
    entry.listedOn = earliest([entry.listedOn, firstDate(cell(row, 'Listing Information'))]);
  }
  if (entries.size === 0) throw new SnapshotError(`${what}: no entries; nothing was imported.`);
  return {
    list: 'au',
    entries,
    sha256,
    recordCount: entries.size,
    source: `DFAT consolidated list ${basename(path)}`,
    publishedOn: /(\d{4}-\d\d-\d\d)/.exec(basename(path))?.[1] ?? null,
  };
}

/** The first "25 January 2001" (or "25 Jan. 2001") in a text, as YYYY-MM-DD. */
function firstDate(text: string): string | null {
  const match = /\b(\d{1,2})\s+([A-Za-z]{3})[a-z]*\.?,?\s+(\d{4})\b/.exec(text);
  if (!match) return null;
  const month = MONTHS.indexOf((match[2] ?? '').toLowerCase());
  if (month < 0) return null;
  return `${match[3]}-${String(month + 1).padStart(2, '0')}-${(match[1] ?? '').padStart(2, '0')}`;
}
