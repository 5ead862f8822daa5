-- Lists other than OFAC's have string ids (GHR0078, EU logical ids, DFAT references, Canadian
-- regime + name keys). Each key gets a number of ours, used where OFAC's uid is used.
CREATE TABLE "sanctions_entry_key" (
    "list" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "uid" SERIAL NOT NULL,

    CONSTRAINT "sanctions_entry_key_pkey" PRIMARY KEY ("list", "key")
);

CREATE UNIQUE INDEX "sanctions_entry_key_uid_key" ON "sanctions_entry_key"("uid");
