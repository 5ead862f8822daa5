-- CreateTable
CREATE TABLE "digest_subscription" (
    "id" SERIAL NOT NULL,
    "platform" "Platform" NOT NULL,
    "workspace_id" TEXT NOT NULL,
    "channel_id" TEXT NOT NULL,
    "programs" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "time" TEXT NOT NULL,
    "timezone" TEXT NOT NULL,
    "last_publication_id" INTEGER,
    "created_by_member_id" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "digest_subscription_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "digest_delivery" (
    "id" SERIAL NOT NULL,
    "subscription_id" INTEGER NOT NULL,
    "period" TEXT NOT NULL,
    "publications" INTEGER[] DEFAULT ARRAY[]::INTEGER[],
    "messages" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "digest_delivery_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "digest_subscription_platform_workspace_id_channel_id_key" ON "digest_subscription"("platform", "workspace_id", "channel_id");

-- CreateIndex
CREATE UNIQUE INDEX "digest_delivery_subscription_id_period_key" ON "digest_delivery"("subscription_id", "period");

-- AddForeignKey
ALTER TABLE "digest_delivery" ADD CONSTRAINT "digest_delivery_subscription_id_fkey" FOREIGN KEY ("subscription_id") REFERENCES "digest_subscription"("id") ON DELETE CASCADE ON UPDATE CASCADE;
