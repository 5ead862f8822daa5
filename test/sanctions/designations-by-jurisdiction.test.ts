import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { matchPublication } from '../../src/sanctions/match/designations.ts';
import { readCsvSnapshot } from '../../src/sanctions/snapshot.ts';
import { readCanadaList } from '../../src/sanctions/sources/ca/read.ts';
import { importListSnapshot, importPublication } from '../../src/sanctions/store.ts';
import { expectKind, run, useSeededApp } from '../helpers/app.ts';

/**
 * Additions on any list are matched against the targets, and a confirmed match records the
 * designation for that jurisdiction: one record per government, shown on /target and the case card.
 */
const FIXTURES = new URL('../../../shared/fixtures/', import.meta.url).pathname;
const state = useSeededApp();
const db = () => state.app.database.prisma;
const day = (text: string) => new Date(`${text}T00:00:00Z`);

describe('designations per jurisdiction', () => {
  it('flags a Canadian listing as a possible designation (Canada) and records it on confirmation', async () => {
    const { coordinator } = state.cast;
    await run(state.app, coordinator, '/propose "Chen Quanguo" country:China');
    await run(state.app, coordinator, '/case open target:1');
    await run(state.app, coordinator, '/case submit id:1 to:Canada date:2024-06-01');

    await importListSnapshot(db(), await readCanadaList(join(FIXTURES, 'canada/sema-lmes-2022-05-11.xml')), {
      publishedOn: day('2022-05-11'),
      holdShare: 0.1,
    });
    const later = await importListSnapshot(
      db(),
      await readCanadaList(join(FIXTURES, 'canada/sema-lmes-2025-05-25.xml')),
      { publishedOn: day('2025-05-25'), holdShare: 0.1 },
    );
    const found = await matchPublication(db(), later.publicationId, new Date());
    expect(found.pending).toBeGreaterThanOrEqual(1);
    const match = await db().sanctionsMatch.findFirstOrThrow({ where: { targetId: 1, status: 'pending' } });
    expect(match).toMatchObject({
      list: 'CA',
      entryId: 'China, schedule Part 1, item 5',
      listedName: 'Chen, Quanguo',
    });
    const event = await db().caseEvent.findFirstOrThrow({ where: { kind: 'possible-designation' } });
    expect(event.summary).toMatch(
      /^Possible designation \(Canada\) of #1 Chen Quanguo: Canada listed Chen, Quanguo \(entry China, schedule Part 1, item 5; China\) on 2025-05-25\./,
    );

    const confirmed = expectKind(
      await run(state.app, coordinator, `/case confirm match:${match.id}`),
      'notice',
    );
    expect(confirmed.title).toBe(
      `Match ${match.id} confirmed: Chen, Quanguo (Canada China, schedule Part 1, item 5)`,
    );
    const records = await db().targetDesignation.findMany();
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      targetId: 1,
      jurisdiction: 'ca',
      entryId: 'China, schedule Part 1, item 5',
    });
    // The date Canada gives, not the day we imported the file.
    expect(records[0]?.designatedOn.toISOString().slice(0, 10)).toBe('2024-12-09');

    const shown = expectKind(await run(state.app, coordinator, '/target 1'), 'target');
    expect(shown.target.designations).toEqual([
      { jurisdiction: 'ca', on: '2024-12-09', entry: 'China, schedule Part 1, item 5' },
    ]);
    const status = expectKind(await run(state.app, coordinator, '/case status 1'), 'notice');
    expect(status.lines).toContain('Designated: #1 Canada 2024-12-09');
  }, 120_000);

  it('keeps one record per government when a second one designates the same target', async () => {
    const { coordinator } = state.cast;
    await run(state.app, coordinator, '/propose "Wang Junzheng" country:China');
    await run(state.app, coordinator, '/case open target:1');
    // OFAC added WANG, Junzheng (31492) between these two real publications.
    for (const date of ['2021-01-14', '2021-04-25']) {
      const result = await importPublication(
        db(),
        await readCsvSnapshot({ sdn: join(FIXTURES, `ofac/history/sdn-${date}.csv.gz`) }),
        { publishedOn: day(date), holdShare: 0.1 },
      );
      await matchPublication(db(), result.publicationId, new Date());
    }
    const us = await db().sanctionsMatch.findFirstOrThrow({
      where: { targetId: 1, status: 'pending', uid: 31492 },
    });
    await run(state.app, coordinator, `/case confirm match:${us.id}`);
    // The record a second government's confirmation would add sits beside it, not over it.
    await db().targetDesignation.create({
      data: {
        targetId: 1,
        jurisdiction: 'uk',
        designatedOn: day('2021-03-22'),
        entryId: 'GHR0077',
        listedName: 'WANG Junzheng',
        matchId: us.id,
        confirmedByMemberId: coordinator.memberId,
        confirmedAt: new Date(),
      },
    });
    const shown = expectKind(await run(state.app, coordinator, '/target 1'), 'target');
    expect(shown.target.designations.map((designation) => designation.jurisdiction)).toEqual(['uk', 'us']);
    expect(shown.target.designations[1]?.entry).toBe('31492');
    await expect(
      db().targetDesignation.create({
        data: {
          targetId: 1,
          jurisdiction: 'us',
          designatedOn: day('2021-03-22'),
          entryId: 'x',
          listedName: 'x',
          matchId: us.id,
          confirmedByMemberId: coordinator.memberId,
          confirmedAt: new Date(),
        },
      }),
    ).rejects.toThrow();
  }, 120_000);
});
