import type { App } from '../app.ts';
import { ensureBootstrapAdmin, type PlatformUser, resolveActor } from '../domain/members.ts';
import type { Actor } from '../domain/tx.ts';
import type { NoticeView } from './views.ts';

/**
 * The member behind a chat user. Users the operator listed as bootstrap admins become admins on
 * first contact; anyone else unknown gets null, and the adapter shows `joinInstructions`.
 */
export async function identify(
  app: App,
  user: PlatformUser,
  displayName: string,
  bootstrapAdminIds: ReadonlySet<string>,
): Promise<Actor | null> {
  const db = app.database.prisma;
  const known = await resolveActor(db, user);
  if (known) return known;
  if (!bootstrapAdminIds.has(user.userId)) return null;
  app.logger.info({ platform: user.platform, workspace: user.workspaceId }, 'bootstrap admin created');
  return ensureBootstrapAdmin(db, user, displayName);
}

export function joinInstructions(user: PlatformUser): NoticeView {
  const where = user.platform === 'slack' ? 'Slack workspace' : 'Discord server';
  return {
    kind: 'notice',
    tone: 'info',
    title: 'You are not linked to a coalition member yet',
    lines: [
      'Ask a coalition admin to add you, in this channel:',
      `/member add name:"Your Name" org:<your organization> user:${user.userId}`,
      `or, if you are already a member, to link this account: /member link member:<your number> platform:${user.platform} workspace:${user.workspaceId} user:${user.userId}`,
      `(Your ${where} id is ${user.workspaceId}, your user id ${user.userId}.)`,
    ],
    ephemeral: true,
  };
}
