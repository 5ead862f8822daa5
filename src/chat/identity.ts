import type { App } from '../app.ts';
import { claimDeliveryAs, ensureBootstrapAdmin, type PlatformUser, resolveActor } from '../domain/members.ts';
import type { Actor } from '../domain/tx.ts';
import type { NoticeView } from '../messages.ts';

/**
 * The operator's bootstrap admins (SLACK_ADMIN_USER_IDS, DISCORD_ADMIN_USER_IDS), each bound to one
 * workspace: a user id means nothing across Slack teams or Discord servers, so the same id arriving
 * from another workspace must not become an admin. Entries are `WORKSPACE:USER`; a bare `USER` is
 * bound to the bot's home workspace (the Slack team of its token, DISCORD_GUILD_ID or the only
 * server the bot is in), set once the adapter knows it.
 */
export class BootstrapAdmins {
  private readonly bound = new Set<string>();
  private readonly unbound: string[] = [];

  constructor(entries: readonly string[]) {
    for (const entry of entries) {
      const [workspace, user] = entry.includes(':') ? entry.split(':', 2) : [undefined, entry];
      if (workspace && user) this.bound.add(`${workspace}:${user}`);
      else if (user) this.unbound.push(user);
    }
  }

  /** Binds the bare entries to `workspaceId`; undefined (home unknown) leaves them unusable. */
  setHome(workspaceId: string | undefined): { unboundIgnored: number } {
    if (!workspaceId) return { unboundIgnored: this.unbound.length };
    for (const user of this.unbound.splice(0)) this.bound.add(`${workspaceId}:${user}`);
    return { unboundIgnored: 0 };
  }

  has(user: Pick<PlatformUser, 'workspaceId' | 'userId'>): boolean {
    return this.bound.has(`${user.workspaceId}:${user.userId}`);
  }
}

/**
 * The member behind a chat user. Users the operator listed as bootstrap admins become admins on
 * first contact; anyone else unknown gets null, and the adapter shows `joinInstructions`.
 */
export async function identify(
  app: App,
  user: PlatformUser,
  displayName: string,
  bootstrapAdmins: BootstrapAdmins,
): Promise<Actor | null> {
  const known = await resolveActor(app.database.prisma, user);
  return known ?? bootstrap(app, user, displayName, bootstrapAdmins);
}

/**
 * A delivery's member, as identify finds it, once per delivery: undefined when the platform
 * delivered it again (the caller acknowledges it and does nothing more). One statement claims the
 * delivery and looks the member up.
 */
export async function admit(
  app: App,
  deliveryKey: string,
  user: PlatformUser,
  displayName: string,
  bootstrapAdmins: BootstrapAdmins,
): Promise<{ actor: Actor | null } | undefined> {
  const { claimed, actor } = await claimDeliveryAs(app.database.prisma, deliveryKey, user);
  if (!claimed) return undefined;
  return { actor: actor ?? (await bootstrap(app, user, displayName, bootstrapAdmins)) };
}

async function bootstrap(
  app: App,
  user: PlatformUser,
  displayName: string,
  bootstrapAdmins: BootstrapAdmins,
): Promise<Actor | null> {
  if (!bootstrapAdmins.has(user)) return null;
  app.logger.info({ platform: user.platform, workspace: user.workspaceId }, 'bootstrap admin created');
  return ensureBootstrapAdmin(app.database.prisma, user, displayName);
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
