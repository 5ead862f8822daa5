import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { nameKey } from '../../../domain/names.ts';
import { SnapshotError } from '../../csv.ts';
import type { SdnEntry } from '../../sdn.ts';
import { addUnique, blankEntry, type ListSnapshot } from '../model.ts';
import { childrenNamed, childText, streamXmlRecords } from '../xml-records.ts';

/**
 * Global Affairs Canada's Consolidated Canadian Autonomous Sanctions List (SEMA regulations and the
 * Justice for Victims of Corrupt Foreign Officials Act), XML: `<data-set>` of `<record>`s with no id.
 * Two layouts are read: the older (Entity, DateOfBirth, no listing date) and the newer
 * (EntityOrShip, DateOfBirthOrShipBuildDate, DateOfListing, ShipIMONumber).
 *
 * The key is the regime plus the normalized name (plus the date of birth for namesakes within a
 * regime). Schedule and item locate a record but are renumbered between files (schedule "1" became
 * "1, Part 1"), so they make the id shown, not the key that links publications.
 */
export async function readCanadaList(path: string): Promise<ListSnapshot> {
  const what = `Canadian list ${basename(path)}`;
  const hash = createHash('sha256');
  const entries = new Map<string, SdnEntry>();
  let records = 0;
  await streamXmlRecords(path, { root: 'data-set', record: 'record', what, hash }, (record) => {
    records++;
    const stated = englishPart(childText(record, 'Country'));
    const regime = RENAMED[stated] ?? stated;
    const entity = childText(record, 'EntityOrShip') || childText(record, 'Entity');
    const last = childText(record, 'LastName');
    const given = childText(record, 'GivenName');
    const name = entity || (last && given ? `${last}, ${given}` : last || given);
    if (!regime || !name) return;
    const dob = childText(record, 'DateOfBirthOrShipBuildDate') || childText(record, 'DateOfBirth');
    const imo = childText(record, 'ShipIMONumber');
    const type: SdnEntry['type'] = entity ? (imo ? 'vessel' : 'entity') : 'individual';
    const base = `${regime}|${nameKey(name)}`;
    const key = entries.has(base) ? `${base}|${dob || childText(record, 'Item')}` : base;
    const schedule = childText(record, 'Schedule');
    const item = childText(record, 'Item');
    const entry = blankEntry({
      name,
      type,
      key,
      listId: [regimeCode(regime), schedule && `schedule ${schedule}`, item && `item ${item}`]
        .filter(Boolean)
        .join(', '),
      lastName: entity ? null : last || null,
      firstName: entity ? null : given || null,
      programs: [regime],
      title: childText(record, 'TitleOrShip') || childText(record, 'Title') || null,
      listedOn: /^\d{4}-\d\d-\d\d$/.test(childText(record, 'DateOfListing'))
        ? childText(record, 'DateOfListing')
        : null,
    });
    addUnique(entry.datesOfBirth, type === 'individual' ? dob : null);
    addUnique(entry.documents, imo && `IMO ${imo}`);
    for (const node of childrenNamed(record, 'Aliases')) {
      for (const alias of node.text.split(/\s*;\s*/)) {
        const clean = alias.replace(/\s+/g, ' ').trim();
        if (clean && clean !== name) entry.aliases.push({ name: clean, strength: 'strong' });
      }
    }
    entries.set(key, entry);
  });
  if (entries.size === 0) throw new SnapshotError(`${what}: no records; nothing was imported.`);
  return {
    list: 'ca',
    entries,
    sha256: hash.digest('hex'),
    recordCount: records,
    source: `GAC consolidated list ${basename(path)}`,
    publishedOn: null,
  };
}

/** "Russia / Russie" (or "China/Chine" in older files) -> "Russia"; the Magnitsky-law regulations keep their English name. */
function englishPart(text: string): string {
  return text.split(/\s*\/\s*/)[0]?.trim() ?? '';
}

/** Regimes renamed between files, so their entries keep their keys. */
const RENAMED: Record<string, string> = { Burma: 'Myanmar (Burma)' };

function regimeCode(regime: string): string {
  return /\(JVCFOR\)/.test(regime) ? 'JVCFOR' : regime;
}
