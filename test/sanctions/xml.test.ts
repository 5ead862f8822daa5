import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SnapshotError } from '../../src/sanctions/csv.ts';
import type { SdnEntry } from '../../src/sanctions/sdn.ts';
import { readCsvSnapshot } from '../../src/sanctions/snapshot.ts';
import { readXmlSnapshot } from '../../src/sanctions/xml.ts';

/**
 * The fixtures hold OFAC's CSV files only, so the legacy XML is written here from a real CSV set
 * (the full 2021-07-07 files with aliases and addresses), in SDN.XML's layout, and read back.
 */
const FULL = new URL('../../../shared/fixtures/ofac/full-2021-07-07/', import.meta.url).pathname;
let dir: string;
let entries: Map<number, SdnEntry>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sdn-xml-'));
  entries = (
    await readCsvSnapshot({
      sdn: join(FULL, 'sdn.csv.gz'),
      alt: join(FULL, 'alt.csv.gz'),
      add: join(FULL, 'add.csv.gz'),
    })
  ).entries;
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const esc = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const el = (name: string, value: string | null | undefined) =>
  value ? `<${name}>${esc(value)}</${name}>` : '';

function nameParts(name: string, individual: boolean) {
  const comma = name.indexOf(',');
  return individual && comma >= 0
    ? el('lastName', name.slice(0, comma).trim()) + el('firstName', name.slice(comma + 1).trim())
    : el('lastName', name);
}

function toXml(list: SdnEntry[], count = list.length): string {
  const body = list
    .map(
      (entry) =>
        `<sdnEntry>${el('uid', String(entry.uid))}${nameParts(entry.name, entry.type === 'individual')}${el('title', entry.title)}` +
        `${el('sdnType', entry.type === 'entity' ? 'Entity' : entry.type[0]?.toUpperCase() + entry.type.slice(1))}${el('remarks', entry.remarks)}` +
        `<programList>${entry.programs.map((program) => el('program', program)).join('')}</programList>` +
        `<idList>${entry.documents.map((doc, i) => `<id>${el('uid', String(i + 1))}${el('idType', doc)}</id>`).join('')}</idList>` +
        `<akaList>${entry.aliases.map((aka, i) => `<aka>${el('uid', String(i + 1))}${el('type', 'a.k.a.')}${el('category', aka.strength)}${el('lastName', aka.name)}</aka>`).join('')}</akaList>` +
        `<addressList>${entry.addresses.map((address, i) => `<address>${el('uid', String(i + 1))}${el('address1', address)}</address>`).join('')}</addressList>` +
        `<nationalityList>${entry.nationalities.map((country, i) => `<nationality>${el('uid', String(i + 1))}${el('country', country)}<mainEntry>true</mainEntry></nationality>`).join('')}</nationalityList>` +
        `<dateOfBirthList>${entry.datesOfBirth.map((date, i) => `<dateOfBirthItem>${el('uid', String(i + 1))}${el('dateOfBirth', date)}</dateOfBirthItem>`).join('')}</dateOfBirthList>` +
        `<placeOfBirthList>${entry.placesOfBirth.map((place, i) => `<placeOfBirthItem>${el('uid', String(i + 1))}${el('placeOfBirth', place)}</placeOfBirthItem>`).join('')}</placeOfBirthList>` +
        '</sdnEntry>',
    )
    .join('\n');
  return `<?xml version="1.0" standalone="yes"?>\n<sdnList xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns="https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/XML">\n<publshInformation><Publish_Date>07/07/2021</Publish_Date><Record_Count>${count}</Record_Count></publshInformation>\n${body}\n</sdnList>\n`;
}

describe('SDN.XML', () => {
  it('streams a whole list into the same entries as the CSV set, gzipped or not', async () => {
    const list = [...entries.values()];
    const xml = toXml(list);
    await writeFile(join(dir, 'sdn.xml'), xml);
    await writeFile(join(dir, 'sdn.xml.gz'), gzipSync(xml));
    for (const name of ['sdn.xml', 'sdn.xml.gz']) {
      const snapshot = await readXmlSnapshot(join(dir, name));
      expect(snapshot.publishedOn).toBe('2021-07-07');
      expect(snapshot.recordCount).toBe(list.length);
      expect(snapshot.entries.size).toBe(entries.size);
      for (const entry of list) expect(snapshot.entries.get(entry.uid)).toEqual(entry);
    }
  });

  it('refuses a truncated file, a count mismatch, a missing or blank count, an empty list and an empty file', async () => {
    const list = [...entries.values()].slice(0, 50);
    const xml = toXml(list);
    await writeFile(join(dir, 'cut.xml'), xml.slice(0, Math.floor(xml.length / 2)));
    await expect(readXmlSnapshot(join(dir, 'cut.xml'))).rejects.toThrow(/SDN\.XML is malformed or truncated/);
    await writeFile(join(dir, 'count.xml'), toXml(list, 51));
    await expect(readXmlSnapshot(join(dir, 'count.xml'))).rejects.toThrow(
      new SnapshotError('SDN.XML announces 51 records but holds 50; nothing was imported.'),
    );
    await writeFile(join(dir, 'nocount.xml'), xml.replace(/<Record_Count>\d+<\/Record_Count>/, ''));
    await expect(readXmlSnapshot(join(dir, 'nocount.xml'))).rejects.toThrow(/no Record_Count/);
    // Found by the property test: a blank count read as "0 records", and an empty list passed.
    await writeFile(
      join(dir, 'blankcount.xml'),
      xml.replace(/<Record_Count>\d+<\/Record_Count>/, '<Record_Count></Record_Count>'),
    );
    await expect(readXmlSnapshot(join(dir, 'blankcount.xml'))).rejects.toThrow(/no Record_Count/);
    await writeFile(join(dir, 'none.xml'), toXml([], 0));
    await expect(readXmlSnapshot(join(dir, 'none.xml'))).rejects.toThrow(
      new SnapshotError('SDN.XML has no entries; nothing was imported.'),
    );
    await writeFile(join(dir, 'empty.xml'), '');
    await expect(readXmlSnapshot(join(dir, 'empty.xml'))).rejects.toThrow(/SDN\.XML is empty/);
  });
});
