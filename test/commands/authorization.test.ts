import { describe, expect, it } from 'vitest';
import { isGroup, type LeafCommand } from '../../src/chat/command.ts';
import { commandPath } from '../../src/chat/dispatch.ts';
import { PERMISSIONS, ROLES } from '../../src/domain/authorization.ts';
import { run, useSeededApp } from '../helpers/app.ts';

/** Every command, run by every role, against the one table in src/domain/authorization.ts. */
const state = useSeededApp();

function leaves(): Array<{ path: string; command: LeafCommand; line: string }> {
  return state.app.registry.flatMap((top) =>
    isGroup(top)
      ? top.subcommands.map((sub) => ({
          path: commandPath(top.name, sub.name),
          command: sub,
          line: `/${top.name} ${sub.name}`,
        }))
      : [{ path: commandPath(top.name), command: top, line: `/${top.name}` }],
  );
}

describe('authorization matrix', () => {
  it('refuses exactly the roles the matrix refuses, for every command, with an audit row for each refusal', async () => {
    const commands = leaves();
    expect(commands.length).toBeGreaterThan(30);
    let refusals = 0;
    for (const { path, command, line } of commands) {
      for (const role of ROLES) {
        const view = await run(state.app, state.cast[role], line);
        const allowed = (PERMISSIONS[command.permission] as readonly string[]).includes(role);
        const refused = view.kind === 'error' && view.title === 'Not allowed';
        expect(refused, `${path} as ${role}`).toBe(!allowed);
        if (refused) {
          refusals += 1;
          expect(view.kind === 'error' && view.lines[0]).toMatch(
            new RegExp(`^Only .+ can ${command.action}; you are ${role}\\.$`),
          );
        }
      }
    }
    const audited = await state.app.database.prisma.auditLog.findMany({
      where: { action: 'command.refused' },
    });
    expect(audited).toHaveLength(refusals);
    expect(refusals).toBeGreaterThan(20);
    expect(audited.every((row) => row.actorMemberId !== null && row.entityType === 'command')).toBe(true);
  });
});
