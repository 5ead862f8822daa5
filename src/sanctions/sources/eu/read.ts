import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { SnapshotError } from '../../csv.ts';
import type { SdnEntry } from '../../sdn.ts';
import { addAlias, addUnique, blankEntry, earliest, type ListSnapshot } from '../model.ts';
import { childrenNamed, streamXmlRecords } from '../xml-records.ts';

/**
 * The EU Financial Sanctions Files consolidated list, XML 1.1: `<export generationDate=...>` of
 * `<sanctionEntity euReferenceNumber logicalId>` with regulations (programme), the subject type,
 * name aliases, birth dates, citizenships, addresses and identifications. Keyed by the logical id;
 * the EU reference number is the id shown. The listing date is the earliest publication date of the
 * regulations that list the entity. A file cut off before `</export>` is refused whole.
 */
export async function readEuList(path: string): Promise<ListSnapshot> {
  const what = `EU list ${basename(path)}`;
  const hash = createHash('sha256');
  const entries = new Map<string, SdnEntry>();
  const { rootAttributes } = await streamXmlRecords(
    path,
    { root: 'export', record: 'sanctionEntity', what, hash },
    (node) => {
      const key = node.attributes.logicalId;
      if (!key) return;
      const names = childrenNamed(node, 'nameAlias')
        .map((alias) => ({
          name: (alias.attributes.wholeName ?? '').replace(/\s+/g, ' ').trim(),
          strong: alias.attributes.strong !== 'false',
          alias,
        }))
        .filter((alias) => alias.name);
      const first = names[0];
      if (!first) return;
      const subject = childrenNamed(node, 'subjectType')[0]?.attributes.code ?? '';
      const type: SdnEntry['type'] = subject === 'person' ? 'individual' : 'entity';
      const regulations = childrenNamed(node, 'regulation');
      const entry = blankEntry({
        name: first.name,
        type,
        key,
        listId: node.attributes.euReferenceNumber || key,
        lastName: type === 'individual' ? first.alias.attributes.lastName || null : null,
        firstName: type === 'individual' ? first.alias.attributes.firstName || null : null,
        title: first.alias.attributes.function || null,
        remarks:
          childrenNamed(node, 'remark')
            .map((remark) => remark.text.trim())
            .join(' ') || null,
        listedOn: earliest(regulations.map((regulation) => regulation.attributes.publicationDate)),
      });
      for (const alias of names.slice(1)) addAlias(entry, alias.name, alias.strong ? 'strong' : 'weak');
      for (const regulation of regulations) addUnique(entry.programs, regulation.attributes.programme);
      for (const birth of childrenNamed(node, 'birthdate')) {
        addUnique(entry.datesOfBirth, birth.attributes.birthdate || birth.attributes.year);
        addUnique(
          entry.placesOfBirth,
          [birth.attributes.city, birth.attributes.countryDescription].filter(Boolean).join(', '),
        );
      }
      for (const citizenship of childrenNamed(node, 'citizenship'))
        addUnique(entry.nationalities, citizenship.attributes.countryDescription);
      for (const address of childrenNamed(node, 'address'))
        addUnique(
          entry.addresses,
          [address.attributes.street, address.attributes.city, address.attributes.countryDescription]
            .filter(Boolean)
            .join(', '),
        );
      for (const id of childrenNamed(node, 'identification'))
        addUnique(
          entry.documents,
          [id.attributes.identificationTypeDescription, id.attributes.number].filter(Boolean).join(' '),
        );
      // The files repeat an entity (same logical id) once per listing: one entry with all of them.
      const earlier = entries.get(key);
      if (earlier) mergeInto(earlier, entry);
      else entries.set(key, entry);
    },
  );
  if (entries.size === 0) throw new SnapshotError(`${what}: no entities; nothing was imported.`);
  return {
    list: 'eu',
    entries,
    sha256: hash.digest('hex'),
    recordCount: entries.size,
    source: `EU FSF ${basename(path)}`,
    publishedOn: /^(\d{4}-\d\d-\d\d)/.exec(rootAttributes.generationDate ?? '')?.[1] ?? null,
  };
}

function mergeInto(into: SdnEntry, from: SdnEntry): void {
  for (const name of [from.name, ...from.aliases.map((alias) => alias.name)]) addAlias(into, name);
  for (const field of [
    'programs',
    'datesOfBirth',
    'placesOfBirth',
    'nationalities',
    'addresses',
    'documents',
  ] as const)
    for (const value of from[field]) addUnique(into[field], value);
  into.listedOn = earliest([into.listedOn, from.listedOn]);
}
