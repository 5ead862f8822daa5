import type { Hash } from 'node:crypto';
import { StringDecoder } from 'node:string_decoder';
import { openMaybeGzip, SnapshotError } from '../csv.ts';

/** One element of a record: attributes, text and children, by local name (namespaces ignored). */
export type XmlNode = { name: string; attributes: Record<string, string>; text: string; children: XmlNode[] };

export function childrenNamed(node: XmlNode, name: string): XmlNode[] {
  return node.children.filter((child) => child.name === name);
}

export function childText(node: XmlNode, name: string): string {
  return childrenNamed(node, name)[0]?.text.trim() ?? '';
}

/**
 * Streams an XML list file (plain or gzip) and hands each `record` element to `onRecord` as a small
 * tree, never holding the whole document. The root's attributes come back at the end. A parse
 * error, a file that stops before its root element closes (a cut-off download), or a root of
 * another name is a refusal.
 */
export async function streamXmlRecords(
  path: string,
  options: { root: string; record: string; what: string; hash?: Hash },
  onRecord: (node: XmlNode) => void,
): Promise<{ rootAttributes: Record<string, string> }> {
  // Loaded with the first XML list read, not with the bot.
  const { SaxesParser } = await import('saxes');
  const parser = new SaxesParser({ xmlns: false });
  const local = (name: string) => name.slice(name.indexOf(':') + 1);
  const stack: XmlNode[] = [];
  let rootAttributes: Record<string, string> | undefined;
  let rootClosed = false;
  let failure: Error | null = null;
  parser.on('error', (error) => {
    failure ??= error;
  });
  parser.on('opentag', (tag) => {
    const attributes: Record<string, string> = {};
    for (const [key, value] of Object.entries(tag.attributes)) attributes[local(key)] = String(value);
    const node: XmlNode = { name: local(tag.name), attributes, text: '', children: [] };
    if (stack.length === 0) {
      if (node.name !== options.root)
        failure ??= new SnapshotError(
          `${options.what}: expected a <${options.root}> document, found <${node.name}>.`,
        );
      rootAttributes = attributes;
    } else if (stack.length > 1) {
      stack[stack.length - 1]?.children.push(node);
    }
    stack.push(node);
  });
  parser.on('text', (text) => {
    const top = stack[stack.length - 1];
    if (top && stack.length > 1) top.text += text;
  });
  parser.on('closetag', () => {
    const node = stack.pop();
    if (stack.length === 0) rootClosed = true;
    else if (stack.length === 1 && node?.name === options.record) onRecord(node);
  });
  const decoder = new StringDecoder('utf8');
  try {
    for await (const chunk of (await openMaybeGzip(path)) as AsyncIterable<Buffer>) {
      options.hash?.update(chunk);
      parser.write(decoder.write(chunk));
      if (failure) break;
    }
    if (!failure) parser.write(decoder.end()).close();
  } catch (error) {
    failure ??= error as Error;
  }
  if (failure) {
    if (failure instanceof SnapshotError) throw failure;
    throw new SnapshotError(
      `${options.what}: the file cannot be read (${(failure as Error).message.split('\n')[0]}); nothing was imported.`,
    );
  }
  if (!rootAttributes || !rootClosed)
    throw new SnapshotError(
      `${options.what}: the file stops before its end (cut off?); nothing was imported.`,
    );
  return { rootAttributes };
}
