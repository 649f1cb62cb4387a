import { type AddressObject, type HeaderLines, type ParsedMail, simpleParser } from 'mailparser';
import { z } from 'zod';
import type { DecryptedMessage } from '../openpgp/decrypt-for-organisation.ts';
import {
  armoredBlock,
  cleartextSignature,
  detachedSignature,
  type OfferedKey,
  offeredKeys,
  type SignedContent,
  signedContent,
} from './mail-signature.ts';

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
  /** An automatic answer to some other mail (RFC 3834 `auto-replied`, or an out-of-office marker). */
  autoReply: boolean;
  /** `Return-Path` as written; `<>` marks a bounce. */
  returnPath?: string;
  attachments: MailAttachment[];
  /** How the content was encrypted to the organisation, if it was. */
  encryption: 'none' | 'pgp-mime' | 'inline-pgp';
  /** Encrypted content that could not be decrypted stays as it came (the reason, for the team). */
  decryptionFailure?: string;
  decryptedWith?: string;
  /** OpenPGP-signed content, checked once Haven knows which keys to try (mail-signature.ts). */
  signed?: SignedContent;
  /** A signature that could not even be read (the reason, for the team). */
  signatureFailure?: string;
  /** Public keys the mail offers: attached, or in an Autocrypt header. */
  offeredKeys: OfferedKey[];
  /** A delivery status notification (RFC 3464): what the reporting server said about the first recipient. */
  deliveryStatus?: DeliveryStatus;
};

/** One recipient's fields of a DSN; `diagnostic` with every mail address in it masked. */
export type DeliveryStatus = { action?: string; status?: string; diagnostic?: string; reportingMta?: string };

/** Decrypts an ASCII-armored OpenPGP message for the organisation the mail is for. */
export type Decrypt = (armored: string) => Promise<DecryptedMessage>;

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
    autoReply: false,
    returnPath: header('return-path'),
    attachments: attachmentsOf(mail),
    encryption: 'none',
    offeredKeys: offeredKeys(mail.attachments, header('autocrypt')),
    deliveryStatus: deliveryStatusOf(raw, mail),
  };
  parsed.autoReply =
    parsed.autoSubmitted === 'auto-replied' ||
    parsed.precedence === 'auto_reply' ||
    lines.some((l) => l.key === 'x-autoreply' || l.key === 'x-autorespond');

  const contentType = header('content-type')?.toLowerCase() ?? '';
  const pgpMime =
    contentType.startsWith('multipart/encrypted') && contentType.includes('application/pgp-encrypted');
  if (pgpMime) {
    parsed.encryption = 'pgp-mime';
    const armored = mail.attachments
      .map((a) => armoredBlock(a.content.toString('latin1'), 'MESSAGE'))
      .find((block) => block !== undefined);
    if (!decrypt || !armored) {
      parsed.decryptionFailure = armored ? 'no key to decrypt with' : 'no OpenPGP message found';
      return parsed;
    }
    try {
      const decrypted = await decrypt(armored);
      const entity = Buffer.from(decrypted.bytes);
      const inner = await simpleParser(entity, { skipImageLinks: true });
      parsed.text = bodyText(inner.text, inner.html);
      parsed.attachments = attachmentsOf(inner);
      parsed.offeredKeys = [...offeredKeys(inner.attachments, undefined), ...parsed.offeredKeys];
      parsed.decryptedWith = decrypted.fingerprint;
      // Signed then encrypted: a signed entity inside (RFC 3156 §6.1), or signatures in the encryption (§6.2).
      if (!(await readSignedEntity(parsed, entity, inner)) && decrypted.signingKeyIds.length > 0)
        parsed.signed = signedContent('encrypted', decrypted.signingKeyIds, decrypted.verify);
    } catch (error) {
      parsed.decryptionFailure = (error as Error).message;
    }
    return parsed;
  }
  if (await readSignedEntity(parsed, raw, mail)) return parsed;

  const cleartext = armoredBlock(parsed.text, 'SIGNED MESSAGE', 'SIGNATURE');
  if (cleartext) {
    try {
      const { text, signed } = await cleartextSignature(cleartext);
      // Text and files around the signed block are the sender's too, but the signature does not cover them.
      signed.partial = parsed.text.replace(cleartext, '').trim().length > 0 || parsed.attachments.length > 0;
      parsed.text = parsed.text.replace(cleartext, () => cleanText(text).trim());
      parsed.signed = signed;
    } catch (error) {
      parsed.signatureFailure = (error as Error).message.slice(0, 200);
    }
    return parsed;
  }

  const block = armoredBlock(parsed.text, 'MESSAGE');
  if (block) {
    parsed.encryption = 'inline-pgp';
    if (!decrypt) {
      parsed.decryptionFailure = 'no key to decrypt with';
      return parsed;
    }
    try {
      const decrypted = await decrypt(block);
      const clear = cleanText(Buffer.from(decrypted.bytes).toString('utf8'));
      const outside = parsed.text.replace(block, '').trim().length > 0 || parsed.attachments.length > 0;
      parsed.text = parsed.text.replace(block, () => clear.trim());
      parsed.decryptedWith = decrypted.fingerprint;
      if (decrypted.signingKeyIds.length > 0) {
        parsed.signed = signedContent('encrypted', decrypted.signingKeyIds, decrypted.verify);
        parsed.signed.partial = outside;
      }
    } catch (error) {
      parsed.decryptionFailure = (error as Error).message;
    }
  }
  return parsed;
}

const SIGNATURE_TYPE = 'application/pgp-signature';

