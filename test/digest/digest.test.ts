import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { composeDigest, type DigestEntry, type DigestView, digestLine } from '../../src/digest/compose.ts';
import { deliverDueDigests, localClock } from '../../src/digest/deliver.ts';
import type { Actor } from '../../src/domain/tx.ts';
import type { View } from '../../src/messages.ts';
import { readUkList } from '../../src/sanctions/sources/uk/read.ts';
import { importListSnapshot } from '../../src/sanctions/store.ts';
import { expectKind, inChannel, useSeededApp } from '../helpers/app.ts';
import { importOfacDay } from '../helpers/lists.ts';

const _HISTORY = new URL('../../../shared/fixtures/ofac/history/', import.meta.url).pathname;
const FIXTURES = new URL('../../../shared/fixtures/', import.meta.url).pathname;

const state = useSeededApp();

const db = () => state.app.database.prisma;

const inDigestChannel = (actor: Actor, line: string, channelId = 'CDIGEST'): Promise<View> =>
  inChannel(state.app, actor, line, { channelId });

const importDay = (day: string) => importOfacDay(db(), day);

describe('digest subscriptions', () => {
  it('posts one digest at the channel’s local time, grouped by program, split at entry boundaries', async () => {
    await importDay('2022-12-08');
    const subscribed = expectKind(
      await inDigestChannel(
        state.cast.coordinator,
        '/digest subscribe programs:GLOMAG time:09:00 timezone:Europe/Brussels',
      ),
      'notice',
    );
    expect(subscribed.lines[0]).toBe('Lists: US, UK, Canada, Australia, EU');
    expect(subscribed.lines[1]).toBe('Programs: GLOMAG');
    await importDay('2022-12-09');

    expect(await deliverDueDigests(db(), new Date('2022-12-10T07:59:00Z'))).toEqual([]); // 08:59 in Brussels
    const [delivery, ...others] = await Promise.all([
      deliverDueDigests(db(), new Date('2022-12-10T08:00:00Z')),
      deliverDueDigests(db(), new Date('2022-12-10T08:00:30Z')),
    ]);
    const sent = [...(delivery ?? []), ...others.flat()];
    expect(sent).toEqual([{ subscriptionId: expect.any(Number), messages: 2 }]);
    expect(await deliverDueDigests(db(), new Date('2022-12-10T15:00:00Z'))).toEqual([]);

    const messages = await db().outboxMessage.findMany({
      where: { channelId: 'CDIGEST' },
      orderBy: { id: 'asc' },
    });
    expect(messages).toHaveLength(2);
    const views = messages.map((message) => message.view as unknown as DigestView);
    const entries = views.flatMap((view) => view.sections.flatMap((section) => section.entries));
    // 182 changes, 157 of them vessels and companies linked to four fishing companies and one man:
    // each group is one line, and every change is still counted in one.
    const covered = (entry: DigestEntry) =>
      entry.linked ? entry.linked.count + (entry.linked.head ? 1 : 0) : 1;
    expect(entries.reduce((sum, entry) => sum + covered(entry), 0)).toBe(182);
    const lines = entries.map(digestLine);
    expect(lines).toContain(
      '78 vessels linked to FUJIAN PROVINCIAL PINGTAN COUNTY OCEAN FISHING GROUP CO., LTD',
    );
    expect(lines).toContain('47 vessels linked to FUZHOU HONGLONG OCEAN FISHING CO., LTD');
    expect(lines.find((line) => line.startsWith('DALIAN OCEAN FISHING COMPANY LIMITED'))).toMatch(
      /and 32 linked vessels$/,
    );
    const unfolded = entries.filter((entry) => !entry.linked);
    expect(new Set(unfolded.map((entry) => entry.uid)).size).toBe(unfolded.length);
    expect(entries.find((entry) => entry.uid === 33674)?.link).toBe(
      'https://sanctionssearch.ofac.treas.gov/Details.aspx?id=33674',
    );
    expect(views[0]?.title).toBe('OFAC sanctions digest: 2022-12-09 (1/2)');
    expect(views[0]?.sections[0]?.heading).toBe('New designations under GLOMAG');
    expect(views[1]?.footer).toEqual(['182 changes in GLOMAG; 36 other changes in programs not followed.']);

    // The next day nothing new was published: no post.
    expect(await deliverDueDigests(db(), new Date('2022-12-11T08:30:00Z'))).toEqual([
      { subscriptionId: expect.any(Number), messages: 0 },
    ]);
    expect(await db().outboxMessage.count({ where: { channelId: 'CDIGEST' } })).toBe(2);
  });

  it('folds the companies linked to one designated person into his line, counted by country', async () => {
    await importDay('2021-12-07');
    await importDay('2021-12-08');
    const { views } = await composeDigest(db(), {
      programs: ['GLOMAG'],
      after: null,
      now: new Date('2026-12-01T00:00:00Z'),
    });
    const lines = views.flatMap((view) =>
      view.sections.flatMap((section) => section.entries.map(digestLine)),
    );
    // OFAC's Balkans designations of 2021-12-08: Zvonko Veselinovic and 14 entries linked to him.
    expect(lines).toContain(
      'VESELINOVIC, Zvonko (individual; Kosovo; born 30 Dec 1980; GLOMAG) and 14 linked entries (Serbia 7, Kosovo 5, no country given 2)',
    );
    expect(lines).toContain(
      'NEDELJKOVIC, Sinisa (individual; Kosovo; born 26 Mar 1970; GLOMAG) and 7 linked entities (Kosovo 5, Serbia 2)',
    );
    // Two companies linked to one man stay two lines of their own.
    expect(lines.filter((line) => line.includes('Linked To: VESELINOVIC, Zharko Jovan.'))).toHaveLength(2);
    expect(views).toHaveLength(2);
  });

  it('previews, lists and stops digests, and checks the options', async () => {
    expectKind(await inDigestChannel(state.cast.coordinator, '/digest subscribe'), 'notice');
    const listed = expectKind(await inDigestChannel(state.cast.observer, '/digest list'), 'notice');
    // A new subscription follows the human-rights and anti-corruption regimes of every list.
    expect(listed.lines[0]).toContain('us,uk,ca,au,eu: human-rights, anti-corruption');
    expect(listed.lines[0]).toContain('at 09:00 UTC');
    const preview = await inDigestChannel(state.cast.member, '/digest now');
    expect(expectKind(preview, 'notice').title).toBe('Nothing new in the followed programs');
    const unknown = expectKind(
      await inDigestChannel(state.cast.coordinator, '/digest subscribe programs:GLOMAG,NOPE'),
      'error',
    );
    expect(unknown.lines[0]).toMatch(/^NOPE: not OFAC program tags\. Known tags: BALKANS, .*GLOMAG/);
    const zone = expectKind(
      await inDigestChannel(state.cast.coordinator, '/digest subscribe timezone:Mars/Olympus'),
      'error',
    );
    expect(zone.lines[0]).toContain('"Mars/Olympus" is not a time zone');
    const time = expectKind(
      await inDigestChannel(state.cast.coordinator, '/digest subscribe time:25:00'),
      'error',
    );
    expect(time.lines[0]).toBe('time: give a time like 09:00 (24-hour clock).');
    const member = expectKind(await inDigestChannel(state.cast.member, '/digest subscribe'), 'error');
    expect(member.lines[0]).toContain('Only admins, coordinators can manage digests');
    expectKind(await inDigestChannel(state.cast.coordinator, '/digest unsubscribe'), 'notice');
    expect(await db().digestSubscription.count()).toBe(0);
  });

  it('reads wall-clock time in a subscription’s time zone', () => {
    expect(localClock(new Date('2022-12-10T08:00:00Z'), 'Europe/Brussels')).toEqual({
      date: '2022-12-10',
      time: '09:00',
    });
    expect(localClock(new Date('2022-12-10T02:00:00Z'), 'America/New_York')).toEqual({
      date: '2022-12-09',
      time: '21:00',
    });
  });

  it('digests each followed list on its own, by the common human-rights vocabulary, and old subscriptions keep OFAC only', async () => {
    const uk = (file: string, day: string) =>
      readUkList(join(FIXTURES, 'uk', file)).then((snapshot) =>
        importListSnapshot(db(), snapshot, { publishedOn: new Date(`${day}T00:00:00Z`), holdShare: 0.1 }),
      );
    await uk('ofsi-conlist-2022-05-04.xlsx', '2022-05-04');
    await importDay('2022-12-08');
    expectKind(
      await inDigestChannel(
        state.cast.coordinator,
        '/digest subscribe lists:uk programs:human-rights',
        'CUK',
      ),
      'notice',
    );
    // A subscription from before allied lists: OFAC only (the column's default).
    expectKind(
      await inDigestChannel(state.cast.coordinator, '/digest subscribe lists:us programs:GLOMAG', 'COFAC'),
      'notice',
    );
    const unknown = expectKind(
      await inDigestChannel(
        state.cast.coordinator,
        '/digest subscribe lists:uk programs:"Global Human Rightz"',
        'CUK',
      ),
      'error',
    );
    expect(unknown.lines[0]).toContain('Global Human Rights');

    await uk('ofsi-conlist-2025-04-10.xlsx', '2025-04-10');
    await importDay('2022-12-09');
    await deliverDueDigests(db(), new Date('2030-01-01T12:00:00Z'));
    const posted = await db().outboxMessage.findMany({ orderBy: { id: 'asc' } });
    const views = (channel: string) =>
      posted
        .filter((row) => row.channelId === channel)
        .map((row) => row.view as unknown as Extract<View, { kind: 'digest' }>);
    const ukViews = views('CUK');
    expect(ukViews.length).toBeGreaterThan(0);
    expect(ukViews[0]?.title).toMatch(/^UK sanctions digest: 2025-04-10/);
    const entries = ukViews.flatMap((view) => view.sections.flatMap((section) => section.entries));
    const headings = new Set(ukViews.flatMap((view) => view.sections.map((section) => section.heading)));
    expect(headings.has('New designations under Global Human Rights')).toBe(true);
    expect([...headings].some((heading) => /Russia/.test(heading))).toBe(false);
    // Designations OFAC made first are called mirrors, with what is known of the US date.
    const footer = ukViews.at(-1)?.footer ?? [];
    expect(
      footer.some((line) => /^Mirrored: UK designated .+ \(US since before 2022-12-08\)\.$/.test(line)),
    ).toBe(true);
    const haq = entries.find((entry) => entry.name === 'HAQ, Mian Abdul');
    expect(haq).toMatchObject({ label: 'UK entry 15672', link: null });
    // The OFAC channel got OFAC's publication only.
    const ofac = views('COFAC');
    expect(ofac.every((view) => view.title.startsWith('OFAC sanctions digest: 2022-12-09'))).toBe(true);
    expect(
      ofac
        .flatMap((view) => view.sections.flatMap((section) => section.entries))
        .every((entry) => entry.label.startsWith('OFAC entry ')),
    ).toBe(true);
  }, 120_000);
});
