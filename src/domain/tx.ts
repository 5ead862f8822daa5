import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';

export type Db = PrismaClient;
export type Tx = Prisma.TransactionClient;

/** The member on whose behalf a command runs, as resolved from a platform identity. */
export type Actor = {
  memberId: number;
  displayName: string;
  role: 'admin' | 'coordinator' | 'member' | 'observer';
  organizationId: number;
  organizationSlug: string;
};
