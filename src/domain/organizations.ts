import { recordAudit } from './audit.ts';
import { ConflictError, isUniqueViolation, NotFoundError } from './errors.ts';
import type { Actor, Db, Tx } from './tx.ts';

export type OrganizationInput = { name: string; slug: string };

export async function addOrganization(db: Db, actor: Actor, input: OrganizationInput) {
  try {
    return await db.$transaction(async (tx) => {
      const clash = await tx.organization.findFirst({
        where: { OR: [{ slug: input.slug }, { name: { equals: input.name, mode: 'insensitive' } }] },
      });
      if (clash) throw organizationConflict(clash, input);
      const organization = await tx.organization.create({ data: { name: input.name, slug: input.slug } });
      await recordAudit(tx, {
        actorMemberId: actor.memberId,
        action: 'organization.add',
        entityType: 'organization',
        entityId: organization.id,
        after: organization,
      });
      return organization;
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new ConflictError(
        `An organization named "${input.name}" or with slug "${input.slug}" already exists.`,
      );
    }
    throw error;
  }
}

function organizationConflict(existing: { name: string; slug: string }, input: OrganizationInput) {
  return existing.slug === input.slug
    ? new ConflictError(`The slug "${input.slug}" is already used by ${existing.name}.`)
    : new ConflictError(`An organization named "${existing.name}" already exists (slug ${existing.slug}).`);
}

export async function findOrganizationBySlug(tx: Tx | Db, slug: string) {
  const organization = await tx.organization.findUnique({ where: { slug } });
  if (!organization) {
    throw new NotFoundError(`No organization has the slug "${slug}". An admin can add it with /org add.`);
  }
  return organization;
}

export async function suggestOrganizations(db: Db, text: string, limit = 25) {
  const query = text.trim();
  return db.organization.findMany({
    where: query
      ? {
          OR: [
            { slug: { contains: query.toLowerCase() } },
            { name: { contains: query, mode: 'insensitive' } },
          ],
        }
      : {},
    orderBy: { slug: 'asc' },
    take: limit,
    select: { slug: true, name: true },
  });
}
