import * as openpgp from 'openpgp';
import type { Verification } from '../openpgp/decrypt-for-organisation.ts';

/**
 * OpenPGP signed content of a mail, kept until Haven knows which keys to try: the reporter's key
 * when the mail answers a case, keys the mail itself offers (attached, or in an Autocrypt header).
 */
export type SignedContent = {
  /** How it was signed: PGP/MIME `multipart/signed`, inside the encryption, or inline cleartext. */
  kind: 'pgp-mime' | 'encrypted' | 'inline';
  keyIds: string[];
  /** The signature covers only part of the text shown (inline signed block with other text around it). */
  partial?: boolean;
  verify(keys: openpgp.PublicKey[]): Promise<Verification[]>;
};

/** Where a key Haven tried came from. */
export type KeySource = 'reporter' | 'attached' | 'autocrypt';
/** A public key to try, armored or binary, as found. */
export type OfferedKey = { armored?: string; binary?: Uint8Array; source: KeySource };

/**
 * The outcome, shown to the team: `valid` (with the signer's fingerprint and whether a user ID of
 * the key names the sender), `invalid` (a key Haven has says the content was altered or the
 * signature is bad), `unknown_key` (signed by a key Haven does not know), `unreadable` (the
 * signature itself could not be read), `none` (not signed).
 */
export type SignatureCheck = {
  status: 'valid' | 'invalid' | 'unknown_key' | 'unreadable' | 'none';
  kind?: SignedContent['kind'];
  keyIds?: string[];
  signer?: string;
  keySource?: KeySource;
  signerIsSender?: boolean;
  /** When the signer says they signed (ISO 8601). */
  signedAt?: string;
  /** Other text in the mail is not covered by the signature. */
  partial?: boolean;
};

const MAX_KEY_BYTES = 50_000;
/** Attachments that may hold a key: typed or named as one, at most this many looked at. */
const KEY_FILE = /\.(asc|gpg|pgp|pub|key)$/i;
const MAX_KEY_FILES = 5;

/**
 * The first ASCII-armored block of `kind` (`PUBLIC KEY BLOCK`, `MESSAGE`, …) in `text`, found in
 * linear time (a lazy regular expression is quadratic in the number of BEGIN lines a sender sends).
 * `endKind` when the block ends with another label (a signed message ends with its signature).
 */
export function armoredBlock(text: string, kind: string, endKind = kind): string | undefined {
  const begin = text.indexOf(`-----BEGIN PGP ${kind}-----`);
  if (begin < 0) return undefined;
  const endMarker = `-----END PGP ${endKind}-----`;
  const end = text.indexOf(endMarker, begin);
  return end < 0 ? undefined : text.slice(begin, end + endMarker.length);
}

export function signedContent(
  kind: SignedContent['kind'],
  keyIds: openpgp.KeyID[],
  verify: SignedContent['verify'],
): SignedContent {
  return { kind, keyIds: keyIds.map((id) => id.toHex()), verify };
}

/** Detached PGP/MIME signature (RFC 3156 §5) over the raw first part of `multipart/signed`. */
export async function detachedSignature(
  signedPart: Buffer,
  armoredSignature: string,
): Promise<SignedContent> {
  const signature = await openpgp.readSignature({ armoredSignature });
  return signedContent(
    'pgp-mime',
    signature.getSigningKeyIDs(),
    async (verificationKeys) =>
      (
        await openpgp.verify({
          message: await openpgp.createMessage({ binary: new Uint8Array(signedPart) }),
          signature,
          verificationKeys,
        })
      ).signatures,
  );
}

/** An inline cleartext-signed block (`-----BEGIN PGP SIGNED MESSAGE-----`) and the text it signs. */
export async function cleartextSignature(block: string): Promise<{ text: string; signed: SignedContent }> {
  const message = await openpgp.readCleartextMessage({ cleartextMessage: block });
  return {
    text: message.getText(),
    signed: signedContent('inline', message.getSigningKeyIDs(), (keys) => message.verify(keys)),
  };
}

