-- AlterEnum
ALTER TYPE "ChannelPurpose" ADD VALUE 'cases';

-- CreateEnum
CREATE TYPE "CaseStage" AS ENUM ('research', 'drafting', 'submitted', 'under-review', 'designated', 'declined', 'closed');

-- CreateEnum
CREATE TYPE "CaseRole" AS ENUM ('owner', 'member');

-- CreateEnum
CREATE TYPE "MatchKind" AS ENUM ('designation', 'delisting');

-- CreateEnum
CREATE TYPE "MatchStatus" AS ENUM ('pending', 'review', 'confirmed', 'dismissed');

-- CreateTable
CREATE TABLE "case" (
    "id" SERIAL NOT NULL,
    "title" TEXT NOT NULL,
    "stage" "CaseStage" NOT NULL DEFAULT 'research',
    "stage_reason" TEXT,
    "due_on" DATE,
    "version" INTEGER NOT NULL DEFAULT 0,
    "last_activity_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "reminded_at" TIMESTAMPTZ(3),
    "opened_by_member_id" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "case_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "case_target" (
    "case_id" INTEGER NOT NULL,
    "target_id" INTEGER NOT NULL,

    CONSTRAINT "case_target_pkey" PRIMARY KEY ("case_id","target_id")
);

-- CreateTable
CREATE TABLE "case_member" (
    "case_id" INTEGER NOT NULL,
    "member_id" INTEGER NOT NULL,
    "role" "CaseRole" NOT NULL DEFAULT 'member',

    CONSTRAINT "case_member_pkey" PRIMARY KEY ("case_id","member_id")
);

-- CreateTable
CREATE TABLE "case_submission" (
    "id" SERIAL NOT NULL,
    "case_id" INTEGER NOT NULL,
    "jurisdiction" TEXT NOT NULL,
    "submitted_on" DATE NOT NULL,
    "reference" TEXT,
    "answered_on" DATE,
    "answer" TEXT,
    "reminded_at" TIMESTAMPTZ(3),
    "created_by_member_id" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "case_submission_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "case_evidence" (
    "id" SERIAL NOT NULL,
    "case_id" INTEGER NOT NULL,
    "url" TEXT NOT NULL,
    "sha256" TEXT,
    "note" TEXT,
    "added_by_member_id" INTEGER NOT NULL,
    "added_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "retracted_at" TIMESTAMPTZ(3),
    "retracted_by_member_id" INTEGER,
    "retract_reason" TEXT,

    CONSTRAINT "case_evidence_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "case_event" (
    "id" BIGSERIAL NOT NULL,
    "case_id" INTEGER NOT NULL,
    "actor_member_id" INTEGER,
    "kind" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "data" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "case_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "case_thread" (
    "id" SERIAL NOT NULL,
    "case_id" INTEGER NOT NULL,
    "platform" "Platform" NOT NULL,
    "workspace_id" TEXT NOT NULL,
    "channel_id" TEXT NOT NULL,
    "message_id" TEXT,
    "thread_id" TEXT,
    "rendered_version" INTEGER NOT NULL DEFAULT -1,
    "posted_event_id" BIGINT NOT NULL DEFAULT 0,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "case_thread_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sanctions_match" (
    "id" SERIAL NOT NULL,
    "target_id" INTEGER NOT NULL,
    "publication_id" INTEGER NOT NULL,
    "uid" INTEGER NOT NULL,
    "kind" "MatchKind" NOT NULL,
    "listed_name" TEXT NOT NULL,
    "programs" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "score" DOUBLE PRECISION NOT NULL,
    "evidence" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "status" "MatchStatus" NOT NULL,
    "decided_by_member_id" INTEGER,
    "decided_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sanctions_match_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "case_stage_idx" ON "case"("stage");

-- CreateIndex
CREATE INDEX "case_target_target_id_idx" ON "case_target"("target_id");

-- CreateIndex
CREATE INDEX "case_member_member_id_idx" ON "case_member"("member_id");

-- CreateIndex
CREATE INDEX "case_submission_case_id_idx" ON "case_submission"("case_id");

-- CreateIndex
CREATE INDEX "case_evidence_case_id_idx" ON "case_evidence"("case_id");

-- CreateIndex
CREATE INDEX "case_event_case_id_id_idx" ON "case_event"("case_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "case_thread_case_id_platform_workspace_id_key" ON "case_thread"("case_id", "platform", "workspace_id");

-- CreateIndex
CREATE INDEX "sanctions_match_status_idx" ON "sanctions_match"("status");

-- CreateIndex
CREATE UNIQUE INDEX "sanctions_match_target_id_publication_id_uid_kind_key" ON "sanctions_match"("target_id", "publication_id", "uid", "kind");

-- AddForeignKey
ALTER TABLE "case_target" ADD CONSTRAINT "case_target_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "case"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "case_target" ADD CONSTRAINT "case_target_target_id_fkey" FOREIGN KEY ("target_id") REFERENCES "target"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "case_member" ADD CONSTRAINT "case_member_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "case"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "case_submission" ADD CONSTRAINT "case_submission_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "case"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "case_evidence" ADD CONSTRAINT "case_evidence_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "case"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "case_event" ADD CONSTRAINT "case_event_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "case"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "case_thread" ADD CONSTRAINT "case_thread_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "case"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sanctions_match" ADD CONSTRAINT "sanctions_match_target_id_fkey" FOREIGN KEY ("target_id") REFERENCES "target"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
