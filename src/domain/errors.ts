/**
 * An error whose message is written for the member who ran the command: shown in chat as is
 * (ephemerally where the platform allows). Anything else is a bug, logged and shown generically.
 */
export class UserError extends Error {
  override readonly name: string = 'UserError';
}

export class NotFoundError extends UserError {
  override readonly name = 'NotFoundError';
}

export class ForbiddenError extends UserError {
  override readonly name = 'ForbiddenError';
}

export class ConflictError extends UserError {
  override readonly name = 'ConflictError';
}

/** True for Prisma's unique-constraint violation (P2002), whichever driver adapter raised it. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'P2002';
}
