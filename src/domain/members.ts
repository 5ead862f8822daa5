import type { Platform, Role } from '../generated/prisma/enums.ts';
import { recordAudit } from './audit.ts';
import { ConflictError, isUniqueViolation, NotFoundError } from './errors.ts';
import { findOrganizationBySlug } from './organizations.ts';
import type { Actor, Db, Tx } from './tx.ts';

export type PlatformUser = { platform: Platform; workspaceId: string; userId: string };

const actorInclude = { organization: { select: { slug: true } } } as const;

function toActor(member: {
  id: number;
  displayName: string;
  role: Role;
  organizationId: number;
  organization: { slug: string };
}): Actor {
  return {
    memberId: member.id,
    displayName: member.displayName,
    role: member.role,
    organizationId: member.organizationId,
    organizationSlug: member.organization.slug,
  };
}

/** The member behind a platform identity, or null when this user has not been linked yet. */
export async function resolveActor(db: Db | Tx, user: PlatformUser): Promise<Actor | null> {
  const identity = await db.platformIdentity.findUnique({
    where: {
      platform_workspaceId_userId: {
        platform: user.platform,
        workspaceId: user.workspaceId,
        userId: user.userId,
      },
    },
    include: { member: { include: actorInclude } },
  });
  return identity ? toActor(identity.member) : null;
}

export type MemberInput = { name: string; orgSlug: string; role: Role };

export async function addMember(db: Db, actor: Actor, input: MemberInput) {
  try {
    return await db.$transaction(async (tx) => {
      const organization = await findOrganizationBySlug(tx, input.orgSlug);
      const clash = await tx.member.findFirst({
        where: { organizationId: organization.id, displayName: { equals: input.name, mode: 'insensitive' } },
      });
      if (clash) {
        throw new ConflictError(
          `${organization.name} already has a member named "${clash.displayName}" (member ${clash.id}).`,
        );
      }
      const member = await tx.member.create({
        data: { displayName: input.name, organizationId: organization.id, role: input.role },
      });
      await recordAudit(tx, {
        actorMemberId: actor.memberId,
        action: 'member.add',
        entityType: 'member',
        entityId: member.id,
        after: member,
      });
      return { member, organization };
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new ConflictError(`That organization already has a member named "${input.name}".`);
    }
    throw error;
  }
}

export type LinkInput = PlatformUser & { memberId: number };

export async function linkIdentity(db: Db, actor: Actor, input: LinkInput) {
  try {
    return await db.$transaction(async (tx) => {
      const member = await tx.member.findUnique({ where: { id: input.memberId }, include: actorInclude });
      if (!member) throw new NotFoundError(`There is no member ${input.memberId}.`);
      const existing = await tx.platformIdentity.findUnique({
        where: {
          platform_workspaceId_userId: {
            platform: input.platform,
            workspaceId: input.workspaceId,
            userId: input.userId,
          },
        },
      });
      if (existing) {
        if (existing.memberId === member.id) {
          throw new ConflictError(`That ${input.platform} user is already linked to ${member.displayName}.`);
        }
        throw new ConflictError(
          `That ${input.platform} user is already linked to member ${existing.memberId}; unlink it first.`,
        );
      }
      const identity = await tx.platformIdentity.create({
        data: {
          platform: input.platform,
          workspaceId: input.workspaceId,
          userId: input.userId,
          memberId: member.id,
        },
      });
      await recordAudit(tx, {
        actorMemberId: actor.memberId,
        action: 'member.link',
        entityType: 'platform_identity',
        entityId: identity.id,
        after: identity,
      });
      return { identity, member };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new ConflictError(`That ${input.platform} user is already linked.`);
    throw error;
  }
}

const CONSOLE_ORGANIZATION = { name: 'Local console', slug: 'local' };

/**
 * The console adapter acts as a local admin: whoever can type into the bot's terminal already
 * controls its database. The member is created once, with an audit row, and reused after.
 */
export async function ensureConsoleAdmin(db: Db, username: string): Promise<Actor> {
  const user: PlatformUser = { platform: 'console', workspaceId: 'local', userId: username };
  const known = await resolveActor(db, user);
  if (known) return known;
  return db.$transaction(async (tx) => {
    const organization =
      (await tx.organization.findUnique({ where: { slug: CONSOLE_ORGANIZATION.slug } })) ??
      (await tx.organization.create({ data: CONSOLE_ORGANIZATION }));
    const member = await tx.member.upsert({
      where: { organizationId_displayName: { organizationId: organization.id, displayName: username } },
      create: { displayName: username, organizationId: organization.id, role: 'admin' },
      update: {},
      include: actorInclude,
    });
    await tx.platformIdentity.create({ data: { ...user, memberId: member.id } });
    await recordAudit(tx, {
      actorMemberId: null,
      action: 'member.bootstrap-console-admin',
      entityType: 'member',
      entityId: member.id,
      after: { member, identity: user },
    });
    return toActor(member);
  });
}
