-- AlterEnum
ALTER TYPE "ChannelPurpose" ADD VALUE 'polls';

-- CreateEnum
CREATE TYPE "PollMethod" AS ENUM ('approval', 'single', 'score', 'schulze', 'irv');

-- CreateEnum
CREATE TYPE "PollScope" AS ENUM ('member', 'organization');

-- CreateEnum
CREATE TYPE "PollStatus" AS ENUM ('open', 'closed');

-- CreateTable
CREATE TABLE "poll" (
    "id" SERIAL NOT NULL,
    "question" TEXT NOT NULL,
    "method" "PollMethod" NOT NULL,
    "per" "PollScope" NOT NULL DEFAULT 'member',
    "hidden_results" BOOLEAN NOT NULL DEFAULT false,
    "secret" BOOLEAN NOT NULL DEFAULT false,
    "voter_salt" TEXT,
    "quorum_ballots" INTEGER,
    "quorum_organizations" INTEGER,
    "seats" INTEGER NOT NULL DEFAULT 1,
    "prioritize" BOOLEAN NOT NULL DEFAULT false,
    "closes_at" TIMESTAMPTZ(3) NOT NULL,
    "remind_at" TIMESTAMPTZ(3),
    "reminded_at" TIMESTAMPTZ(3),
    "status" "PollStatus" NOT NULL DEFAULT 'open',
    "version" INTEGER NOT NULL DEFAULT 0,
    "outcome" JSONB,
    "created_by_member_id" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closed_at" TIMESTAMPTZ(3),

    CONSTRAINT "poll_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "poll_option" (
    "id" SERIAL NOT NULL,
    "poll_id" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "label" TEXT NOT NULL,
    "target_id" INTEGER,

    CONSTRAINT "poll_option_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ballot" (
    "id" SERIAL NOT NULL,
    "poll_id" INTEGER NOT NULL,
    "voter_key" TEXT NOT NULL,
    "choices" JSONB NOT NULL,
    "cast_by_member_id" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ballot_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "poll_voter" (
    "poll_id" INTEGER NOT NULL,
    "member_id" INTEGER NOT NULL,
    "organization_id" INTEGER NOT NULL,
    "first_voted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_voted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "poll_voter_pkey" PRIMARY KEY ("poll_id","member_id")
);

-- CreateTable
CREATE TABLE "poll_post" (
    "id" SERIAL NOT NULL,
    "poll_id" INTEGER NOT NULL,
    "platform" "Platform" NOT NULL,
    "workspace_id" TEXT NOT NULL,
    "channel_id" TEXT NOT NULL,
    "message_id" TEXT,
    "rendered_version" INTEGER NOT NULL DEFAULT -1,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "poll_post_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "poll_status_closes_at_idx" ON "poll"("status", "closes_at");

-- CreateIndex
CREATE UNIQUE INDEX "poll_option_poll_id_position_key" ON "poll_option"("poll_id", "position");

-- CreateIndex
CREATE UNIQUE INDEX "ballot_poll_id_voter_key_key" ON "ballot"("poll_id", "voter_key");

-- CreateIndex
CREATE UNIQUE INDEX "poll_post_poll_id_platform_workspace_id_channel_id_key" ON "poll_post"("poll_id", "platform", "workspace_id", "channel_id");

-- AddForeignKey
ALTER TABLE "poll" ADD CONSTRAINT "poll_created_by_member_id_fkey" FOREIGN KEY ("created_by_member_id") REFERENCES "member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "poll_option" ADD CONSTRAINT "poll_option_poll_id_fkey" FOREIGN KEY ("poll_id") REFERENCES "poll"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "poll_option" ADD CONSTRAINT "poll_option_target_id_fkey" FOREIGN KEY ("target_id") REFERENCES "target"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ballot" ADD CONSTRAINT "ballot_poll_id_fkey" FOREIGN KEY ("poll_id") REFERENCES "poll"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "poll_voter" ADD CONSTRAINT "poll_voter_poll_id_fkey" FOREIGN KEY ("poll_id") REFERENCES "poll"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "poll_voter" ADD CONSTRAINT "poll_voter_member_id_fkey" FOREIGN KEY ("member_id") REFERENCES "member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "poll_voter" ADD CONSTRAINT "poll_voter_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "poll_post" ADD CONSTRAINT "poll_post_poll_id_fkey" FOREIGN KEY ("poll_id") REFERENCES "poll"("id") ON DELETE CASCADE ON UPDATE CASCADE;
