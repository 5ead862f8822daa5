import { escapeMarkdown } from 'discord.js';

/**
 * Member text in Discord: markdown escaped (no forged masked links, headings or formatting), and
 * mention syntax broken with a zero-width space so `@everyone`, `@here`, `<@id>`, `<@&role>` and
 * `<#channel>` show as text. Messages are also sent with allowed_mentions.parse = [], so even a
 * missed case cannot ping.
 */
export function escapeDiscord(text: string): string {
  return escapeMarkdown(text, { maskedLink: true, heading: true, bulletedList: true, numberedList: true })
    .replace(/@(everyone|here)/gi, '@\u200b$1')
    .replace(/<([@#]|\/|a?:|t:)/g, '<\u200b$1');
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
