-- CreateEnum
CREATE TYPE "PublicationStatus" AS ENUM ('applied', 'held', 'superseded');

-- CreateEnum
CREATE TYPE "SanctionsChangeKind" AS ENUM ('added', 'removed', 'amended');

-- CreateTable
CREATE TABLE "sanctions_publication" (
    "id" SERIAL NOT NULL,
    "list" TEXT NOT NULL DEFAULT 'SDN',
    "published_on" DATE NOT NULL,
    "source" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "record_count" INTEGER NOT NULL,
    "added" INTEGER NOT NULL DEFAULT 0,
    "removed" INTEGER NOT NULL DEFAULT 0,
    "amended" INTEGER NOT NULL DEFAULT 0,
    "status" "PublicationStatus" NOT NULL DEFAULT 'applied',
    "imported_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "released_at" TIMESTAMPTZ(3),

    CONSTRAINT "sanctions_publication_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sanctions_entry_version" (
    "id" BIGSERIAL NOT NULL,
    "list" TEXT NOT NULL DEFAULT 'SDN',
    "uid" INTEGER NOT NULL,
    "hash" TEXT NOT NULL,
    "data" JSONB NOT NULL,
    "valid_from_id" INTEGER NOT NULL,
    "valid_to_id" INTEGER,

    CONSTRAINT "sanctions_entry_version_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sanctions_change" (
    "id" BIGSERIAL NOT NULL,
    "publication_id" INTEGER NOT NULL,
    "uid" INTEGER NOT NULL,
    "kind" "SanctionsChangeKind" NOT NULL,
    "name" TEXT NOT NULL,
    "entry_type" TEXT NOT NULL,
    "programs" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "details" JSONB NOT NULL,

    CONSTRAINT "sanctions_change_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "sanctions_publication_list_published_on_idx" ON "sanctions_publication"("list", "published_on");

-- CreateIndex
CREATE UNIQUE INDEX "sanctions_publication_list_sha256_key" ON "sanctions_publication"("list", "sha256");

-- CreateIndex
CREATE INDEX "sanctions_entry_version_list_uid_idx" ON "sanctions_entry_version"("list", "uid");

-- CreateIndex
CREATE INDEX "sanctions_entry_version_list_valid_to_id_idx" ON "sanctions_entry_version"("list", "valid_to_id");

-- CreateIndex
CREATE UNIQUE INDEX "sanctions_change_publication_id_uid_key" ON "sanctions_change"("publication_id", "uid");

-- AddForeignKey
ALTER TABLE "sanctions_change" ADD CONSTRAINT "sanctions_change_publication_id_fkey" FOREIGN KEY ("publication_id") REFERENCES "sanctions_publication"("id") ON DELETE CASCADE ON UPDATE CASCADE;
