import { describe, expect, it } from 'vitest';
import type { View } from '../../src/messages.ts';
import { discordMessage } from '../../src/platforms/discord/render.ts';
import { slackMessage } from '../../src/platforms/slack/render.ts';

/** The renderers are pure functions of a view whose long button commands were encoded before. */
const view = (actions: Extract<View, { kind: 'notice' }>['actions']): View => ({
  kind: 'notice',
  tone: 'info',
  title: 'Proposal by <!channel> @everyone',
  lines: ['<@U123> and @here'],
  ephemeral: false,
  actions,
});
const short = {
  label: 'Second it',
  invocation: { command: 'target', subcommand: 'second', options: { id: 3 } },
};
const long = {
  label: 'Edit',
  invocation: { command: 'propose', options: { name: 'x'.repeat(3000) } },
};

describe('renderers', () => {
  it('carry a short command in the button itself, and a long one by the reference set before rendering', () => {
    const slack = JSON.stringify(slackMessage(view([short, { ...long, value: 'ref:abc' }])));
    expect(slack).toContain(JSON.stringify(JSON.stringify(short.invocation)).slice(1, -1));
    expect(slack).toContain('"value":"ref:abc"');
    const discord = JSON.stringify(discordMessage(view([short, { ...long, value: 'ref:abc' }])));
    expect(discord).toContain(':ref:abc');
  });

  it('refuse a long command nobody encoded, rather than cut it', () => {
    expect(() => slackMessage(view([long]))).toThrow(/encode the view first/);
    expect(() => discordMessage(view([long]))).toThrow(/encode the view first/);
  });

  it('never let member text ping a channel or everyone', () => {
    const slack = JSON.stringify(slackMessage(view([])));
    expect(slack).not.toMatch(/<!channel>|<!everyone>|<!here>|<@U123>/);
    const discord = JSON.stringify(discordMessage(view([])));
    expect(discord).not.toMatch(/(?<!\u200b)@everyone|(?<!\u200b)@here/);
  });
});
