import fs from 'node:fs';
import path from 'node:path';
import { createTransport, type SendMailOptions, type Transporter } from 'nodemailer';
import type * as openpgp from 'openpgp';
import { type Clock, systemClock } from './clock.ts';
import { randomToken } from './crypto.ts';
import type { Logger } from './logger.ts';
import { buildPgpMime, RecipientKeyError } from './pgp-mime.ts';

export type OutgoingMail = {
  to: string;
  subject: string;
  text: string;
  headers?: Record<string, string>;
  messageId?: string;
  /** Message-IDs this mail follows (RFC 5322 §3.6.4), for threading in mail clients. */
  references?: string;
  /** The envelope sender (SMTP `MAIL FROM`), where bounces go; the From address when not given. */
  envelopeFrom?: string;
  /** The organisation the mail is about: the dev mailbox shows each organisation only its own. */
  organisationId?: string;
  /** An ASCII-armored OpenPGP public key: the mail goes out as PGP/MIME (RFC 3156) encrypted to it. */
  encryptTo?: string;
  /** With `encryptTo`: the Subject outside the encryption (the real one is sent inside). */
  protectedSubject?: string;
  /** With `encryptTo`: the whole text sent instead when the key cannot be used. */
  keyUnusableText?: string;
  /** With `encryptTo`: the sender's OpenPGP key to sign the encrypted message with. */
  signingKey?: () => Promise<openpgp.PrivateKey>;
};

/**
 * How a mail went out: `pgp-mime` encrypted as asked; `key-unusable` when `encryptTo` could not be
 * used, so only the neutral `keyUnusableText` was sent; `none` when no encryption was asked for.
 */
export type MailEncryption = 'none' | 'pgp-mime' | 'key-unusable';

export type SentMail = { messageId: string; encryption: MailEncryption };

/** Signs every outgoing mail (RFC 6376) when configured. */
export type DkimKey = { domainName: string; keySelector: string; privateKey: string };

/**
 * Whether a send failed because the relay refused the recipient for good (RCPT TO answered 5xx):
 * a bounce, not worth retrying. Anything else — a refused sign-in, a refused sender, no connection,
 * a 4xx — is the relay's or the setup's trouble: the mail must be tried again, never dropped.
 */
export function recipientRefused(error: unknown): boolean {
  const e = (error ?? {}) as { code?: unknown; command?: unknown; responseCode?: unknown };
  return (
    e.code === 'EENVELOPE' &&
    e.command === 'RCPT TO' &&
    typeof e.responseCode === 'number' &&
    e.responseCode >= 500 &&
    e.responseCode <= 599
  );
}

/** Outbox files only: which organisation a message belongs to (never sent over SMTP). */
export const OUTBOX_ORGANISATION_HEADER = 'X-Haven-Organisation';

export type Mailer = {
  send(mail: OutgoingMail): Promise<SentMail>;
  close(): void;
  /** Where mail lands when there is no SMTP relay (the embedded default), else undefined. */
  outboxDir: string | undefined;
};

const ENCRYPTED_SUBJECT = 'Encrypted message';
const KEY_UNUSABLE_TEXT =
  'You have a new message. It could not be encrypted to your OpenPGP key, so it is not included here.';

/**
 * Outgoing mail goes through `SMTP_URL` when set, otherwise into `.eml` files in the outbox directory
 * (written whole, then renamed into place, so a reader never sees half a message).
 * A mail to encrypt whose key is unusable is not lost and does not leak: a neutral notice goes
 * instead, and the outcome is returned and logged (without the address or the key).
 */
export function createMailer(options: {
  smtpUrl: string | undefined;
  outboxDir: string;
  from: string;
  dkim?: DkimKey | undefined;
  log?: Logger;
  /** Dates the encrypted mail and its signature: a key made at Haven's "now" is valid then. */
  clock?: Clock;
}): Mailer {
  const transport: Transporter = options.smtpUrl
    ? createTransport(options.smtpUrl)
    : createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  if (!options.smtpUrl) fs.mkdirSync(options.outboxDir, { recursive: true, mode: 0o700 });
  const from = options.from;
  const mailHost = from.slice(from.lastIndexOf('@') + 1);

  async function compose(mail: OutgoingMail): Promise<{ data: SendMailOptions; encryption: MailEncryption }> {
    const headers =
      !options.smtpUrl && mail.organisationId
        ? { ...mail.headers, [OUTBOX_ORGANISATION_HEADER]: mail.organisationId }
        : mail.headers;
    const envelope = { from: mail.envelopeFrom ?? from, to: mail.to };
    const plain = {
      from,
      to: mail.to,
      envelope,
      headers,
      messageId: mail.messageId,
      references: mail.references,
    };
    if (!mail.encryptTo) {
      return { data: { ...plain, subject: mail.subject, text: mail.text }, encryption: 'none' };
    }
    const outerSubject = mail.protectedSubject ?? ENCRYPTED_SUBJECT;
    const messageId = mail.messageId ?? `<${randomToken(18)}@${mailHost}>`;
    try {
      const raw = await buildPgpMime(
        {
          from,
          to: mail.to,
          subject: mail.subject,
          outerSubject,
          text: mail.text,
          messageId,
          references: mail.references,
          headers,
          date: (options.clock ?? systemClock).now(),
        },
        mail.encryptTo,
        mail.signingKey,
      );
      return { data: { raw, envelope, messageId }, encryption: 'pgp-mime' };
    } catch (error) {
      if (!(error instanceof RecipientKeyError)) throw error;
      options.log?.warn(
        { organisationId: mail.organisationId, reason: error.reason },
        "mail: the recipient's OpenPGP key cannot be used; sent a notice without the message instead",
      );
      return {
        data: { ...plain, messageId, subject: outerSubject, text: mail.keyUnusableText ?? KEY_UNUSABLE_TEXT },
        encryption: 'key-unusable',
      };
    }
  }

  return {
    outboxDir: options.smtpUrl ? undefined : options.outboxDir,
    async send(mail) {
      const { data, encryption } = await compose(mail);
      const info = await transport.sendMail(options.dkim ? { ...data, dkim: options.dkim } : data);
      const messageId = String(info.messageId);
      if (!options.smtpUrl) {
        const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomToken(6)}.eml`;
        const tmp = path.join(options.outboxDir, `.${name}.tmp`);
        // As a receiving server would: the envelope sender on top, in `Return-Path`.
        const returnPath = Buffer.from(`Return-Path: <${mail.envelopeFrom ?? from}>\n`);
        const message = (info as unknown as { message: Buffer }).message;
        fs.writeFileSync(tmp, Buffer.concat([returnPath, message]), { mode: 0o600 });
        fs.renameSync(tmp, path.join(options.outboxDir, name));
      }
      return { messageId, encryption };
    },
    close() {
      transport.close();
    },
  };
}
