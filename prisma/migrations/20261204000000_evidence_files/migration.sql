-- Evidence files: a member attaches a file (Discord's attachment option, a file shared in a Slack
-- case thread); the bot downloads it, hashes it and keeps it. A file has no link of its own.
ALTER TABLE "case_evidence" ALTER COLUMN "url" DROP NOT NULL;
ALTER TABLE "case_evidence" ADD COLUMN "file_name" TEXT;
ALTER TABLE "case_evidence" ADD COLUMN "file_size" INTEGER;
ALTER TABLE "case_evidence" ADD COLUMN "file_type" TEXT;
