import {
  blindIndex,
  configuredKeyIds,
  currentKeyId,
  EncryptionError,
  encryptionConfigured,
  needsRotation,
  seal,
  unseal,
} from './crypto.ts';
import { nameKeys } from './names.ts';
import type { Db, Tx } from './tx.ts';

export type Rotation = { targets: number; evidence: number };

const BATCH = 200;

/**
 * Re-encrypts every sensitive field under the current key (and encrypts what was stored before a
 * key was configured), and recomputes the keyed name hashes of confidential targets. Decrypting
 * first means a value under an unknown key stops the rotation before anything is written for it;
 * each batch is one transaction, so a failure leaves every row readable under one key or the other.
 */
export async function rotateKeys(db: Db): Promise<Rotation> {
  if (!encryptionConfigured()) throw new EncryptionError('set ENCRYPTION_KEY (the new key) before rotating');
  const done: Rotation = { targets: 0, evidence: 0 };
  await inBatches(
    db,
    (after) => db.target.findMany({ where: { id: { gt: after } }, orderBy: { id: 'asc' }, take: BATCH }),
    async (tx, rows) => {
      for (const row of rows) {
        const name = unseal(row.primaryName);
        const aliases = row.aliases.map(unseal);
        const hashes = row.confidential ? nameKeys([name, ...aliases]).map(blindIndex) : row.nameKeys;
        const stale =
          (row.conduct !== null && needsRotation(row.conduct)) ||
          (row.confidential &&
            ([row.primaryName, ...row.aliases].some(needsRotation) || hashes.join() !== row.nameKeys.join()));
        if (!stale) continue;
        await tx.target.update({
          where: { id: row.id },
          data: {
            conduct: row.conduct === null ? null : seal(unseal(row.conduct)),
            ...(row.confidential
              ? {
                  primaryName: seal(name),
                  aliases: aliases.map(seal),
                  nameKeys: hashes,
                }
              : {}),
          },
        });
        done.targets += 1;
      }
    },
  );
  await inBatches(
    db,
    (after) =>
      db.caseEvidence.findMany({
        where: { id: { gt: after }, note: { not: null } },
        orderBy: { id: 'asc' },
        take: BATCH,
      }),
    async (tx, rows) => {
      for (const row of rows) {
        if (row.note === null || !needsRotation(row.note)) continue;
        await tx.caseEvidence.update({ where: { id: row.id }, data: { note: seal(unseal(row.note)) } });
        done.evidence += 1;
      }
    },
  );
  return done;
}

/** Pages through a table by id, each page worked on in one transaction. */
async function inBatches<Row extends { id: number }>(
  db: Db,
  page: (after: number) => Promise<Row[]>,
  work: (tx: Tx, rows: Row[]) => Promise<void>,
): Promise<void> {
  for (let after = 0; ; ) {
    const rows = await page(after);
    if (rows.length === 0) return;
    after = rows[rows.length - 1]?.id ?? after;
    await db.$transaction((tx) => work(tx, rows));
  }
}

/**
 * Refuses to start when the database holds encrypted values that no configured key can read: a
 * wrong or missing ENCRYPTION_KEY would otherwise fail commands one by one, and worse, miss
 * duplicates and write new values under a key the rest of the data does not share.
 */
export async function checkEncryptionKeys(db: Db): Promise<void> {
  const rows = await db.$queryRaw<Array<{ key_id: string }>>`
    SELECT DISTINCT split_part(value, ':', 3) AS key_id FROM (
      SELECT primary_name AS value FROM target WHERE primary_name LIKE 'enc:v1:%'
      UNION ALL SELECT unnest(aliases) FROM target WHERE confidential
      UNION ALL SELECT conduct FROM target WHERE conduct LIKE 'enc:v1:%'
      UNION ALL SELECT note FROM case_evidence WHERE note LIKE 'enc:v1:%'
    ) AS sealed WHERE value LIKE 'enc:v1:%'`;
  const stored = rows.map((row) => row.key_id);
  if (stored.length === 0) return;
  const configured = new Set(configuredKeyIds());
  if (configured.size === 0)
    throw new EncryptionError(
      `ENCRYPTION_KEY is not set, but the database holds values encrypted with key ${stored.join(', ')}; set the key it was written with.`,
    );
  const unknown = stored.filter((id) => !configured.has(id));
  if (unknown.length)
    throw new EncryptionError(
      `the database holds values encrypted with key ${unknown.join(', ')}, which is neither ENCRYPTION_KEY (${currentKeyId() ?? 'unset'}) nor in ENCRYPTION_KEY_PREVIOUS; set the right key.`,
    );
}
