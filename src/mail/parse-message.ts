import { type AddressObject, type HeaderLines, simpleParser } from 'mailparser';
import { z } from 'zod';

/** A file a mail carried, as sent. */
export type MailAttachment = { fileName: string; content: Buffer };

/** What Haven reads from one mail: reporter text stays text (HTML is converted, never rendered). */
export type ParsedMessage = {
  subject: string;
  text: string;
  from: { address?: string; name?: string };
  to: string[];
  cc: string[];
  messageId?: string;
  inReplyTo?: string;
  references: string[];
  /** RFC 3834 `Auto-Submitted`, lower-cased (`no` or absent for mail a person sent). */
  autoSubmitted?: string;
  precedence?: string;
  listId?: string;
  /** Any `List-*` header: mail from a mailing list. */
  fromList: boolean;
  /** `Return-Path` as written; `<>` marks a bounce. */
  returnPath?: string;
  attachments: MailAttachment[];
  /** How the content was encrypted to the organisation, if it was. */
  encryption: 'none' | 'pgp-mime' | 'inline-pgp';
  /** Encrypted content that could not be decrypted stays as it came (the reason, for the team). */
  decryptionFailure?: string;
  decryptedWith?: string;
};

/** Decrypts an ASCII-armored OpenPGP message for the organisation the mail is for. */
export type Decrypt = (armored: string) => Promise<{ bytes: Uint8Array; fingerprint: string }>;

const PGP_BLOCK = /-----BEGIN PGP MESSAGE-----[\s\S]*?-----END PGP MESSAGE-----/;
const MESSAGE_ID = /^<[^<>\s]{1,900}>$/;
const email = z.email().max(254);

/** Whether these bytes start like a mail at all (a header field), or are something else sent to the port. */
export function looksLikeMail(raw: Buffer): boolean {
  const head = raw.subarray(0, 1000).toString('latin1');
  return /^(From .*\r?\n)?[!-9;-~]{1,76}:/.test(head);
}

/**
 * Parses one raw message; PGP/MIME (RFC 3156) and inline PGP content is decrypted with `decrypt`
 * and the decrypted MIME entity parsed again (its own text and attachments replace the envelope's).
 */
export async function parseMessage(raw: Buffer, decrypt?: Decrypt): Promise<ParsedMessage> {
  const mail = await simpleParser(raw, { skipImageLinks: true, maxHtmlLengthToParse: 5_000_000 });
  const lines = mail.headerLines;
  const header = (name: string) => headerValue(lines, name);
  const from: { address?: string; name?: string } = addresses(mail.from)[0] ?? {};
  const parsed: ParsedMessage = {
    subject: cleanLine(mail.subject ?? ''),
    text: bodyText(mail.text, mail.html),
    from: { address: validAddress(from.address), name: cleanLine(from.name ?? '') || undefined },
    to: addresses(mail.to).flatMap((a) => validAddress(a.address) ?? []),
    cc: addresses(mail.cc).flatMap((a) => validAddress(a.address) ?? []),
    messageId: messageIdOf(mail.messageId),
    inReplyTo: messageIdOf(mail.inReplyTo),
    references: [mail.references ?? []]
      .flat()
      .flatMap((r) => r.split(/\s+/))
      .flatMap((r) => messageIdOf(r) ?? [])
      .slice(0, 50),
    autoSubmitted: header('auto-submitted')?.toLowerCase().split(';')[0]?.trim(),
    precedence: header('precedence')?.toLowerCase(),
    listId: header('list-id'),
    fromList: lines.some((l) => l.key.startsWith('list-')),
    returnPath: header('return-path'),
    attachments: mail.attachments.map((a, i) => ({
      fileName: a.filename || `attachment-${i + 1}`,
      content: a.content,
    })),
    encryption: 'none',
  };

  const contentType = header('content-type')?.toLowerCase() ?? '';
  const pgpMime =
    contentType.startsWith('multipart/encrypted') && contentType.includes('application/pgp-encrypted');
  if (pgpMime) {
    parsed.encryption = 'pgp-mime';
    const armored = mail.attachments
      .map((a) => a.content.toString('latin1'))
      .find((content) => PGP_BLOCK.test(content));
    if (!decrypt || !armored) {
      parsed.decryptionFailure = armored ? 'no key to decrypt with' : 'no OpenPGP message found';
      return parsed;
    }
    try {
      const { bytes, fingerprint } = await decrypt(armored);
      const inner = await simpleParser(Buffer.from(bytes), { skipImageLinks: true });
      parsed.text = bodyText(inner.text, inner.html);
      parsed.attachments = inner.attachments.map((a, i) => ({
        fileName: a.filename || `attachment-${i + 1}`,
        content: a.content,
      }));
      parsed.decryptedWith = fingerprint;
    } catch (error) {
      parsed.decryptionFailure = (error as Error).message;
    }
    return parsed;
  }

  const block = PGP_BLOCK.exec(parsed.text);
  if (block) {
    parsed.encryption = 'inline-pgp';
    if (!decrypt) {
      parsed.decryptionFailure = 'no key to decrypt with';
      return parsed;
    }
    try {
      const { bytes, fingerprint } = await decrypt(block[0]);
      const clear = Buffer.from(bytes).toString('utf8');
      parsed.text = parsed.text.replace(block[0], () => clear.trim());
      parsed.decryptedWith = fingerprint;
    } catch (error) {
      parsed.decryptionFailure = (error as Error).message;
    }
  }
  return parsed;
}

function addresses(value: AddressObject | AddressObject[] | undefined) {
  return [value ?? []]
    .flat()
    .flatMap((a) => a.value)
    .flatMap((a) => (a.group ? a.group : [a]))
    .slice(0, 100);
}

function validAddress(address: string | undefined): string | undefined {
  const trimmed = address?.trim();
  return trimmed && email.safeParse(trimmed).success ? trimmed : undefined;
}

function messageIdOf(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed && MESSAGE_ID.test(trimmed) ? trimmed : undefined;
}

/** A header's value as one line (unfolded), from the raw header lines mailparser keeps. */
function headerValue(lines: HeaderLines, name: string): string | undefined {
  const line = lines.find((l) => l.key === name)?.line;
  if (line === undefined) return undefined;
  return line
    .slice(line.indexOf(':') + 1)
    .replace(/\r?\n[ \t]+/g, ' ')
    .trim();
}

/** Plain text PostgreSQL can store: no NUL or other control characters but tab and newline, valid Unicode. */
export function cleanText(value: string): string {
  return value
    .toWellFormed()
    .replace(/\r\n?/g, '\n')
    .replace(/\p{Cc}/gu, (char) => (char === '\n' || char === '\t' ? char : ''));
}

function cleanLine(value: string): string {
  return cleanText(value).replace(/\s+/g, ' ').trim();
}

function bodyText(text: string | undefined, html: string | false | undefined): string {
  // mailparser converts HTML-only mail to text itself; this is the fallback when it did not.
  const body = text ?? (typeof html === 'string' ? html.replace(/<[^>]*>/g, ' ') : '');
  return cleanText(body).trim();
}
