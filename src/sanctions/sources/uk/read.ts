import { basename } from 'node:path';
import { SnapshotError } from '../../csv.ts';
import type { SdnEntry } from '../../sdn.ts';
import { addAlias, addUnique, blankEntry, dayMonthYear, earliest, type ListSnapshot } from '../model.ts';
import { columns, readSheet } from '../spreadsheet.ts';

/**
 * The UK's lists, in the two layouts we have real files of:
 * - OFSI's Consolidated List ("ConList", XLSX), the UK's list until January 2026: row 1 is
 *   `Last Updated | DD/MM/YYYY`, row 2 the header, then one row per name; a Group ID spans a
 *   designated person or entity and all its names.
 * - The FCDO's UK Sanctions List summary export (ODS or XLSX), the single list since: one row per
 *   designation, with its Unique ID (`GHR0078`) and, for most, the OFSI Group ID it had before.
 * Entries are keyed by the OFSI Group ID when there is one, so moving from ConList history to FCDO
 * publications continues the same entries instead of delisting and relisting them all; FCDO rows
 * without a Group ID (447, mostly ships) are keyed by their Unique ID.
 */
export async function readUkList(path: string): Promise<ListSnapshot> {
  const what = `UK list ${basename(path)}`;
  const { rows, sha256 } = await readSheet(path, what);
  if (rows[0]?.[0]?.toLowerCase() === 'last updated') return readConList(rows, sha256, path, what);
  if (rows[0]?.some((cell) => cell.toLowerCase() === 'unique id'))
    return readFcdoSummary(rows, sha256, path, what);
  throw new SnapshotError(
    `${what}: neither OFSI's Consolidated List (Last Updated, then its header) nor the FCDO's UK Sanctions List export (Unique ID, OFSI Group ID, ...); nothing was imported.`,
  );
}

const CONLIST_COLUMNS = [
  'Name 6',
  'Name 1',
  'Name 2',
  'Name 3',
  'Name 4',
  'Name 5',
  'Title',
  'Name Non-Latin Script',
  'DOB',
  'Town of Birth',
  'Country of Birth',
  'Nationality',
  'Passport Number',
  'National Identification Number',
  'Position',
  'Country',
  'Other Information',
  'Group Type',
  'Alias Type',
  'Alias Quality',
  'Regime',
  'Listed On',
  'Group ID',
] as const;

