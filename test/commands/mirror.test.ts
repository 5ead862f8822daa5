import { describe, expect, it } from 'vitest';
import { expectKind, run, useSeededApp } from '../helpers/app.ts';
import { importMirrorFixtures } from '../helpers/lists.ts';

/** /mirror and /stats in chat, on the real OFAC, UK and Canadian files. */
const _FIXTURES = new URL('../../../shared/fixtures/', import.meta.url).pathname;
const state = useSeededApp();
const _day = (text: string) => new Date(`${text}T00:00:00Z`);

/** The three real lists, imported once per test (the seeded app empties the database before each). */
async function importLists() {
  await importMirrorFixtures(state.app.database.prisma);
}

describe('/mirror and /stats', () => {
  it('answers who lists a name or a target, exports the gaps as CSV, and the shares and statistics as charts', async () => {
    await importLists();
    const byName = expectKind(await run(state.app, state.cast.observer, '/mirror Chen Quanguo'), 'notice');
    expect(byName.lines).toEqual([
      'US: listed before our first import of that list: entry 29220 CHEN, Quanguo [GLOMAG]',
      'UK: not listed',
      'Canada: listed on 2024-12-09: entry China, schedule Part 1, item 5 Chen, Quanguo [China]',
    ]);
    await run(state.app, state.cast.member, '/propose "Zhu Hailun" country:China');
    const byTarget = expectKind(await run(state.app, state.cast.observer, '/mirror #1'), 'notice');
    expect(byTarget.title).toBe('Who lists #1 Zhu Hailun');
    expect(byTarget.lines[1]).toBe(
      'UK: listed on 2021-03-22 (1 d after the first): entry 14078 ZHU, HAILUN [Global Human Rights]',
    );
    const gaps = expectKind(
      await run(state.app, state.cast.observer, '/mirror gaps from:us to:uk program:GLOMAG'),
      'file',
    );
    expect(gaps.filename).toBe('gaps-us-uk.csv');
    const rows = gaps.content.trim().split('\n');
    expect(rows[0]).toBe('list,id,name,listed_on,date_kind,regimes');
    expect(rows.some((row) => row.startsWith('us,29220,"CHEN, Quanguo",,before,'))).toBe(true);
    expect(rows.some((row) => row.includes('ZHU, Hailun'))).toBe(false);

    const chart = expectKind(await run(state.app, state.cast.observer, '/mirror chart'), 'file');
    const png = Buffer.from(chart.images?.[0]?.base64 ?? '', 'base64');
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(chart.content.split('\n')[0]).toBe(
      'jurisdiction,us_listing_year,us_designations,mirrored,share,median_lag_days',
    );
    expect(chart.content).toMatch(/^uk,before 2021-12-10,\d+,\d+,/m);

    const stats = expectKind(
      await run(state.app, state.cast.observer, '/stats designations list:uk by:year program:human-rights'),
      'file',
    );
    expect(stats.content).toMatch(/^2021,\d+$/m);
    expect(
      Buffer.from(stats.images?.[0]?.base64 ?? '', 'base64')
        .subarray(1, 4)
        .toString(),
    ).toBe('PNG');
    const countries = expectKind(
      await run(state.app, state.cast.observer, '/stats designations list:uk by:country'),
      'file',
    );
    // How the countries were read comes first, then the share of each country group.
    expect(countries.summary?.[0]).toMatch(/^\d+ entries; country read from: nationality \d+, /);
    expect(countries.summary?.[1]).toMatch(
      /^US security partners \(example, edit me\): \d+ of \d+ \(\d+%\)$/,
    );
  }, 180_000);
});
