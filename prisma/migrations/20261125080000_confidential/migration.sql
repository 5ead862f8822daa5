-- AlterTable
ALTER TABLE "target" ADD COLUMN "confidential" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN "codename" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "target_codename_key" ON "target"("codename");
