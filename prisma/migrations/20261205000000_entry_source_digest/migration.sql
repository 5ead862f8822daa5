-- A digest of the source rows a version was built from (OFAC's CSV: its SDN, ALT and ADD records,
-- and the reader's version). An import builds and hashes only the entries whose rows have another
-- digest; versions written before this, or from another format, have none and are checked in full
-- once.
ALTER TABLE "sanctions_entry_version" ADD COLUMN "source_digest" TEXT;
