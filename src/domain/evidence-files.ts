import { UserError } from './errors.ts';

/** A file the bot received as evidence: what the bot itself measured, and the name it came with. */
export type ReceivedFile = { sha256: string; size: number; type: string; name: string };

/**
 * The kinds of file accepted as evidence, read from the file's first bytes (never from the name or
 * the type a platform reports, which the uploader controls): documents, images, video, text. What
 * can run or hide something (executables, scripts, HTML, SVG, archives) is refused.
 */
const OFFICE: Record<string, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  odt: 'application/vnd.oasis.opendocument.text',
  ods: 'application/vnd.oasis.opendocument.spreadsheet',
  odp: 'application/vnd.oasis.opendocument.presentation',
};
const TEXT: Record<string, string> = {
  txt: 'text/plain',
  csv: 'text/csv',
  md: 'text/markdown',
  json: 'application/json',
  eml: 'message/rfc822',
};

export const ACCEPTED_KINDS =
  'PDF, images (PNG, JPEG, GIF, WebP), MP4 or QuickTime video, Word, Excel, PowerPoint and OpenDocument files, plain text, CSV, Markdown, JSON and e-mail (.eml)';

const starts = (bytes: Buffer, magic: number[] | string, offset = 0) => {
  const expected = typeof magic === 'string' ? Buffer.from(magic, 'latin1') : Buffer.from(magic);
  return (
    bytes.length >= offset + expected.length &&
    bytes.subarray(offset, offset + expected.length).equals(expected)
  );
};

/** The file's type, or undefined when it is not one evidence may be. */
export function evidenceType(bytes: Buffer, name: string): string | undefined {
  const extension = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase() ?? '';
  if (starts(bytes, '%PDF-')) return 'application/pdf';
  if (starts(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (starts(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (starts(bytes, 'GIF87a') || starts(bytes, 'GIF89a')) return 'image/gif';
  if (starts(bytes, 'RIFF') && starts(bytes, 'WEBP', 8)) return 'image/webp';
  if (starts(bytes, 'ftyp', 4)) return starts(bytes, 'qt  ', 8) ? 'video/quicktime' : 'video/mp4';
  // Office and OpenDocument files are ZIP archives: taken by their name, any other archive refused.
  if (starts(bytes, [0x50, 0x4b, 0x03, 0x04])) return OFFICE[extension];
  const text = TEXT[extension];
  if (text && isText(bytes)) return text;
  return undefined;
}

/** UTF-8 without NUL or other control bytes than tab, line feed, carriage return and form feed. */
function isText(bytes: Buffer): boolean {
  if (bytes.includes(0)) return false;
  for (const byte of bytes.subarray(0, 65_536))
    if (byte < 0x20 && ![9, 10, 12, 13].includes(byte)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

export function refuseSize(name: string, size: number, maxBytes: number): never {
  throw new UserError(
    `${name} is ${Math.ceil(size / 1_048_576)} MB; evidence files can be at most ${Math.floor(maxBytes / 1_048_576)} MB. Share a link to it instead.`,
  );
}

export function refuseType(name: string): never {
  throw new UserError(
    `${name} is not a kind of file accepted as evidence (executables, scripts, web pages, SVG and archives are refused). Accepted: ${ACCEPTED_KINDS}.`,
  );
}

/** A received file as the timeline, the dossier and the answer name it: "ledger.pdf (2.1 KB, application/pdf)". */
export function describeFile(file: Pick<ReceivedFile, 'name' | 'size' | 'type'>): string {
  return `${file.name} (${describeSize(file.size)}, ${file.type})`;
}

/** Bytes as a member reads them: 812 bytes, 4.2 KB, 3.1 MB. */
export function describeSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
