import { afterAll, beforeAll, beforeEach } from 'vitest';
import { type App, openApp } from '../../src/app.ts';
import { toInvocation } from '../../src/chat/dispatch.ts';
import { parseCommandLine } from '../../src/chat/syntax.ts';
import { loadConfig } from '../../src/config.ts';
import type { Database } from '../../src/db/client.ts';
import { addMember, ensureConsoleAdmin, linkIdentity } from '../../src/domain/members.ts';
import { addOrganization } from '../../src/domain/organizations.ts';
import type { Actor } from '../../src/domain/tx.ts';
import { createLogger } from '../../src/log.ts';
import type { View } from '../../src/messages.ts';
import { createTestDatabase, resetDatabase } from './database.ts';

/** Tests never reach the real list sources: every scheduled check is off unless a test sets one. */
export const NO_LIST_CHECKS = {
  UK_CHECK_CRON: 'off',
  CA_CHECK_CRON: 'off',
  AU_CHECK_CRON: 'off',
  EU_CHECK_CRON: 'off',
};

export async function createTestApp(
  database: Database,
  env: NodeJS.ProcessEnv = {},
  now?: () => Date,
): Promise<App> {
  // No scheduled OFAC checks unless a test asks for them: tests never reach the real service.
  // Test clocks stand still, so a per-minute write limit would count a whole file's writes: off
  // unless a test sets it.
  const config = loadConfig({
    DATA_DIR: '/dev/null/unused',
    OFAC_CHECK_CRON: 'off',
    ...NO_LIST_CHECKS,
    WRITES_PER_MINUTE: '10000',
    ...env,
  });
  return openApp(config, createLogger(process.env.TEST_LOG ?? 'silent'), {
    database,
    ...(now ? { now } : {}),
  });
}

export type Cast = Record<'admin' | 'coordinator' | 'member' | 'observer', Actor>;

/** One member of each role, in two organizations, linked to Slack identities. */
export async function seedCast(app: App): Promise<Cast> {
  const db = app.database.prisma;
  const admin = await ensureConsoleAdmin(db, 'admin');
  await linkIdentity(db, admin, {
    memberId: admin.memberId,
    platform: 'slack',
    workspaceId: 'T1',
    userId: `U${admin.memberId}`,
  });
  await addOrganization(db, admin, { name: 'Human Rights Watch', slug: 'hrw' });
  await addOrganization(db, admin, { name: 'Transparency Initiative', slug: 'ti' });
  const people = [
    ['Ana Díaz', 'hrw', 'coordinator'],
    ['Bo Lin', 'hrw', 'member'],
    ['Chidi Okafor', 'ti', 'observer'],
  ] as const;
  const actors: Actor[] = [];
  for (const [name, orgSlug, role] of people) {
    const { member, organization } = await addMember(db, admin, { name, orgSlug, role });
    await linkIdentity(db, admin, {
      memberId: member.id,
      platform: 'slack',
      workspaceId: 'T1',
      userId: `U${member.id}`,
    });
    actors.push({
      memberId: member.id,
      displayName: member.displayName,
      role: member.role,
      organizationId: organization.id,
      organizationSlug: organization.slug,
    });
  }
  const [coordinator, member, observer] = actors as [Actor, Actor, Actor];
  return { admin, coordinator, member, observer };
}

/** Runs one console-syntax line as `actor`, through the same parser and dispatcher the adapters use. */
export async function run(app: App, actor: Actor, line: string): Promise<View> {
  return app.execute(toInvocation(app.registry, parseCommandLine(line)), actor, 'console');
}

export function expectKind<K extends View['kind']>(view: View, kind: K): Extract<View, { kind: K }> {
  if (view.kind !== kind) {
    throw new Error(`expected a ${kind} view, got ${view.kind}: ${JSON.stringify(view)}`);
  }
  return view as Extract<View, { kind: K }>;
}

/**
 * One app on one test database for a whole test file, emptied and seeded with the cast before each
 * test. Read `state.app` and `state.cast` inside tests (they are set by the hooks).
 */
export function useSeededApp(env: NodeJS.ProcessEnv = {}, now?: () => Date): { app: App; cast: Cast } {
  const state = {} as { app: App; cast: Cast };
  beforeAll(async () => {
    state.app = await createTestApp(await createTestDatabase(), env, now);
  });
  afterAll(async () => {
    await state.app?.close();
  });
  beforeEach(async () => {
    await resetDatabase(state.app.database);
    state.cast = await seedCast(state.app);
  });
  return state;
}

/** `count` audit rows named test.row, e.g. to make an export longer than any chat message. */
export async function addAuditRows(db: App['database']['prisma'], memberId: number, count: number) {
  await db.auditLog.createMany({
    data: Array.from({ length: count }, (_, index) => ({
      actorMemberId: memberId,
      action: 'test.row',
      entityType: 'test',
      entityId: String(index + 1),
    })),
  });
}

/** Runs a command line as typed in a Slack or Discord channel (the console has none). */
export function inChannel(
  app: App,
  actor: Actor,
  line: string,
  where: { platform?: 'slack' | 'discord'; channelId: string },
): Promise<View> {
  const platform = where.platform ?? 'slack';
  return app.execute(toInvocation(app.registry, parseCommandLine(line)), actor, platform, {
    workspaceId: platform === 'slack' ? 'T1' : '200000000000000002',
    channelId: where.channelId,
  });
}