function readConList(rows: string[][], sha256: string, path: string, what: string): ListSnapshot {
  const published = dayMonthYear(rows[0]?.[1] ?? '');
  const column = columns(rows[1], CONLIST_COLUMNS, what);
  const entries = new Map<string, SdnEntry>();
  const cell = (row: string[], name: (typeof CONLIST_COLUMNS)[number]) => row[column[name]] ?? '';
  for (const row of rows.slice(2)) {
    const group = cell(row, 'Group ID');
    if (!group) continue;
    const type = typeOf(cell(row, 'Group Type'));
    const surname = cell(row, 'Name 6');
    const given = ['Name 1', 'Name 2', 'Name 3', 'Name 4', 'Name 5']
      .map((name) => cell(row, name as (typeof CONLIST_COLUMNS)[number]))
      .filter(Boolean)
      .join(' ');
    const name =
      type === 'individual' && given ? `${surname}, ${given}` : [given, surname].filter(Boolean).join(' ');
    if (!name) continue;
    const primary =
      cell(row, 'Alias Type').toLowerCase().startsWith('primary name') &&
      !/variation/i.test(cell(row, 'Alias Type'));
    let entry = entries.get(group);
    if (!entry) {
      entry = blankEntry({
        name,
        type,
        key: group,
        listId: group,
        lastName: type === 'individual' ? surname : null,
        firstName: type === 'individual' ? given || null : null,
      });
      entries.set(group, entry);
    } else if (primary && entry.name !== name) {
      entry.aliases.push({ name: entry.name, strength: 'strong' });
      Object.assign(entry, {
        name,
        lastName: type === 'individual' ? surname : null,
        firstName: type === 'individual' ? given || null : null,
      });
    } else {
      addAlias(entry, name, /low/i.test(cell(row, 'Alias Quality')) ? 'weak' : 'strong');
    }
    const script = cell(row, 'Name Non-Latin Script');
    if (script && !entry.aliases.some((alias) => alias.name === script))
      entry.aliases.push({ name: script, strength: 'strong' });
    addUnique(entry.programs, cell(row, 'Regime'));
    for (const dob of cell(row, 'DOB').split(/\s*\|\s*|\s{2,}/)) addUnique(entry.datesOfBirth, dob);
    addUnique(entry.nationalities, cell(row, 'Nationality'));
    addUnique(
      entry.placesOfBirth,
      [cell(row, 'Town of Birth'), cell(row, 'Country of Birth')].filter(Boolean).join(', '),
    );
    addUnique(entry.documents, cell(row, 'Passport Number') && `Passport ${cell(row, 'Passport Number')}`);
    addUnique(
      entry.documents,
      cell(row, 'National Identification Number') &&
        `National ID ${cell(row, 'National Identification Number')}`,
    );
    addUnique(entry.addresses, cell(row, 'Country'));
    entry.title ??= cell(row, 'Position') || null;
    entry.remarks ??= cell(row, 'Other Information') || null;
    entry.listedOn = earliest([entry.listedOn, dayMonthYear(cell(row, 'Listed On'))]);
  }
  if (entries.size === 0) throw new SnapshotError(`${what}: no entries; nothing was imported.`);
  return {
    list: 'uk',
    entries,
    sha256,
    recordCount: entries.size,
    source: `OFSI ConList ${basename(path)}`,
    publishedOn: published,
  };
}

const FCDO_COLUMNS = [
  'Unique ID',
  'OFSI Group ID',
  'Name',
  'Regime Name',
  'Type',
  'Date Designated',
] as const;

function readFcdoSummary(rows: string[][], sha256: string, path: string, what: string): ListSnapshot {
  const column = columns(rows[0], FCDO_COLUMNS, what);
  const entries = new Map<string, SdnEntry>();
  const cell = (row: string[], name: (typeof FCDO_COLUMNS)[number]) =>
    (row[column[name]] ?? '').replace(/\s+/g, ' ').trim();
  for (const row of rows.slice(1)) {
    const unique = cell(row, 'Unique ID');
    const name = cell(row, 'Name');
    if (!unique || !name) continue;
    const group = cell(row, 'OFSI Group ID');
    const key = group || unique;
    let entry = entries.get(key);
    if (!entry) {
      entry = blankEntry({ name, type: typeOf(cell(row, 'Type')), key, listId: unique });
      entries.set(key, entry);
    } else {
      // One person designated under two regimes: one entry, both designations' ids.
      entry.listId = [...new Set([...(entry.listId ?? '').split(', '), unique])]
        .filter(Boolean)
        .sort()
        .join(', ');
      addAlias(entry, name);
    }
    addUnique(entry.programs, cell(row, 'Regime Name'));
    entry.listedOn = earliest([entry.listedOn, dayMonthYear(cell(row, 'Date Designated'))]);
  }
  if (entries.size === 0) throw new SnapshotError(`${what}: no entries; nothing was imported.`);
  const dated = /(\d{4}-\d\d-\d\d)/.exec(basename(path))?.[1] ?? null;
  return {
    list: 'uk',
    entries,
    sha256,
    recordCount: entries.size,
    source: `FCDO UK Sanctions List ${basename(path)}`,
    publishedOn: dated,
  };
}

function typeOf(text: string): SdnEntry['type'] {
  const value = text.toLowerCase();
  if (value.startsWith('individual')) return 'individual';
  if (value.startsWith('ship')) return 'vessel';
  return 'entity';
}
