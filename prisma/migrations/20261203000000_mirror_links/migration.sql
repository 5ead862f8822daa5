-- Cross-list links the matcher found (a pair of entries on two lists, in pair-key order), with the
-- confidence and evidence; recomputed only for the entries a publication changed.
CREATE TABLE "mirror_link" (
    "list_a" TEXT NOT NULL,
    "uid_a" INTEGER NOT NULL,
    "list_b" TEXT NOT NULL,
    "uid_b" INTEGER NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,
    "evidence" JSONB NOT NULL,

    CONSTRAINT "mirror_link_pkey" PRIMARY KEY ("list_a", "uid_a", "list_b", "uid_b")
);

CREATE INDEX "mirror_link_list_b_uid_b_idx" ON "mirror_link"("list_b", "uid_b");

-- The publication of each list whose entries the links are current with.
CREATE TABLE "mirror_resolution" (
    "list" TEXT NOT NULL,
    "publication_id" INTEGER NOT NULL,
    "resolved_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "mirror_resolution_pkey" PRIMARY KEY ("list")
);
