import MailComposer from 'nodemailer/lib/mail-composer';
import MimeNode from 'nodemailer/lib/mime-node';
import * as openpgp from 'openpgp';

/** The recipient's key cannot be read or has no usable encryption key (expired, revoked, none). */
export class RecipientKeyError extends Error {
  readonly reason: 'unreadable' | 'unusable';
  constructor(reason: 'unreadable' | 'unusable', cause: unknown) {
    super(`the recipient's OpenPGP key is ${reason}`, { cause });
    this.reason = reason;
  }
}

export type PgpMimeMessage = {
  from: string;
  to: string;
  /** The real subject: it travels inside the encrypted part only. */
  subject: string;
  /** The subject on the outside, which everyone on the way can read. */
  outerSubject: string;
  text: string;
  messageId: string;
  references?: string;
  /** Headers for the outside only (Auto-Submitted, …). */
  headers?: Record<string, string>;
  date: Date;
};

async function encryptionKey(armoredKey: string, date: Date): Promise<openpgp.Key> {
  let key: openpgp.Key;
  try {
    key = await openpgp.readKey({ armoredKey });
  } catch (error) {
    throw new RecipientKeyError('unreadable', error);
  }
  try {
    await key.getEncryptionKey(undefined, date);
  } catch (error) {
    throw new RecipientKeyError('unusable', error);
  }
  return key;
}

/**
 * A PGP/MIME message (RFC 3156 §4) encrypted to `armoredKey`, and signed inside the encryption
 * with `signingKey` when given (the combined form of RFC 3156 §6.2): the whole body, with the real
 * subject as a protected header (the inner part's header block, marked `protected-headers="v1"`),
 * becomes one OpenPGP message; the outside shows `outerSubject` only. Both the inner entity and
 * the outer `multipart/encrypted` are built by nodemailer. Throws RecipientKeyError when the key
 * cannot be used, before anything is built.
 */
export async function buildPgpMime(
  message: PgpMimeMessage,
  armoredKey: string,
  signingKey?: () => Promise<openpgp.PrivateKey>,
): Promise<Buffer> {
  const key = await encryptionKey(armoredKey, message.date);
  const signingKeys = signingKey ? [await signingKey()] : [];
  const inner = new MailComposer({
    from: message.from,
    to: message.to,
    subject: message.subject,
    text: message.text,
    messageId: message.messageId,
    references: message.references,
    date: message.date,
  }).compile();
  inner.setHeader('Content-Type', `${String(inner.getHeader('Content-Type'))}; protected-headers="v1"`);
  // Built with CRLF, the canonical form RFC 3156 asks for before encryption.
  const entity = await inner.build();
  const armored = await openpgp.encrypt({
    message: await openpgp.createMessage({ binary: entity, date: message.date }),
    encryptionKeys: key,
    signingKeys,
    date: message.date,
  });

  const outer = new MimeNode('multipart/encrypted; protocol="application/pgp-encrypted"');
  outer.setHeader({
    ...message.headers,
    From: message.from,
    To: message.to,
    Subject: message.outerSubject,
    'Message-ID': message.messageId,
    Date: message.date,
    ...(message.references ? { References: message.references } : {}),
  });
  outer
    .createChild('application/pgp-encrypted')
    .setHeader('Content-Description', 'PGP/MIME version identification')
    .setHeader('Content-Transfer-Encoding', '7bit')
    .setContent('Version: 1\r\n');
  outer
    .createChild('application/octet-stream; name="encrypted.asc"')
    .setHeader('Content-Description', 'OpenPGP encrypted message')
    .setHeader('Content-Disposition', 'inline; filename="encrypted.asc"')
    .setHeader('Content-Transfer-Encoding', '7bit')
    .setContent(armored);
  return outer.build();
}
