/**
 * Slack mrkdwn treats `<...>` as mentions, broadcasts (`<!channel>`, `<!here>`) and links, and `&`
 * starts an entity. Every piece of member text goes through this before it is posted, so nothing a
 * member typed can ping anyone or hide a link.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Slack escapes &, < and > in slash-command text; commands see what the member typed. */
export function unescapeSlackText(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
