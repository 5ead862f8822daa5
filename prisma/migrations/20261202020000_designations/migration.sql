-- Matches come from every list now: which list, and the entry's id as that list shows it.
ALTER TABLE "sanctions_match" ADD COLUMN "list" TEXT NOT NULL DEFAULT 'SDN';
ALTER TABLE "sanctions_match" ADD COLUMN "entry_id" TEXT;

-- A target can be designated by several governments: one record per jurisdiction.
CREATE TABLE "target_designation" (
    "id" SERIAL NOT NULL,
    "target_id" INTEGER NOT NULL,
    "jurisdiction" TEXT NOT NULL,
    "designated_on" DATE NOT NULL,
    "entry_id" TEXT NOT NULL,
    "listed_name" TEXT NOT NULL,
    "match_id" INTEGER NOT NULL,
    "confirmed_by_member_id" INTEGER NOT NULL,
    "confirmed_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "target_designation_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "target_designation_target_id_jurisdiction_key" ON "target_designation"("target_id", "jurisdiction");

ALTER TABLE "target_designation" ADD CONSTRAINT "target_designation_target_id_fkey" FOREIGN KEY ("target_id") REFERENCES "target"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
