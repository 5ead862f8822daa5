import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { createTestDatabase } from '../helpers/database.ts';

/**
 * schema.prisma and the SQL migrations must describe the same database. Prisma's own `migrate diff`
 * needs a native engine these machines cannot download, so this test reads the schema's DMMF through
 * Prisma's schema WASM and compares it with what the migrations actually built.
 */

type DmmfField = {
  name: string;
  dbName?: string | null;
  kind: 'scalar' | 'enum' | 'object' | 'unsupported';
  type: string;
  isList: boolean;
  isRequired: boolean;
  hasDefaultValue: boolean;
  nativeType?: [string, string[]] | null;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
};
type Dmmf = {
  datamodel: {
    enums: Array<{
      name: string;
      dbName?: string | null;
      values: Array<{ name: string; dbName?: string | null }>;
    }>;
    models: Array<{ name: string; dbName?: string | null; fields: DmmfField[] }>;
    indexes: Array<{
      model: string;
      type: 'id' | 'unique' | 'normal' | 'fulltext';
      algorithm?: string;
      fields: Array<{ name: string }>;
    }>;
  };
};

type Shape = {
  tables: string[];
  enums: Record<string, string[]>;
  columns: Record<string, string>;
  indexes: string[];
  foreignKeys: string[];
};

const SCALAR_TYPES: Record<string, string> = {
  String: 'text',
  Int: 'integer',
  BigInt: 'bigint',
  Boolean: 'boolean',
  Float: 'double precision',
  Json: 'jsonb',
  Bytes: 'bytea',
  Decimal: 'numeric(65,30)',
  DateTime: 'timestamp(3) without time zone',
};

const NATIVE_TYPES: Record<string, (args: string[]) => string> = {
  Timestamptz: (args) => `timestamp(${args[0] ?? 6}) with time zone`,
  Timestamp: (args) => `timestamp(${args[0] ?? 6}) without time zone`,
  VarChar: (args) => `character varying(${args[0]})`,
  Text: () => 'text',
  Uuid: () => 'uuid',
  Date: () => 'date',
};

const ON_DELETE: Record<string, string> = {
  Restrict: 'RESTRICT',
  Cascade: 'CASCADE',
  SetNull: 'SET NULL',
  NoAction: 'NO ACTION',
  SetDefault: 'SET DEFAULT',
};

async function schemaShape(): Promise<Shape> {
  const wasm = createRequire(import.meta.url)('@prisma/prisma-schema-wasm') as {
    get_dmmf(params: string): string;
  };
  const source = await readFile(new URL('../../prisma/schema.prisma', import.meta.url), 'utf8');
  const dmmf = JSON.parse(
    wasm.get_dmmf(JSON.stringify({ prismaSchema: [['schema.prisma', source]] })),
  ) as Dmmf;
  const enumDbName = new Map(dmmf.datamodel.enums.map((item) => [item.name, item.dbName ?? item.name]));
  const table = new Map(dmmf.datamodel.models.map((model) => [model.name, model.dbName ?? model.name]));
  const column = (model: string, field: string) => {
    const found = dmmf.datamodel.models.find((m) => m.name === model)?.fields.find((f) => f.name === field);
    return found?.dbName ?? field;
  };
  const shape: Shape = { tables: [], enums: {}, columns: {}, indexes: [], foreignKeys: [] };
  for (const item of dmmf.datamodel.enums) {
    shape.enums[item.dbName ?? item.name] = item.values.map((value) => value.dbName ?? value.name);
  }
  for (const model of dmmf.datamodel.models) {
    const name = model.dbName ?? model.name;
    shape.tables.push(name);
    for (const field of model.fields) {
      if (field.kind === 'object') {
        if (field.relationFromFields && field.relationFromFields.length > 0) {
          const from = field.relationFromFields.map((f) => column(model.name, f)).join(',');
          const to = (field.relationToFields ?? []).map((f) => column(field.type, f)).join(',');
          const onDelete = ON_DELETE[field.relationOnDelete ?? (field.isRequired ? 'Restrict' : 'SetNull')];
          shape.foreignKeys.push(`${name}(${from}) -> ${table.get(field.type)}(${to}) on delete ${onDelete}`);
        }
        continue;
      }
      let type =
        field.kind === 'enum'
          ? `"${enumDbName.get(field.type)}"`
          : field.nativeType
            ? (NATIVE_TYPES[field.nativeType[0]]?.(field.nativeType[1]) ?? `unmapped ${field.nativeType[0]}`)
            : (SCALAR_TYPES[field.type] ?? `unmapped ${field.type}`);
      if (field.isList) type += '[]';
      // Prisma creates scalar lists without NOT NULL.
      const nullable = field.isList || !field.isRequired;
      const hasDefault = field.hasDefaultValue;
      shape.columns[`${name}.${field.dbName ?? field.name}`] =
        `${type}${nullable ? '' : ' not null'}${hasDefault ? ' default' : ''}`;
    }
  }
  for (const index of dmmf.datamodel.indexes) {
    const columns = index.fields.map((f) => column(index.model, f.name)).join(',');
    const kind = index.type === 'id' ? 'primary' : index.type === 'unique' ? 'unique' : 'index';
    const method = (index.algorithm ?? 'BTree').toLowerCase();
    shape.indexes.push(`${table.get(index.model)} ${kind} ${method} (${columns})`);
  }
  return normalize(shape);
}

