import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((item) =>
    item.isDirectory()
      ? sources(join(dir, item.name))
      : item.name.endsWith('.ts')
        ? [join(dir, item.name)]
        : [],
  );
}

/** Every relative module a file imports (static, dynamic and type imports), as paths from the root. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.[^']+)'/g)].map(
    (match) => match[1] as string,
  );
  return specifiers.map((specifier) => relative(ROOT, resolve(ROOT, dirname(file), specifier)));
}

describe('module boundaries', () => {
  it('keeps the rules and the lists free of chat code: nothing under src/domain or src/sanctions imports src/chat, src/platforms or commands', () => {
    const offenders = [...sources('src/domain'), ...sources('src/sanctions')].flatMap((file) =>
      importsOf(file)
        .filter((target) => /^(src\/chat|src\/platforms|commands)\//.test(target))
        .map((target) => `${file} -> ${target}`),
    );
    expect(offenders).toEqual([]);
  });

  it('finds an import across the boundary when there is one (the check itself works)', () => {
    expect(importsOf('src/chat/dispatch.ts').some((target) => target.startsWith('src/domain/'))).toBe(true);
  });

  it('keeps the message vocabulary (src/messages.ts) to type imports: it runs no code of others', () => {
    const text = readFileSync(join(ROOT, 'src/messages.ts'), 'utf8');
    const imports = text.split('\n').filter((line) => /^import\s/.test(line));
    expect(imports.every((line) => line.startsWith('import type '))).toBe(true);
  });

  it('keeps commands to domain functions: no Prisma query or transaction under commands/', () => {
    const queries =
      /\b(?:ctx\.db|db|tx)\.(?:\$transaction|\$queryRaw|\$executeRaw|[a-z]\w*\.(?:find|create|update|upsert|delete|count|aggregate|groupBy)\w*)\(/;
    const offenders = sources('commands').flatMap((file) =>
      readFileSync(join(ROOT, file), 'utf8')
        .split('\n')
        .flatMap((line, index) => (queries.test(line) ? [`${file}:${index + 1}`] : [])),
    );
    expect(offenders).toEqual([]);
    // The check finds a query where there is one: the digest subscriptions' module runs its own.
    expect(queries.test(readFileSync(join(ROOT, 'src/digest/subscriptions.ts'), 'utf8'))).toBe(true);
  });

  it('reads the clock only through the injected now: no new Date() or Date.now() in the rules, the lists, the digests or the commands', () => {
    const clock = /\bnew Date\(\)|\bDate\.now\(\)/;
    const files = ['src/domain', 'src/sanctions', 'src/digest', 'commands'].flatMap(sources);
    const offenders = files.flatMap((file) =>
      readFileSync(join(ROOT, file), 'utf8')
        .split('\n')
        .flatMap((line, index) => (clock.test(line) ? [`${file}:${index + 1}`] : [])),
    );
    expect(offenders).toEqual([]);
    // The check finds a clock read where there is one: the command line reads the machine's clock.
    expect(clock.test(readFileSync(join(ROOT, 'src/cli.ts'), 'utf8'))).toBe(true);
  });
});
