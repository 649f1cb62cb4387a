import {
  argon2,
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';

/**
 * The master key never encrypts data directly: it wraps per-purpose data keys (AES-256-GCM) and
 * derives purpose keys (cookies, CSRF, mail tags) with HKDF. Its id and check value let Haven refuse
 * a wrong key at start instead of corrupting data.
 */
export type MasterKey = Readonly<{ id: string; checkValue: string; secret: Buffer }>;

export type Keyring = Readonly<{
  current: MasterKey;
  /** Derives a 32-byte key for one purpose, e.g. 'session-cookie' or 'csrf'. */
  purposeKey(purpose: string): Buffer;
}>;

const HKDF_SALT = Buffer.from('haven/v1');

function hkdf(secret: Buffer, info: string, length = 32): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, HKDF_SALT, info, length));
}

export function generateMasterKeySecret(): Buffer {
  return randomBytes(32);
}

export function masterKeyFrom(secret: Buffer): MasterKey {
  if (secret.length !== 32) throw new Error('master key must be 32 bytes');
  return Object.freeze({
    id: hkdf(secret, 'master-key-id', 8).toString('hex'),
    checkValue: hkdf(secret, 'master-key-check', 32).toString('base64url'),
    secret,
  });
}

export function createKeyring(current: MasterKey): Keyring {
  const cache = new Map<string, Buffer>();
  return Object.freeze({
    current,
    purposeKey(purpose: string) {
      let key = cache.get(purpose);
      if (!key) {
        key = hkdf(current.secret, `purpose:${purpose}`);
        cache.set(purpose, key);
      }
      return key;
    },
  });
}

// ---- authenticated encryption -------------------------------------------------------------------

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** AES-256-GCM: iv ‖ ciphertext ‖ tag. `aad` binds the ciphertext to its context (e.g. a key id). */
export function seal(key: Buffer, plaintext: Uint8Array, aad?: string): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  if (aad) cipher.setAAD(Buffer.from(aad));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]);
}

export function open(key: Buffer, sealed: Uint8Array, aad?: string): Buffer {
  const data = Buffer.from(sealed);
  if (data.length < IV_BYTES + TAG_BYTES) throw new Error('sealed data too short');
  const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
  if (aad) decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
  return Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
}

/**
 * The AAD of a wrapped data key: master-key id, purpose and the data key's own id (its row), so a
 * wrapped key opens only in the row it was made for. The id comes last and holds no ':'.
 */
function wrapContext(master: MasterKey, purpose: string, keyId: string): string {
  if (!keyId || keyId.includes(':')) throw new Error('a data key id must be non-empty and hold no ":"');
  return `${master.id}:${purpose}:${keyId}`;
}

/** Wraps a data key under a master key; the master-key id, purpose and data-key id are bound as AAD. */
export function wrapKey(master: MasterKey, dataKey: Buffer, purpose: string, keyId: string): Buffer {
  return seal(hkdf(master.secret, 'key-wrap'), dataKey, wrapContext(master, purpose, keyId));
}

export function unwrapKey(master: MasterKey, wrapped: Uint8Array, purpose: string, keyId: string): Buffer {
  return open(hkdf(master.secret, 'key-wrap'), wrapped, wrapContext(master, purpose, keyId));
}

// ---- secrets handed to people: tokens, links ----------------------------------------------------

/** A random secret of 256 bits, URL-safe. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** Tokens are stored only as their SHA-256: a leaked database does not leak usable tokens. */
export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

export function hmac(key: Buffer, value: string): Buffer {
  return createHmac('sha256', key).update(value, 'utf8').digest();
}

export function safeEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

// ---- passwords: argon2id in PHC string format --------------------------------------------------

export type PasswordHashParams = { memory: number; passes: number; parallelism: number };

/** OWASP's argon2id baseline (19 MiB, 2 passes, 1 lane): ~30 ms here. */
export const DEFAULT_PASSWORD_PARAMS: PasswordHashParams = { memory: 19456, passes: 2, parallelism: 1 };

function argon2id(password: string, salt: Buffer, p: PasswordHashParams, tagLength: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    argon2(
      'argon2id',
      {
        message: Buffer.from(password.normalize('NFKC'), 'utf8'),
        nonce: salt,
        parallelism: p.parallelism,
        memory: p.memory,
        passes: p.passes,
        tagLength,
      },
      (err, derived) => (err ? reject(err) : resolve(Buffer.from(derived))),
    );
  });
}

export async function hashPassword(password: string, params = DEFAULT_PASSWORD_PARAMS): Promise<string> {
  const salt = randomBytes(16);
  const hash = await argon2id(password, salt, params, 32);
  const b64 = (b: Buffer) => b.toString('base64').replace(/=+$/, '');
  return `$argon2id$v=19$m=${params.memory},t=${params.passes},p=${params.parallelism}$${b64(salt)}$${b64(hash)}`;
}

const PHC = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

export async function verifyPassword(password: string, phc: string): Promise<boolean> {
  const m = PHC.exec(phc);
  if (!m) return false;
  const [, memory, passes, parallelism, salt, hash] = m as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const expected = Buffer.from(hash, 'base64');
  const actual = await argon2id(
    password,
    Buffer.from(salt, 'base64'),
    { memory: Number(memory), passes: Number(passes), parallelism: Number(parallelism) },
    expected.length,
  );
  return safeEqual(actual, expected);
}

/** A hash to verify against when the account does not exist, so timing does not reveal which e-mails exist. */
export const DUMMY_PASSWORD_HASH = await hashPassword(randomToken(), DEFAULT_PASSWORD_PARAMS);
