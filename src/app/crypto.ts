import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  hkdfSync,
  randomBytes,
  scrypt,
  timingSafeEqual,
} from 'node:crypto';

/**
 * The engine's cryptography, in one place: API token hashing, password
 * hashing, AES-256-GCM for secrets at rest, webhook signatures. Pure
 * functions of their inputs (plus the system's random source).
 */

/** A fresh random token for callers of the API: `wr_<base64url>` (32 random bytes). */
export function newApiToken(): string {
  return `wr_${randomBytes(32).toString('base64url')}`;
}

/** A random identifier with a prefix (`tok_…`, `usr_…`), 16 random bytes. */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(16).toString('base64url')}`;
}

/**
 * The stored form of an API token: HMAC-SHA256 under the server's pepper, hex.
 * Deterministic, so a presented token is found by its hash; without the pepper
 * a leaked table cannot be checked against guesses.
 */
export function hashApiToken(token: string, pepper: Buffer): string {
  return createHmac('sha256', pepper).update(token, 'utf8').digest('hex');
}

/** Derives a purpose-specific key from the server pepper (HKDF-SHA256), so one secret serves several uses. */
export function deriveKey(pepper: Buffer, purpose: string, length = 32): Buffer {
  return Buffer.from(hkdfSync('sha256', pepper, Buffer.alloc(0), `wirereport:${purpose}`, length));
}

/**
 * scrypt parameters for passwords: N = 2^15, r = 8, p = 1 (32 MiB, ~50-100 ms
 * on one core), 16-byte salt, 64-byte key. Stored with the hash so they can
 * be raised later without breaking old hashes.
 */
export const SCRYPT_PARAMS = { N: 1 << 15, r: 8, p: 1, keyLength: 64 } as const;

function scryptAsync(password: string, salt: Buffer, N: number, r: number, p: number, len: number) {
  return new Promise<Buffer>((resolve, reject) => {
    scrypt(password, salt, len, { N, r, p, maxmem: 256 * N * r }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/** Hashes a password: `scrypt$N$r$p$<salt b64>$<key b64>`. */
export async function hashPassword(password: string): Promise<string> {
  const { N, r, p, keyLength } = SCRYPT_PARAMS;
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, N, r, p, keyLength);
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** Whether `password` matches a hash made by `hashPassword` (constant-time compare). False for a malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  if (![N, r, p].every((n) => Number.isInteger(n) && n > 0) || N > 1 << 20) return false;
  const salt = Buffer.from(parts[4]!, 'base64');
  const expected = Buffer.from(parts[5]!, 'base64');
  const key = await scryptAsync(password, salt, N, r, p, expected.length);
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** Constant-time equality of two strings (false when lengths differ). */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

// ---------------------------------------------------------------------------
// Secrets at rest: AES-256-GCM

/** A 32-byte data key and its id (the first 16 hex digits of its SHA-256: names the key, reveals nothing). */
export interface DataKey {
  id: string;
  key: Buffer;
}

/**
 * Parses a data key given as base64 of exactly 32 bytes (`WIREREPORT_SECRET_KEY`).
 * Throws an Error naming `label` when it is not.
 */
export function parseDataKey(base64: string, label = 'WIREREPORT_SECRET_KEY'): DataKey {
  const key = Buffer.from(base64.trim(), 'base64');
  if (key.length !== 32) {
    throw new Error(`${label}: expected base64 of 32 random bytes, got ${key.length} bytes`);
  }
  return { id: createHash('sha256').update(key).digest('hex').slice(0, 16), key };
}

/** A new random data key (for `secrets rotate-key`), base64. */
export function newDataKeyBase64(): string {
  return randomBytes(32).toString('base64');
}

export interface Sealed {
  keyId: string;
  iv: string;
  tag: string;
  ciphertext: string;
}

/**
 * Encrypts `plaintext` under `key`. A fresh 12-byte IV every time; `aad`
 * (the secret's name) is authenticated, so a ciphertext cannot be moved to
 * another name unnoticed.
 */
export function seal(plaintext: string, key: DataKey, aad: string): Sealed {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key.key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return {
    keyId: key.id,
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    ciphertext: ciphertext.toString('base64'),
  };
}

/** Decrypts a sealed value. Throws when the key id does not match or the data was tampered with. */
export function open(sealed: Sealed, key: DataKey, aad: string): string {
  if (sealed.keyId !== key.id) throw new Error(`sealed under key ${sealed.keyId}, not ${key.id}`);
  const decipher = createDecipheriv('aes-256-gcm', key.key, Buffer.from(sealed.iv, 'base64'));
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
  return Buffer.concat([
    decipher.update(Buffer.from(sealed.ciphertext, 'base64')),
    decipher.final(),
  ]).toString('utf8');
}

// ---------------------------------------------------------------------------
// Webhook signatures

/**
 * The signature header of a webhook body: `t=<unix seconds>,v1=<hex>` with
 * v1 = HMAC-SHA256(secret, `${t}.${body}`).
 */
export function signWebhook(secret: string, body: string, unixSeconds: number): string {
  const v1 = createHmac('sha256', secret).update(`${unixSeconds}.${body}`, 'utf8').digest('hex');
  return `t=${unixSeconds},v1=${v1}`;
}

/**
 * Checks a webhook signature header against a body, as a receiver would:
 * the HMAC must match and `t` must be within `toleranceSeconds` of `nowSeconds`
 * (default 300 s), which stops replays of old deliveries.
 */
export function verifyWebhookSignature(
  secret: string,
  body: string,
  header: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  const fields = new Map(
    header.split(',').map((part) => {
      const i = part.indexOf('=');
      return [part.slice(0, i).trim(), part.slice(i + 1).trim()] as const;
    }),
  );
  const t = Number(fields.get('t'));
  const v1 = fields.get('v1');
  if (!Number.isInteger(t) || !v1 || Math.abs(nowSeconds - t) > toleranceSeconds) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${body}`, 'utf8').digest('hex');
  return safeEqual(expected, v1);
}

/** SHA-256 hex of a string (request bodies for idempotency). */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