async function databaseShape(database: Database): Promise<Shape> {
  const shape: Shape = { tables: [], enums: {}, columns: {}, indexes: [], foreignKeys: [] };
  const tables = await database.sql.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables
      WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations'`,
  );
  shape.tables = tables.map((row) => row.table_name);
  const enums = await database.sql.query<{ name: string; value: string }>(
    `SELECT t.typname AS name, e.enumlabel AS value FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid
      JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = current_schema() ORDER BY t.typname, e.enumsortorder`,
  );
  for (const row of enums) shape.enums[row.name] = [...(shape.enums[row.name] ?? []), row.value];
  const columns = await database.sql.query<{
    table: string;
    column: string;
    type: string;
    not_null: boolean;
    has_default: boolean;
  }>(
    `SELECT c.relname AS table, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type,
            a.attnotnull AS not_null, a.atthasdef AS has_default
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
        AND c.relname <> '_prisma_migrations'`,
  );
  for (const row of columns) {
    shape.columns[`${row.table}.${row.column}`] =
      `${row.type}${row.not_null ? ' not null' : ''}${row.has_default ? ' default' : ''}`;
  }
  const indexes = await database.sql.query<{
    table: string;
    primary: boolean;
    unique: boolean;
    method: string;
    columns: string;
  }>(
    `SELECT t.relname AS table, ix.indisprimary AS primary, ix.indisunique AS unique, am.amname AS method,
            (SELECT string_agg(a.attname, ',' ORDER BY k.ord) FROM unnest(ix.indkey) WITH ORDINALITY k(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum) AS columns
       FROM pg_index ix JOIN pg_class t ON t.oid = ix.indrelid JOIN pg_class i ON i.oid = ix.indexrelid
       JOIN pg_am am ON am.oid = i.relam JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE n.nspname = current_schema() AND t.relname <> '_prisma_migrations'`,
  );
  shape.indexes = indexes.map(
    (row) =>
      `${row.table} ${row.primary ? 'primary' : row.unique ? 'unique' : 'index'} ${row.method} (${row.columns})`,
  );
  const foreignKeys = await database.sql.query<{ definition: string; table: string }>(
    `SELECT c.conrelid::regclass::text AS table, pg_get_constraintdef(c.oid) AS definition
       FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
      WHERE c.contype = 'f' AND n.nspname = current_schema()`,
  );
  shape.foreignKeys = foreignKeys.map((row) => {
    const match =
      /FOREIGN KEY \((.+?)\) REFERENCES (\S+?)\((.+?)\)(?: ON UPDATE \w+)?(?: ON DELETE (SET NULL|SET DEFAULT|NO ACTION|\w+))?/.exec(
        row.definition,
      );
    const unquote = (text = '') => text.replaceAll('"', '').replaceAll(' ', '');
    return `${unquote(row.table)}(${unquote(match?.[1])}) -> ${unquote(match?.[2])}(${unquote(match?.[3])}) on delete ${match?.[4] ?? 'NO ACTION'}`;
  });
  return normalize(shape);
}

function normalize(shape: Shape): Shape {
  return {
    tables: [...shape.tables].sort(),
    enums: Object.fromEntries(Object.entries(shape.enums).sort()),
    columns: Object.fromEntries(Object.entries(shape.columns).sort()),
    indexes: [...shape.indexes].sort(),
    foreignKeys: [...shape.foreignKeys].sort(),
  };
}

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

describe('schema.prisma and prisma/migrations', () => {
  it('describe the same tables, columns, enums, indexes and foreign keys', async () => {
    const expected = await schemaShape();
    const actual = await databaseShape(database);
    expect(actual.tables).toEqual(expected.tables);
    expect(actual.enums).toEqual(expected.enums);
    expect(actual.columns).toEqual(expected.columns);
    expect(actual.indexes).toEqual(expected.indexes);
    expect(actual.foreignKeys).toEqual(expected.foreignKeys);
  });

  it('would notice a column the migrations add that the schema lacks', async () => {
    await database.sql.exec('ALTER TABLE "organization" ADD COLUMN "website" TEXT');
    try {
      const actual = await databaseShape(database);
      expect(actual.columns).not.toEqual((await schemaShape()).columns);
      expect(actual.columns['organization.website']).toBe('text');
    } finally {
      await database.sql.exec('ALTER TABLE "organization" DROP COLUMN "website"');
    }
  });
});
