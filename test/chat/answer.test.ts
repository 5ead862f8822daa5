import { describe, expect, it } from 'vitest';
import { answerInTime, type Outcome } from '../../src/chat/platform.ts';
import type { View } from '../../src/messages.ts';
import { consolePlatform } from '../../src/platforms/console/adapter.ts';
import { FakePlatform, type FakeTurn } from '../helpers/fake-platform.ts';

const notice = (title: string): View => ({ kind: 'notice', tone: 'info', title, lines: [], ephemeral: true });
const settleAfter = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(resolve, ms, value));
const turn = (id: string): FakeTurn => ({ id, deferred: false });

/** The answer race every platform's commands and buttons go through, against FakePlatform. */
describe('answerInTime', () => {
  it('answers at once when the work is done within the budget', async () => {
    const platform = new FakePlatform();
    const outcome: Outcome = { kind: 'answer', view: notice('quick') };
    await answerInTime(platform, turn('a'), settleAfter(5, outcome), 200);
    expect(platform.turns).toEqual([{ turn: 'a', step: 'answer', view: notice('quick'), late: false }]);
  });

  it('acknowledges when the budget runs out, then answers when the work is done', async () => {
    const platform = new FakePlatform();
    const work = settleAfter(80, { kind: 'answer', view: notice('slow') } satisfies Outcome);
    await answerInTime(platform, turn('b'), work, 10);
    expect(platform.turns).toEqual([
      { turn: 'b', step: 'defer' },
      { turn: 'b', step: 'answer', view: notice('slow'), late: true },
    ]);
  });

  it('opens a form instead of answering, and says nothing for a retried delivery', async () => {
    const platform = new FakePlatform();
    await answerInTime(platform, turn('c'), Promise.resolve({ kind: 'form', form: { form: 'propose' } }), 50);
    await answerInTime(platform, turn('d'), Promise.resolve({ kind: 'ignore' }), 50);
    expect(platform.turns).toEqual([{ turn: 'c', step: 'form', form: { form: 'propose' } }]);
  });

  it('passes a failure of the work to the caller after acknowledging, so the caller can still answer', async () => {
    const platform = new FakePlatform();
    const failing = settleAfter(40, undefined).then((): Outcome => {
      throw new Error('database down');
    });
    await expect(answerInTime(platform, turn('e'), failing, 5)).rejects.toThrow('database down');
    expect(platform.turns).toEqual([{ turn: 'e', step: 'defer' }]);
  });
});

describe('the console as a chat platform', () => {
  it('prints answers in place and posts, edits and files with the channel they are for', async () => {
    const printed: string[] = [];
    const console_ = consolePlatform((text) => printed.push(text));
    const id = await console_.post('digest', notice('Posted'), undefined);
    await console_.edit('digest', id, notice('Edited'));
    await console_.upload('digest', [
      { filename: 'd.md', title: 'd', data: Buffer.from('# x'), contentType: 'text/markdown' },
    ]);
    await console_.answer(undefined, notice('Answered'));
    await console_.openForm(undefined, { form: 'propose' });
    expect(printed[0]).toMatch(/^\[#digest\]\n.*Posted/s);
    expect(printed[1]).toContain(`message ${id} now reads`);
    expect(printed[2]).toBe('[#digest] file d.md (3 bytes, text/markdown)');
    expect(printed[3]).toContain('Answered');
    expect(printed[4]).toContain('/help propose');
  });
});
