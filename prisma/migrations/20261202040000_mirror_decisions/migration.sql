-- A coordinator's word on whether two entries on two lists are the same person or entity.
CREATE TABLE "mirror_decision" (
    "id" SERIAL NOT NULL,
    "list_a" TEXT NOT NULL,
    "uid_a" INTEGER NOT NULL,
    "list_b" TEXT NOT NULL,
    "uid_b" INTEGER NOT NULL,
    "same" BOOLEAN NOT NULL,
    "decided_by_member_id" INTEGER NOT NULL,
    "decided_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "mirror_decision_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "mirror_decision_list_a_uid_a_list_b_uid_b_key" ON "mirror_decision"("list_a", "uid_a", "list_b", "uid_b");
