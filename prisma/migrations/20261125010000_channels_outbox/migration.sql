-- CreateEnum
CREATE TYPE "ChannelPurpose" AS ENUM ('proposals');

-- CreateTable
CREATE TABLE "channel_setting" (
    "id" SERIAL NOT NULL,
    "platform" "Platform" NOT NULL,
    "workspace_id" TEXT NOT NULL,
    "channel_id" TEXT NOT NULL,
    "purpose" "ChannelPurpose" NOT NULL,
    "set_by_member_id" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "channel_setting_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "outbox_message" (
    "id" BIGSERIAL NOT NULL,
    "platform" "Platform" NOT NULL,
    "workspace_id" TEXT NOT NULL,
    "channel_id" TEXT NOT NULL,
    "view" JSONB NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "outbox_message_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "delivery_receipt" (
    "key" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "delivery_receipt_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "pending_action" (
    "id" TEXT NOT NULL,
    "invocation" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "pending_action_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "channel_setting_platform_workspace_id_purpose_key" ON "channel_setting"("platform", "workspace_id", "purpose");

-- CreateIndex
CREATE INDEX "outbox_message_platform_sent_at_next_attempt_at_idx" ON "outbox_message"("platform", "sent_at", "next_attempt_at");

-- CreateIndex
CREATE INDEX "delivery_receipt_created_at_idx" ON "delivery_receipt"("created_at");

-- CreateIndex
CREATE INDEX "pending_action_created_at_idx" ON "pending_action"("created_at");

-- AddForeignKey
ALTER TABLE "channel_setting" ADD CONSTRAINT "channel_setting_set_by_member_id_fkey" FOREIGN KEY ("set_by_member_id") REFERENCES "member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
