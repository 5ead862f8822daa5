import type { Role } from '../generated/prisma/enums.ts';
import { ForbiddenError } from './errors.ts';

export const ROLES = ['admin', 'coordinator', 'member', 'observer'] as const satisfies readonly Role[];

const EVERYONE = ROLES;
const CONTRIBUTORS = ['admin', 'coordinator', 'member'] as const satisfies readonly Role[];
const ADMINS = ['admin'] as const satisfies readonly Role[];

/**
 * Who may do what: the one table that commands, help text and tests all read.
 * Observers can read; members contribute; coordinators run the coalition's process; admins manage people.
 */
export const PERMISSIONS = {
  'help.view': EVERYONE,
  'target.view': EVERYONE,
  'target.propose': CONTRIBUTORS,
  'target.review': ADMINS,
  'organization.add': ADMINS,
  'member.add': ADMINS,
  'member.link': ADMINS,
  'channel.set': ADMINS,
  'poll.view': EVERYONE,
  'poll.vote': CONTRIBUTORS,
  'poll.create': ['admin', 'coordinator'],
  'poll.close': ['admin', 'coordinator'],
  'poll.export': ['admin', 'coordinator'],
  'digest.manage': ['admin', 'coordinator'],
  'digest.view': EVERYONE,
  'channel.view': ['admin', 'coordinator'],
  'case.view': EVERYONE,
  'case.open': ['admin', 'coordinator'],
  // Members may work on cases whose team they are on; the case checks that (src/domain/cases.ts).
  'case.work': CONTRIBUTORS,
  'case.confirm': ['admin', 'coordinator'],
  'audit.view': ADMINS,
  'sanctions.view': EVERYONE,
  'mirror.decide': ['admin', 'coordinator'],
  'member.export': EVERYONE,
  'member.erase': ADMINS,
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

export function describeAllowedRoles(permission: Permission): string {
  const roles = PERMISSIONS[permission] as readonly Role[];
  if (roles.length === ROLES.length) return 'everyone';
  return roles.map((role) => `${role}s`).join(', ');
}

export function requirePermission(actor: { role: Role }, permission: Permission, what: string): void {
  if (!can(actor.role, permission)) {
    throw new ForbiddenError(
      `Only ${describeAllowedRoles(permission)} can ${what}; you are ${article(actor.role)} ${actor.role}.`,
    );
  }
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}
