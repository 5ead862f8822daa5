import { sqlOf } from '../db/client.ts';
import type { Platform, Role } from '../generated/prisma/enums.ts';
import { recordAudit } from './audit.ts';
import { CLAIM_DELIVERY } from './deliveries.ts';
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

const ACTOR_COLUMNS = `m.id AS "memberId", m.display_name AS "displayName", m.role::text AS role,
  m.organization_id AS "organizationId", o.slug AS "organizationSlug"`;
const IDENTITY = `platform_identity i JOIN member m ON m.id = i.member_id JOIN organization o ON o.id = m.organization_id`;

/**
 * The member behind a platform identity, or null when this user has not been linked yet. Raw SQL:
 * every command asks this first, and Prisma's nested include cost more than the query.
 */
export async function resolveActor(db: Db, user: PlatformUser): Promise<Actor | null> {
  const [actor] = await sqlOf(db).query<Actor>(
    `SELECT ${ACTOR_COLUMNS} FROM ${IDENTITY}
     WHERE i.platform = $1::"Platform" AND i.workspace_id = $2 AND i.user_id = $3`,
    [user.platform, user.workspaceId, user.userId],
  );
  return actor ?? null;
}

/**
 * Claims a platform delivery (see claimDelivery) and finds the member behind its user, in one
 * statement: the two questions every request asks first, one round trip instead of two.
 */
export async function claimDeliveryAs(
  db: Db,
  key: string,
  user: PlatformUser,
): Promise<{ claimed: boolean; actor: Actor | null }> {
  const [row] = await sqlOf(db).query<{ claimed: boolean } & { [K in keyof Actor]: Actor[K] | null }>(
    `WITH claim AS (${CLAIM_DELIVERY})
     SELECT EXISTS (SELECT 1 FROM claim) AS claimed, actor.*
     FROM (SELECT 1) AS one LEFT JOIN (
       SELECT ${ACTOR_COLUMNS} FROM ${IDENTITY}
       WHERE i.platform = $2::"Platform" AND i.workspace_id = $3 AND i.user_id = $4
     ) AS actor ON true`,
    [key, user.platform, user.workspaceId, user.userId],
  );
  if (!row?.claimed) return { claimed: false, actor: null };
  const { claimed, ...actor } = row;
  return { claimed, actor: actor.memberId === null ? null : (actor as Actor) };
}

export type MemberInput = { name: string; orgSlug: string; role: Role; identity?: PlatformUser };

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
      const identity = input.identity ? await createIdentity(tx, actor, member.id, input.identity) : null;
      return { member, organization, identity };
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
      if (existing?.memberId === member.id) {
        throw new ConflictError(`That ${input.platform} user is already linked to ${member.displayName}.`);
      }
      const identity = await createIdentity(tx, actor, member.id, input);
      return { identity, member };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new ConflictError(`That ${input.platform} user is already linked.`);
    throw error;
  }
}

async function createIdentity(tx: Tx, actor: Actor, memberId: number, user: PlatformUser) {
  const existing = await tx.platformIdentity.findUnique({
    where: {
      platform_workspaceId_userId: {
        platform: user.platform,
        workspaceId: user.workspaceId,
        userId: user.userId,
      },
    },
  });
  if (existing) {
    throw new ConflictError(
      `That ${user.platform} user is already linked to member ${existing.memberId}; unlink it first.`,
    );
  }
  const identity = await tx.platformIdentity.create({
    data: { platform: user.platform, workspaceId: user.workspaceId, userId: user.userId, memberId },
  });
  await recordAudit(tx, {
    actorMemberId: actor.memberId,
    action: 'member.link',
    entityType: 'platform_identity',
    entityId: identity.id,
    after: identity,
  });
  return identity;
}

const CONSOLE_ORGANIZATION = { name: 'Local console', slug: 'local' };
const BOOTSTRAP_ORGANIZATION = { name: 'Coalition administrators', slug: 'admins' };

/**
 * The console adapter acts as a local admin: whoever can type into the bot's terminal already
 * controls its database. The member is created once, with an audit row, and reused after.
 */
export async function ensureConsoleAdmin(db: Db, username: string): Promise<Actor> {
  return ensureBootstrapAdmin(
    db,
    { platform: 'console', workspaceId: 'local', userId: username },
    username,
    CONSOLE_ORGANIZATION,
  );
}

/**
 * An admin named by the operator (SLACK_ADMIN_USER_IDS, DISCORD_ADMIN_USER_IDS, the console user):
 * created with its identity on first use, so a new installation has someone to add everyone else.
 */
export async function ensureBootstrapAdmin(
  db: Db,
  user: PlatformUser,
  displayName: string,
  organizationSpec: { name: string; slug: string } = BOOTSTRAP_ORGANIZATION,
): Promise<Actor> {
  const known = await resolveActor(db, user);
  if (known) return known;
  return db.$transaction(async (tx) => {
    const organization =
      (await tx.organization.findUnique({ where: { slug: organizationSpec.slug } })) ??
      (await tx.organization.create({ data: organizationSpec }));
    const name = displayName.trim() || `${user.platform} ${user.userId}`;
    const member = await tx.member.upsert({
      where: { organizationId_displayName: { organizationId: organization.id, displayName: name } },
      create: { displayName: name, organizationId: organization.id, role: 'admin' },
      update: {},
      include: actorInclude,
    });
    await tx.platformIdentity.create({ data: { ...user, memberId: member.id } });
    await recordAudit(tx, {
      actorMemberId: null,
      action: 'member.bootstrap-admin',
      entityType: 'member',
      entityId: member.id,
      after: { member, identity: user },
    });
    return toActor(member);
  });
}
