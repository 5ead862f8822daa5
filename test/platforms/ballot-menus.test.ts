import { describe, expect, it } from 'vitest';
import { ballotForm, choiceText, ordinal } from '../../src/chat/ballot-form.ts';
import type { PollDetails } from '../../src/domain/polls/details.ts';
import { consolePlatform } from '../../src/platforms/console/adapter.ts';
import { renderForConsole } from '../../src/platforms/console/render.ts';
import { discordMessage, readBallotMenus } from '../../src/platforms/discord/render.ts';
import { ballotModal, readBallotForm } from '../../src/platforms/slack/modal.ts';

const poll = (method: PollDetails['method'], count = 3): PollDetails => ({
  id: 7,
  question: 'Which first?',
  method,
  methodName: method,
  per: 'member',
  secret: false,
  hiddenResults: false,
  status: 'open',
  closesAt: new Date('2026-12-10T00:00:00Z'),
  seats: 1,
  quorum: null,
  options: Array.from({ length: count }, (_, index) => ({
    number: index + 1,
    label: `Option ${index + 1}`,
    targetId: null,
  })),
  ballots: 0,
  organizations: 0,
  standing: null,
  secrecy: '',
  voteSyntax: '',
  outcome: null,
  openBallots: null,
});

describe('ballot menus', () => {
  it('names places in a ranking', () => {
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101].map(ordinal)).toEqual([
      '1st',
      '2nd',
      '3rd',
      '4th',
      '11th',
      '12th',
      '13th',
      '21st',
      '22nd',
      '23rd',
      '101st',
    ]);
  });

  it('on Discord, a pick moves an option to its new place, and clearing a menu leaves it out', () => {
    const drawn = discordMessage(ballotForm(poll('schulze'), { ranking: [3, 1] })).components;
    expect(drawn).toHaveLength(4); // three menus and the Cast button's row
    const moved = readBallotMenus(drawn, { customId: 'cb:ballot:7:r3', values: ['3'] });
    expect(moved).toEqual({ poll: 7, choice: { ranking: [1, 3] } });
    const cleared = readBallotMenus(drawn, { customId: 'cb:ballot:7:r1', values: [] });
    expect(cleared).toEqual({ poll: 7, choice: { ranking: [1] } });
    expect(readBallotMenus(drawn, { customId: 'cb:run:0:x', values: ['1'] })).toBeUndefined();
  });

  it('on Discord, scores one option per menu, four at most, and says how to score the rest', () => {
    const view = ballotForm(poll('score', 6), { scores: { 2: 4 } });
    const message = discordMessage(view);
    const menus = message.components.filter((row) => row.components[0]?.type === 3);
    expect(menus).toHaveLength(4);
    expect(JSON.stringify(message.embeds)).toContain('The menus score options 1-4');
    const scored = readBallotMenus(message.components, { customId: 'cb:ballot:7:s1', values: ['5'] });
    expect(scored).toEqual({ poll: 7, choice: { scores: { 1: 5, 2: 4 } } });
    expect(choiceText(scored?.choice ?? { ranking: [] })).toBe('1=5 2=4');
  });

  it('on Slack, reads the score menus as /vote does, and refuses a ballot with nothing chosen', () => {
    const modal = ballotModal(ballotForm(poll('score'), { scores: {} }), 'C1');
    const blocks = modal.blocks.flatMap((block) =>
      'block_id' in block && block.block_id ? [block.block_id] : [],
    );
    expect(blocks).toEqual(['score-1', 'score-2', 'score-3']);
    const picked = (value: string | null) => ({
      value: { selected_option: value === null ? null : { value } },
    });
    expect(
      readBallotForm({ 'score-1': picked('0'), 'score-2': picked(null), 'score-3': picked('5') }),
    ).toEqual({
      choice: '1=0 3=5',
    });
    expect(readBallotForm({ 'score-1': picked(null), 'score-2': picked(null) })).toEqual({
      errors: { 'score-1': 'Score at least one option.' },
    });
  });

  it('on the console, shows the options, the choice so far and how to type it', async () => {
    const text = renderForConsole(ballotForm(poll('irv'), { ranking: [2] }));
    expect(text).toContain('Your ballot in poll 7: Which first?');
    expect(text).toContain('  3. Option 3');
    expect(text).toContain('Chosen so far: 2');
    expect(text).toContain('/vote 7 3>1>2');
    // Asked to open the ballot as a form, the console prints the same.
    const printed: string[] = [];
    await consolePlatform((line) => printed.push(line)).openForm(undefined, {
      form: 'ballot',
      view: ballotForm(poll('irv'), { ranking: [2] }),
    });
    expect(printed).toEqual([text]);
  });
});
