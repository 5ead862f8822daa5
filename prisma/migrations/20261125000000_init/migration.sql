-- CreateEnum
CREATE TYPE "Role" AS ENUM ('admin', 'coordinator', 'member', 'observer');

-- CreateEnum
CREATE TYPE "Platform" AS ENUM ('slack', 'discord', 'console');

-- CreateEnum
CREATE TYPE "TargetKind" AS ENUM ('individual', 'entity');

-- CreateEnum
CREATE TYPE "TargetStatus" AS ENUM ('proposed', 'prioritized', 'case-open', 'designated', 'dropped');

-- CreateTable
CREATE TABLE "organization" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "organization_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "member" (
    "id" SERIAL NOT NULL,
    "display_name" TEXT NOT NULL,
    "organization_id" INTEGER NOT NULL,
    "role" "Role" NOT NULL DEFAULT 'member',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "member_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "platform_identity" (
    "id" SERIAL NOT NULL,
    "platform" "Platform" NOT NULL,
    "workspace_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "member_id" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "platform_identity_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "target" (
    "id" SERIAL NOT NULL,
    "kind" "TargetKind" NOT NULL DEFAULT 'individual',
    "primary_name" TEXT NOT NULL,
    "aliases" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "name_keys" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "country" TEXT,
    "position" TEXT,
    "conduct" TEXT,
    "evidence_links" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "programs" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "status" "TargetStatus" NOT NULL DEFAULT 'proposed',
    "proposed_by_member_id" INTEGER NOT NULL,
    "proposed_by_organization_id" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "target_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_log" (
    "id" BIGSERIAL NOT NULL,
    "actor_member_id" INTEGER,
    "action" TEXT NOT NULL,
    "entity_type" TEXT NOT NULL,
    "entity_id" TEXT NOT NULL,
    "before" JSONB,
    "after" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "organization_name_key" ON "organization"("name");

-- CreateIndex
CREATE UNIQUE INDEX "organization_slug_key" ON "organization"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "member_organization_id_display_name_key" ON "member"("organization_id", "display_name");

-- CreateIndex
CREATE INDEX "platform_identity_member_id_idx" ON "platform_identity"("member_id");

-- CreateIndex
CREATE UNIQUE INDEX "platform_identity_platform_workspace_id_user_id_key" ON "platform_identity"("platform", "workspace_id", "user_id");

-- CreateIndex
CREATE INDEX "target_status_idx" ON "target"("status");

-- CreateIndex
CREATE INDEX "target_name_keys_idx" ON "target" USING GIN ("name_keys");

-- CreateIndex
CREATE INDEX "audit_log_entity_type_entity_id_idx" ON "audit_log"("entity_type", "entity_id");

-- CreateIndex
CREATE INDEX "audit_log_created_at_idx" ON "audit_log"("created_at");

-- AddForeignKey
ALTER TABLE "member" ADD CONSTRAINT "member_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "platform_identity" ADD CONSTRAINT "platform_identity_member_id_fkey" FOREIGN KEY ("member_id") REFERENCES "member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "target" ADD CONSTRAINT "target_proposed_by_member_id_fkey" FOREIGN KEY ("proposed_by_member_id") REFERENCES "member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "target" ADD CONSTRAINT "target_proposed_by_organization_id_fkey" FOREIGN KEY ("proposed_by_organization_id") REFERENCES "organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_actor_member_id_fkey" FOREIGN KEY ("actor_member_id") REFERENCES "member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
