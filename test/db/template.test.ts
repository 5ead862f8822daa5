import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync } from 'node:zlib';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.ts';
import { migrate, readMigrations } from '../../src/db/migrator.ts';
import { pgliteRunner } from '../../src/db/sql.ts';
import { unpackTemplate } from '../../src/db/template.ts';

/** The initdb output shipped in prisma/ that every new embedded database starts from. */
let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'coalition-template-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** One ustar entry, as PGlite writes them. */
function tarEntry(name: string, data: string, type = '0'): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0, 100);
  header.write('0000600\0', 100);
  header.write(`${data.length.toString(8).padStart(11, '0')}\0`, 124);
  header.write(type, 156);
  header.write('ustar\0', 257);
  const body = Buffer.alloc(Math.ceil(data.length / 512) * 512);
  body.write(data);
  return Buffer.concat([header, body]);
}

describe.skipIf(Boolean(process.env.TEST_DATABASE_URL))('shipped data-directory template', () => {
  it('is a database this PGlite opens and every migration applies to (regenerate it after a PGlite upgrade)', async () => {
    const pgdata = join(scratch, 'unpacked', 'pgdata');
    await unpackTemplate(pgdata);
    const pglite = await PGlite.create({ dataDir: pgdata });
    try {
      const [row] = (await pglite.query<{ server_version: string }>('SHOW server_version')).rows;
      const version = row?.server_version ?? '';
      expect(version).toMatch(/^\d+\.\d+/);
      expect((await readFile(join(pgdata, 'PG_VERSION'), 'utf8')).trim()).toBe(version.split('.')[0]);
      const result = await migrate(pgliteRunner(pglite));
      expect(result.applied).toEqual((await readMigrations()).map((file) => file.name));
    } finally {
      await pglite.close();
    }
  });

  it('seeds a new data directory, and a second start opens what the first wrote', async () => {
    const dataDir = join(scratch, 'new');
    const first = await openDatabase({ kind: 'embedded', dataDir });
    await migrate(first.sql);
    await first.sql.exec(
      `INSERT INTO organization (name, slug) VALUES ('Coalition Office', 'coalition-office')`,
    );
    await first.close();
    expect((await stat(join(dataDir, 'pgdata', 'PG_VERSION'))).isFile()).toBe(true);
    const second = await openDatabase({ kind: 'embedded', dataDir });
    try {
      expect((await migrate(second.sql)).applied).toEqual([]);
      const rows = await second.sql.query<{ name: string }>('SELECT name FROM organization');
      expect(rows.map((row) => row.name)).toEqual(['Coalition Office']);
    } finally {
      await second.close();
    }
  });

  it('refuses an archive with a path outside the data directory and leaves nothing behind', async () => {
    const archive = join(scratch, 'evil.tar.br');
    await writeFile(
      archive,
      brotliCompressSync(
        Buffer.concat([tarEntry('PG_VERSION', '17\n'), tarEntry('../escaped', 'x'), Buffer.alloc(1024)]),
      ),
    );
    const pgdata = join(scratch, 'evil', 'pgdata');
    await expect(unpackTemplate(pgdata, archive)).rejects.toThrow(/unexpected entry "..\/escaped"/);
    await expect(stat(pgdata)).rejects.toThrow(/ENOENT/);
    await expect(stat(join(scratch, 'evil', 'escaped'))).rejects.toThrow(/ENOENT/);
  });
});