/** Public keys a mail offers: attached (armored or binary `application/pgp-keys`) and Autocrypt's `keydata`. */
export function offeredKeys(
  attachments: { content: Buffer; contentType?: string; filename?: string }[],
  autocrypt: string | undefined,
): OfferedKey[] {
  const keys: OfferedKey[] = [];
  const keyFiles = attachments
    .filter((a) => a.contentType?.toLowerCase() === 'application/pgp-keys' || KEY_FILE.test(a.filename ?? ''))
    .slice(0, MAX_KEY_FILES);
  for (const attachment of keyFiles) {
    if (attachment.content.length > MAX_KEY_BYTES) continue;
    const armored = armoredBlock(attachment.content.toString('latin1'), 'PUBLIC KEY BLOCK');
    if (armored) keys.push({ armored, source: 'attached' });
    else if (attachment.contentType?.toLowerCase() === 'application/pgp-keys')
      keys.push({ binary: new Uint8Array(attachment.content), source: 'attached' });
  }
  const keydata = autocrypt && /(?:^|;)\s*keydata=([A-Za-z0-9+/=\s]+)/.exec(autocrypt)?.[1];
  if (keydata && keydata.length <= MAX_KEY_BYTES * 2)
    keys.push({
      binary: new Uint8Array(Buffer.from(keydata.replace(/\s/g, ''), 'base64')),
      source: 'autocrypt',
    });
  return keys.slice(0, 5);
}

type ReadKey = { key: openpgp.PublicKey; armored: string; source: KeySource };

async function readCandidate(candidate: OfferedKey): Promise<ReadKey | undefined> {
  try {
    const key = candidate.armored
      ? await openpgp.readKey({ armoredKey: candidate.armored })
      : candidate.binary
        ? await openpgp.readKey({ binaryKey: candidate.binary })
        : undefined;
    if (!key || key.isPrivate()) return undefined;
    return { key: key as openpgp.PublicKey, armored: key.armor(), source: candidate.source };
  } catch {
    return undefined;
  }
}

function namesSender(key: openpgp.PublicKey, sender: string | undefined): boolean {
  if (!sender) return false;
  const address = sender.toLowerCase();
  return key.users.some((user) => user.userID?.email?.toLowerCase() === address);
}

/**
 * Checks the signature with each candidate key in turn (the reporter's first). Never throws: a
 * broken signature or key is an outcome for the team, not a reason to lose the mail.
 */
export async function checkSignature(
  signed: SignedContent | undefined,
  candidates: OfferedKey[],
  sender: string | undefined,
  date: Date,
): Promise<SignatureCheck> {
  if (!signed) return { status: 'none' };
  const base = { kind: signed.kind, keyIds: signed.keyIds, ...(signed.partial ? { partial: true } : {}) };
  const keys = (await Promise.all(candidates.map(readCandidate))).filter((k) => k !== undefined);
  let invalid = false;
  for (const { key, source } of keys) {
    const ids = key.getKeyIDs().map((id) => id.toHex());
    if (!signed.keyIds.some((id) => ids.includes(id))) continue;
    try {
      const results = await signed.verify([key]);
      for (const result of results) {
        if (!ids.includes(result.keyID.toHex())) continue;
        await result.verified;
        const signature = await result.signature;
        const created = signature.packets[0]?.created;
        // A signature from the future (clock skew aside) is not evidence of anything yet.
        if (created && created.getTime() > date.getTime() + 24 * 3600_000)
          throw new Error('signature from the future');
        return {
          ...base,
          status: 'valid',
          signer: key.getFingerprint(),
          keySource: source,
          signerIsSender: namesSender(key, sender),
          ...(created ? { signedAt: created.toISOString() } : {}),
        };
      }
    } catch {
      invalid = true;
    }
  }
  return { ...base, status: invalid ? 'invalid' : 'unknown_key' };
}

/**
 * A key the mail offered that may become the reporter's key for the case: one whose user ID names
 * the sender and that can be encrypted to now (an expired key would only hide Haven's answers).
 */
export async function adoptableKey(
  offered: OfferedKey[],
  sender: string | undefined,
  date: Date,
): Promise<string | undefined> {
  for (const candidate of offered) {
    const read = await readCandidate(candidate);
    if (!read || !namesSender(read.key, sender)) continue;
    try {
      await read.key.getEncryptionKey(undefined, date);
      return read.armored;
    } catch {}
  }
  return undefined;
}
