import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';

/**
 * Encryption at rest for sensitive fields (the names and aliases of confidential targets, conduct,
 * evidence notes): AES-256-GCM from Node's crypto, one random 96-bit IV per value, the key's id in
 * the stored value so a rotated database can hold values under several keys until `keys rotate`
 * re-encrypts them. Stored form: `enc:v1:<key id>:<base64 iv|tag|ciphertext>`.
 *
 * The keys are process configuration (ENCRYPTION_KEY, ENCRYPTION_KEY_PREVIOUS), set once at start-up.
 */
const PREFIX = 'enc:v1:';

type Key = { id: string; bytes: Buffer };

let current: Key | undefined;
let known = new Map<string, Key>();

export class EncryptionError extends Error {
  override readonly name = 'EncryptionError';
}

export function parseKey(text: string): Buffer {
  const value = text.trim();
  const bytes = /^[0-9a-fA-F]{64}$/.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
  if (bytes.length !== 32)
    throw new EncryptionError('an encryption key must be 32 bytes, as 64 hex digits or base64');
  return bytes;
}

const keyOf = (bytes: Buffer): Key => ({
  id: createHash('sha256').update(bytes).digest('hex').slice(0, 8),
  bytes,
});

/** Sets the current key and the previous ones still accepted for reading. */
export function configureEncryption(currentKey: Buffer | undefined, previous: Buffer[] = []): void {
  current = currentKey ? keyOf(currentKey) : undefined;
  known = new Map([...previous.map(keyOf), ...(current ? [current] : [])].map((key) => [key.id, key]));
}

export function encryptionConfigured(): boolean {
  return current !== undefined;
}

export function isSealed(value: string): boolean {
  return value.startsWith(PREFIX);
}

/** Encrypts with the current key; without one, the value is stored as it is (development). */
export function seal(value: string): string {
  if (!current) return value;
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', current.bytes, iv);
  const body = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
  return `${PREFIX}${current.id}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
}

/** Decrypts a sealed value (any known key); plain values pass through. */
export function unseal(value: string): string {
  if (!isSealed(value)) return value;
  const [keyId, payload] = value.slice(PREFIX.length).split(':');
  const key = keyId ? known.get(keyId) : undefined;
  if (!key || !payload) {
    throw new EncryptionError(
      `a value is encrypted with key ${keyId ?? '?'}, which is not configured (set it in ENCRYPTION_KEY_PREVIOUS)`,
    );
  }
  const bytes = Buffer.from(payload, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', key.bytes, bytes.subarray(0, 12));
  decipher.setAuthTag(bytes.subarray(12, 28));
  return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
}

export const sealOptional = (value: string | null | undefined) =>
  value == null ? (value ?? null) : seal(value);
export const unsealOptional = (value: string | null) => (value === null ? null : unseal(value));

/** True when a sealed value is under another key than the current one (or is plain while a key is set). */
export function needsRotation(value: string): boolean {
  if (!current) return false;
  if (!isSealed(value)) return true;
  return !value.startsWith(`${PREFIX}${current.id}:`);
}

/**
 * A keyed hash for lookups on encrypted names (duplicate detection of confidential targets): equal
 * normalized names give equal hashes, and the hash says nothing without the key. Hashes are tied to
 * the current key, so `keys rotate` recomputes them.
 */
export function blindIndex(normalized: string): string {
  if (!current) throw new EncryptionError('confidential records need ENCRYPTION_KEY');
  return keyedHash(current, normalized);
}

/** The keyed hashes of a name under the current key (first) and every previous one, for lookups. */
export function blindIndexes(normalized: string): string[] {
  if (!current) throw new EncryptionError('confidential records need ENCRYPTION_KEY');
  return [current, ...[...known.values()].filter((key) => key !== current)].map((key) =>
    keyedHash(key, normalized),
  );
}

function keyedHash(key: Key, normalized: string): string {
  return `h:${createHmac('sha256', key.bytes).update(`name:${normalized}`).digest('base64url').slice(0, 32)}`;
}

export function currentKeyId(): string | undefined {
  return current?.id;
}

/** The ids of the configured keys (current and previous). */
export function configuredKeyIds(): string[] {
  return [...known.keys()];
}