/** The Content-Type of a parsed entity, as mailparser keeps it: the type and its parameters. */
function contentTypeOf(mail: ParsedMail): { value?: string; params?: Record<string, string> } | undefined {
  return mail.headers.get('content-type') as { value?: string; params?: Record<string, string> } | undefined;
}
const ADDRESS = /<?[^\s<>@"]{1,64}@[^\s<>@"]{1,255}>?/g;

/** Text a mail server wrote about a delivery, with every mail address in it replaced by `[address]`. */
export function maskAddresses(text: string): string {
  return cleanLine(text).replace(ADDRESS, '[address]');
}

/**
 * The `message/delivery-status` part of a `multipart/report` (RFC 3464 §2), when the mail is a DSN.
 * Read from the raw message: mailparser folds that part into the text.
 */
function deliveryStatusOf(raw: Buffer, mail: ParsedMail): DeliveryStatus | undefined {
  const type = contentTypeOf(mail);
  if (type?.value?.toLowerCase() !== 'multipart/report' || !type.params?.boundary) return undefined;
  const part = (bodyParts(raw, type.params.boundary) ?? [])
    .map((p) => p.toString('latin1'))
    .find(
      (p) =>
        /^content-type:[ \t]*message\/delivery-status/im.exec(p.slice(0, p.indexOf('\r\n\r\n')))?.index !==
        undefined,
    );
  if (!part || part.length > 100_000) return undefined;
  // Per-message fields, a blank line, then one block per recipient; continuation lines are folded.
  const blocks = part
    .slice(part.indexOf('\r\n\r\n') + 4)
    .replace(/\r\n?/g, '\n')
    .replace(/\n[ \t]+/g, ' ')
    .split(/\n\s*\n/)
    .map((block) => {
      const fields = new Map<string, string>();
      for (const line of block.split('\n')) {
        const colon = line.indexOf(':');
        if (colon > 0) fields.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
      }
      return fields;
    });
  const message = blocks[0];
  const recipient = blocks.slice(1).find((b) => b.has('action') || b.has('status')) ?? message;
  const field = (value: string | undefined, max: number) =>
    value ? maskAddresses(value).slice(0, max) || undefined : undefined;
  return {
    action: field(recipient?.get('action')?.toLowerCase(), 20),
    status: field(recipient?.get('status'), 20),
    diagnostic: field(recipient?.get('diagnostic-code'), 500),
    reportingMta: field(message?.get('reporting-mta'), 200),
  };
}

function attachmentsOf(mail: ParsedMail): MailAttachment[] {
  return mail.attachments
    .filter((a) => a.contentType.toLowerCase() !== SIGNATURE_TYPE)
    .map((a, i) => ({ fileName: a.filename || `attachment-${i + 1}`, content: a.content }));
}

/**
 * PGP/MIME signed (RFC 3156 §5): `multipart/signed` whose signature covers the first part exactly
 * as it was sent, headers included, in canonical CRLF form. True when the entity is one. What the
 * team reads is then taken from the signed part alone: a mail with other parts, or whose parts
 * cannot be told apart exactly, is not counted as signed at all (its text stays as mailparser read
 * it), so a valid signature can never vouch for text it does not cover.
 */
async function readSignedEntity(parsed: ParsedMessage, raw: Buffer, mail: ParsedMail): Promise<boolean> {
  const type = contentTypeOf(mail);
  if (type?.value?.toLowerCase() !== 'multipart/signed') return false;
  if (type.params?.protocol?.toLowerCase() !== SIGNATURE_TYPE) return false;
  const parts = type.params.boundary ? bodyParts(raw, type.params.boundary) : undefined;
  const [signedPart, signaturePart] = parts ?? [];
  const signature = signaturePart
    ? (await simpleParser(signaturePart)).attachments.find(
        (a) => a.contentType.toLowerCase() === SIGNATURE_TYPE,
      )
    : undefined;
  if (parts?.length !== 2 || !signedPart || !signature) {
    parsed.signatureFailure = 'not a well-formed PGP/MIME signed message (a signed part and a signature)';
    return true;
  }
  try {
    parsed.signed = await detachedSignature(signedPart, signature.content.toString('latin1'));
  } catch (error) {
    parsed.signatureFailure = (error as Error).message.slice(0, 200);
    return true;
  }
  const inner = await simpleParser(signedPart, { skipImageLinks: true });
  parsed.text = bodyText(inner.text, inner.html);
  parsed.attachments = attachmentsOf(inner);
  return true;
}

/**
 * The body parts of a multipart entity, each as sent (headers included, CRLF line ends), read
 * strictly: a delimiter is a line of exactly `--boundary` (trailing blanks allowed, RFC 2046 §5.1.1),
 * and the list must end with `--boundary--`. Undefined when it does not, or holds more than 50 parts.
 */
function bodyParts(raw: Buffer, boundary: string): Buffer[] | undefined {
  const text = raw.toString('latin1').replace(/\r?\n/g, '\r\n');
  const headerEnd = text.indexOf('\r\n\r\n');
  if (headerEnd < 0) return undefined;
  const delimiter = `--${boundary}`;
  const parts: string[][] = [];
  let current: string[] | undefined;
  for (const line of text.slice(headerEnd + 4).split('\r\n')) {
    const bare = line.replace(/[ \t]+$/, '');
    if (bare === delimiter || bare === `${delimiter}--`) {
      if (current) parts.push(current);
      if (parts.length > 50) return undefined;
      if (bare !== delimiter) return parts.map((p) => Buffer.from(p.join('\r\n'), 'latin1'));
      current = [];
    } else current?.push(line);
  }
  return undefined;
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
