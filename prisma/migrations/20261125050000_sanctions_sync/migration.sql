-- AlterEnum
ALTER TYPE "ChannelPurpose" ADD VALUE 'admin';

-- AlterTable
ALTER TABLE "digest_subscription" ADD COLUMN "post_when_empty" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "sanctions_source" (
    "name" TEXT NOT NULL,
    "fingerprint" TEXT,
    "checked_at" TIMESTAMPTZ(3),
    "succeeded_at" TIMESTAMPTZ(3),
    "failures" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,

    CONSTRAINT "sanctions_source_pkey" PRIMARY KEY ("name")
);
