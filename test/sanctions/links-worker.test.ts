import { describe, expect, it } from 'vitest';
import { type LinkRow, refreshLinks, resolveLinks } from '../../src/sanctions/links.ts';
import { currentListIndex } from '../../src/sanctions/match/list.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { importSyntheticList, syntheticPerson as person } from '../helpers/lists.ts';

/**
 * Whole lists are resolved in a worker thread (src/sanctions/links-worker.ts). From the sources the
 * worker loads TypeScript through tsx, which takes seconds: this file stays out of the unit loop.
 */
const NOW = new Date('2026-12-01T12:00:00Z');

describe('whole lists resolved in a worker thread', () => {
  it('find the links this thread finds, and no warning of a fallback', async () => {
    const other = await createTestDatabase();
    const importList = (
      list: 'au' | 'eu',
      entries: Parameters<typeof importSyntheticList>[2],
      day: string,
      into: typeof other,
    ) => importSyntheticList(into.prisma, list, entries, day);
    const warnings: string[] = [];
    const onWarning = (warning: Error & { code?: string }) => warnings.push(String(warning.code));
    process.on('warning', onWarning);
    try {
      const given = ['Ahmad', 'Olena', 'Viktor', 'Maryam', 'Hassan', 'Li', 'Tatiana', 'Omar'];
      const family = Array.from(
        { length: 160 },
        (_, n) => `Surname${String.fromCharCode(97 + (n % 26))}${n}`,
      );
      const names = family.flatMap((surname) => given.map((first) => `${first} ${surname}`));
      // 1,280 entries on each list (enough to be searched in the worker), the second spelling a
      // third of the names a little differently and giving no dates of birth.
      await importList(
        'au',
        names.map((name, n) => person(`a${n}`, { name, datesOfBirth: [String(1950 + (n % 40))] })),
        '2024-02-01',
        other,
      );
      await importList(
        'eu',
        names.map((name, n) =>
          person(`e${n}`, {
            name: n % 3 ? name : name.replace('Olena', 'Olana').replace('Surname', 'Sirname'),
          }),
        ),
        '2024-01-01',
        other,
      );
      const resolution = await refreshLinks(other.prisma, { now: NOW });
      expect(resolution.links).toBeGreaterThan(1_000);
      const stored = (await other.prisma.mirrorLink.findMany()).map(
        (row) => `${row.uidA}~${row.uidB} ${row.score}`,
      );
      const [au, eu] = [
        await currentListIndex(other.prisma, 'AU'),
        await currentListIndex(other.prisma, 'EU'),
      ];
      // As many names on both: Australia's (first in order) are searched in the EU's index.
      const here = resolveLinks([{ target: 'eu', from: 'au', uids: 'all' }], (code) =>
        code === 'au' ? au.entries : eu.entries,
      ).map((row: LinkRow) => `${row.uidA}~${row.uidB} ${row.score}`);
      expect(stored.sort()).toEqual(here.sort());
      expect(warnings).not.toContain('COALITION_LINK_WORKER');
    } finally {
      process.off('warning', onWarning);
      await other.close();
    }
  }, 120_000);
});
