import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { SnapshotError } from '../csv.ts';

/**
 * The first sheet of a spreadsheet (XLSX, XLS or ODS) as rows of text cells. `@e965/xlsx` is the
 * SheetJS reader republished from SheetJS's own releases (0.20.x): the `xlsx` package on the npm
 * registry is stuck at 0.18.5 with published prototype-pollution and ReDoS advisories, and exceljs
 * reads XLSX only, while DFAT's older exports are XLS and the FCDO's is ODS. These files are a few
 * MB, so the sheet is read whole.
 */
export async function readSheet(path: string, what: string): Promise<{ rows: string[][]; sha256: string }> {
  const bytes = await readFile(path).catch(() => {
    throw new SnapshotError(`${what}: cannot read ${path}.`);
  });
  if (bytes.length === 0) throw new SnapshotError(`${what}: the file is empty; nothing was imported.`);
  let rows: string[][];
  // Loaded when a spreadsheet list is read, not with the bot: SheetJS is 12 MB resident.
  const XLSX = await import('@e965/xlsx');
  try {
    const book = XLSX.read(bytes, { type: 'buffer', dense: true, cellDates: false });
    const first = book.SheetNames[0];
    const sheet = first ? book.Sheets[first] : undefined;
    if (!sheet) throw new Error('no sheet');
    rows = (XLSX.utils.sheet_to_json(sheet, { header: 1, raw: false, defval: '' }) as unknown[][]).map(
      (row) => row.map((cell) => String(cell ?? '').trim()),
    );
  } catch {
    throw new SnapshotError(
      `${what}: the file is not a readable spreadsheet (cut off or of another format); nothing was imported.`,
    );
  }
  return { rows, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** Index of each named column in a header row; a missing one means another layout: refused. */
export function columns<const N extends readonly string[]>(
  header: string[] | undefined,
  names: N,
  what: string,
): Record<N[number], number> {
  const found = {} as Record<N[number], number>;
  const missing: string[] = [];
  for (const name of names) {
    const index = (header ?? []).findIndex((cell) => cell.toLowerCase() === name.toLowerCase());
    if (index < 0) missing.push(name);
    else found[name as N[number]] = index;
  }
  if (missing.length)
    throw new SnapshotError(
      `${what}: this spreadsheet has another layout (no column ${missing.join(', ')}); nothing was imported.`,
    );
  return found;
}
