-- Digests cover several lists; subscriptions made before follow OFAC's, as they always did.
ALTER TABLE "digest_subscription" ADD COLUMN "lists" TEXT[] DEFAULT ARRAY['us']::TEXT[];
