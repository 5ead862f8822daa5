import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommandSyntaxError, parseCommandLine } from '../../src/chat/syntax.ts';
import { readOfacCsv, SnapshotError } from '../../src/sanctions/csv.ts';
import { readXmlSnapshot } from '../../src/sanctions/xml.ts';

/**
 * Property-based tests (fast-check) of everything that reads text from outside: whatever arrives,
 * the answer is a parse or our own clear error, never a crash; what we can write, we read back.
 */
let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'property-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

const anyText = fc.string({ unit: 'binary', maxLength: 300 });

describe('console syntax parser', () => {
  it('parses any line or refuses it with a CommandSyntaxError', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          anyText,
          anyText.map((text) => `/propose ${text}`),
        ),
        (line) => {
          try {
            const parsed = parseCommandLine(line);
            expect(parsed.command).toMatch(/^[a-z][a-z0-9_-]*$/);
          } catch (error) {
            expect(error).toBeInstanceOf(CommandSyntaxError);
            expect((error as Error).message.length).toBeGreaterThan(10);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('reads back any option values written with quotes and escapes', () => {
    const key = fc.stringMatching(/^[a-z][a-z0-9_]{0,10}$/);
    const value = fc
      .string({ minLength: 1, maxLength: 40 })
      .filter((text) => text.trim() === text && text.length > 0);
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(key, value), { selector: ([name]) => name, maxLength: 6 }),
        (pairs) => {
          const line = `/cmd ${pairs.map(([name, text]) => `${name}:"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(' ')}`;
          const parsed = parseCommandLine(line);
          expect(parsed.options).toEqual(pairs.map(([name, text]) => ({ key: name, value: text })));
        },
      ),
      { numRuns: 1000 },
    );
  });
});

async function csvRows(chunks: Buffer[]): Promise<string[][]> {
  const rows: string[][] = [];
  for await (const row of readOfacCsv(Readable.from(chunks), 'SDN.CSV')) rows.push(row);
  return rows;
}

/** Splits bytes at arbitrary points, as a network stream would. */
function chunked(bytes: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let start = 0;
  for (const point of [...points, bytes.length]) {
    if (point > start) out.push(bytes.subarray(start, point));
    start = Math.max(start, point);
  }
  return out;
}

describe('OFAC CSV reader', () => {
  it('reads any bytes as rows or refuses them with a SnapshotError', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 400 }),
        fc.array(fc.nat(), { maxLength: 5 }),
        async (bytes, cuts) => {
          try {
            await csvRows(chunked(Buffer.from(bytes), cuts));
          } catch (error) {
            expect(error).toBeInstanceOf(SnapshotError);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('reads back any rows written the way OFAC writes them, however the bytes are split', async () => {
    const latin1 = fc.string({
      unit: fc.integer({ min: 0x20, max: 0xff }).map((code) => String.fromCharCode(code)),
      maxLength: 30,
    });
    const field = fc.oneof(
      latin1,
      latin1.map((text) => `${text}"\n${text}`),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(field, { minLength: 2, maxLength: 6 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        async (rows, cuts) => {
          const text = rows
            .map((row, index) =>
              [String(index + 1), ...row].map((cell) => `"${cell.replaceAll('"', '""')}"`).join(','),
            )
            .join('\r\n');
          const bytes = Buffer.concat([Buffer.from(`${text}\r\n`, 'latin1'), Buffer.from([0x1a])]);
          const read = await csvRows(chunked(bytes, cuts));
          // Cells are trimmed (OFAC pads them with spaces), quoted or not.
          expect(read).toEqual(
            rows.map((row, index) => [
              String(index + 1),
              ...row.map((cell) => (cell.trim() === '-0-' ? '' : cell.trim())),
            ]),
          );
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('SDN.XML reader', () => {
  it('reads any document or refuses it with a SnapshotError', async () => {
    const element = fc.constantFrom(
      'sdnList',
      'publshInformation',
      'Record_Count',
      'sdnEntry',
      'uid',
      'lastName',
      'programList',
      'program',
    );
    const xmlish = fc.array(
      fc.oneof(
        element.map((name) => `<${name}>`),
        element.map((name) => `</${name}>`),
        fc.string({ maxLength: 12 }),
        fc.constantFrom('<?xml version="1.0"?>', '<!-- c -->', '&amp;', '&bogus;', '<![CDATA[x]]>', '1', '2'),
      ),
      { maxLength: 40 },
    );
    let index = 0;
    await fc.assert(
      fc.asyncProperty(xmlish, async (parts) => {
        index += 1;
        const path = join(scratch, `doc-${index}.xml`);
        await writeFile(path, parts.join(''));
        try {
          const snapshot = await readXmlSnapshot(path);
          expect(snapshot.entries.size).toBeGreaterThan(0);
        } catch (error) {
          expect(error).toBeInstanceOf(SnapshotError);
        }
      }),
      { numRuns: 300 },
    );
  });
});
