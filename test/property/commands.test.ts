import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isGroup, type LeafCommand } from '../../src/chat/command.ts';
import type { View } from '../../src/messages.ts';
import { useSeededApp } from '../helpers/app.ts';

/**
 * Every command's schema, fed arbitrary options through the real dispatcher and database as an
 * admin (who may run everything): the answer is always a view, never an exception; a refusal
 * writes nothing (the audit log, which every change writes in its own transaction, does not move).
 */
const state = useSeededApp();

function leaves(): Array<{ name: string; sub?: string; command: LeafCommand }> {
  return state.app.registry.flatMap((top) =>
    isGroup(top)
      ? top.subcommands.map((sub) => ({ name: top.name, sub: sub.name, command: sub }))
      : [{ name: top.name, command: top }],
  );
}

const hostile = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.constantFrom(
    '',
    ' ',
    '0',
    '-1',
    '99999999999999999999',
    '2026-13-45',
    '@everyone',
    '<!channel>',
    '<@&123456789012>',
    '\u202Eevil\u202C',
    'a\u200Bb',
    'https://',
    'javascript:alert(1)',
    "'; DROP TABLE target; --",
    'x'.repeat(5000),
  ),
  fc.integer(),
  fc.boolean(),
  fc.array(fc.string({ maxLength: 10 }), { maxLength: 3 }),
);

/** Runs per command: 40 in the full suite; the unit loop (npm run test:unit) samples 10. */
const RUNS = Number(process.env.PROPERTY_RUNS ?? 40);

describe('every command schema', () => {
  it('answers arbitrary options with a view, and a refused command writes nothing', async () => {
    const db = state.app.database.prisma;
    for (const { name, sub, command } of leaves()) {
      const keys = Object.keys(command.options.shape);
      await fc.assert(
        fc.asyncProperty(
          fc.dictionary(fc.constantFrom(...(keys.length ? keys : ['unknown'])), hostile, {
            maxKeys: keys.length + 1,
          }),
          async (options) => {
            const before = await db.auditLog.count();
            let view: View;
            try {
              view = await state.app.execute(
                { command: name, ...(sub ? { subcommand: sub } : {}), options },
                state.cast.admin,
                'console',
              );
            } catch (error) {
              throw new Error(
                `/${name} ${sub ?? ''} threw ${String(error)} for ${JSON.stringify(options).slice(0, 200)}`,
              );
            }
            expect(typeof view.kind).toBe('string');
            if (view.kind === 'error') {
              expect(view.title.length).toBeGreaterThan(3);
              expect(await db.auditLog.count(), `/${name} ${sub ?? ''} wrote despite refusing`).toBe(before);
            }
          },
        ),
        { numRuns: RUNS },
      );
    }
  }, 240_000);
});
