import { describe, expect, it } from 'vitest';
import { csvCell } from '../../src/chat/csv.ts';
import { expectKind, run, useSeededApp } from '../helpers/app.ts';

const state = useSeededApp();
const db = () => state.app.database.prisma;

describe('audit log', () => {
  it('cannot be rewritten: the database refuses updates, deletes and truncation of audit rows and case events', async () => {
    await run(state.app, state.cast.member, '/propose "Chen Quanguo"');
    await run(state.app, state.cast.coordinator, '/case open target:1');
    const row = await db().auditLog.findFirstOrThrow();
    await expect(
      db().auditLog.update({ where: { id: row.id }, data: { action: 'nothing' } }),
    ).rejects.toThrow(/audit_log is append-only: UPDATE refused/);
    await expect(db().auditLog.deleteMany({})).rejects.toThrow(/audit_log is append-only: DELETE refused/);
    await expect(db().$executeRawUnsafe(`UPDATE case_event SET summary = 'rewritten'`)).rejects.toThrow(
      /case_event is append-only/,
    );
    await expect(db().$executeRawUnsafe('TRUNCATE audit_log')).rejects.toThrow(
      /audit_log is append-only: TRUNCATE refused/,
    );
    await expect(db().$executeRawUnsafe('TRUNCATE case_event CASCADE')).rejects.toThrow(
      /case_event is append-only: TRUNCATE refused/,
    );
    expect(await db().auditLog.count()).toBeGreaterThan(0);
    expect(await db().caseEvent.findFirstOrThrow()).toMatchObject({
      summary: 'Case opened for #1 Chen Quanguo',
    });
  });

  it('is shown to admins only, filtered, and exported as CSV that a spreadsheet cannot execute', async () => {
    await run(state.app, state.cast.member, '/propose "=HYPERLINK(\\"http://evil.example\\")"');
    await run(state.app, state.cast.observer, '/org add name:"Evil" slug:evil');
    const refusedForCoordinator = expectKind(await run(state.app, state.cast.coordinator, '/audit'), 'error');
    expect(refusedForCoordinator.lines[0]).toBe('Only admins can read the audit log; you are coordinator.');

    const refusals = expectKind(
      await run(state.app, state.cast.admin, '/audit action:command.refused'),
      'notice',
    );
    expect(refusals.title).toBe('Audit log: 2 entries');
    expect(refusals.lines.map((line) => line.replace(/^\S+ \S+ /, ''))).toEqual([
      `Ana Díaz (#${state.cast.coordinator.memberId}): command.refused command /audit`,
      `Chidi Okafor (#${state.cast.observer.memberId}): command.refused command /org add`,
    ]);
    expect(refusals.ephemeral).toBe(true);

    const csv = expectKind(await run(state.app, state.cast.admin, '/audit entity:target format:csv'), 'file');
    const [header, first, ...rest] = csv.content.trim().split('\n');
    expect(header).toBe('id,at,member_id,member,action,entity_type,entity_id,before,after');
    expect(rest).toEqual([]);
    expect(first).toContain(',target.propose,target,');
    // The member's text is inside a JSON cell, quoted and escaped; a cell that starts a formula is defused.
    expect(first).toContain('=HYPERLINK(\\""http://evil.example\\"")');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('-2+3')).toBe(`'-2+3`);
    expect(csvCell({ a: 1 })).toBe('"{""a"":1}"');
  });
});
