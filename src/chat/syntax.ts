import { UserError } from '../domain/errors.ts';

/**
 * The console's (and Slack's) command syntax, modelled on Discord's slash UI:
 *   /propose name:"Chen Quanguo" country:China programs:GLOMAG
 *   /propose Chen Quanguo country:China        (bare words fill the primary option)
 *   /member add name:"Ana Díaz" org:hrw role:coordinator
 * Values with spaces are quoted with "..." (or typographic quotes); \" and \\ escape inside quotes.
 */
export type ParsedLine = {
  command: string;
  words: string[];
  options: Array<{ key: string; value: string }>;
};

export class CommandSyntaxError extends UserError {
  override readonly name = 'CommandSyntaxError';
}

const OPEN_QUOTES = new Set(['"', '“', '„']);
const CLOSE_QUOTE: Record<string, string> = { '"': '"', '“': '”', '„': '“' };
const OPTION_KEY = /^([A-Za-z][A-Za-z0-9_-]*):/;

export function parseCommandLine(line: string): ParsedLine {
  const source = line.trim();
  const head = /^\/?([A-Za-z][A-Za-z0-9_-]*)(?=\s|$)/.exec(source);
  if (!head?.[1]) {
    throw new CommandSyntaxError('Commands start with a slash and a name, like /help or /targets.');
  }
  const parsed: ParsedLine = { command: head[1].toLowerCase(), words: [], options: [] };
  let position = head[0].length;
  while (position < source.length) {
    if (/\s/.test(source[position] ?? '')) {
      position++;
      continue;
    }
    const key = OPTION_KEY.exec(source.slice(position));
    if (key?.[1]) {
      position += key[0].length;
      const [value, next] = readValue(source, position);
      parsed.options.push({ key: key[1].toLowerCase(), value });
      position = next;
    } else {
      const [word, next] = readValue(source, position);
      parsed.words.push(word);
      position = next;
    }
  }
  return parsed;
}

function readValue(source: string, start: number): [string, number] {
  const first = source[start] ?? '';
  if (!OPEN_QUOTES.has(first)) {
    let end = start;
    while (end < source.length && !/\s/.test(source[end] ?? '')) end++;
    return [source.slice(start, end), end];
  }
  const close = CLOSE_QUOTE[first] ?? '"';
  let value = '';
  let position = start + 1;
  while (position < source.length) {
    const char = source[position] ?? '';
    if (char === '\\' && position + 1 < source.length) {
      value += source[position + 1];
      position += 2;
      continue;
    }
    if (char === close || (close !== '"' && char === '"')) return [value, position + 1];
    value += char;
    position++;
  }
  throw new CommandSyntaxError(`A quote opened at "${source.slice(start, start + 20)}" is never closed.`);
}
