/**
 * A user reference as members type it in a command: a Slack mention as Slack escapes it
 * (`<@U123ABC|ana>`), a Discord mention (`<@123>` or `<@!123>`), or a bare user id.
 */
export type UserReference = { userId: string; label?: string };

const SLACK_MENTION = /^<@([UW][A-Z0-9]+)(?:\|([^>]*))?>$/;
const DISCORD_MENTION = /^<@!?(\d{5,25})>$/;
const BARE_ID = /^(?:[UW][A-Z0-9]{2,}|\d{5,25})$/;

export function parseUserReference(text: string): UserReference | undefined {
  const value = text.trim();
  const slack = SLACK_MENTION.exec(value);
  if (slack?.[1]) return { userId: slack[1], ...(slack[2] ? { label: slack[2] } : {}) };
  const discord = DISCORD_MENTION.exec(value);
  if (discord?.[1]) return { userId: discord[1] };
  return BARE_ID.test(value) ? { userId: value } : undefined;
}
