/**
 * Just enough RFC 5322 / MIME reading for mail Haven wrote itself (nodemailer's outbox files):
 * unfolded headers, RFC 2047 encoded words, and the text of the message, decoded from
 * quoted-printable or base64 in its charset. Not a general mail parser: incoming mail is not read here.
 */

export type MailHeaders = ReadonlyMap<string, string>;

/** The header block and the body of a raw message; header names lower-cased, the first of each kept. */
export function splitMessage(raw: Buffer): { headers: MailHeaders; body: Buffer } {
  const crlf = raw.indexOf('\r\n\r\n');
  const lf = raw.indexOf('\n\n');
  const [end, gap] =
    crlf !== -1 && (lf === -1 || crlf < lf) ? [crlf, 4] : lf !== -1 ? [lf, 2] : [raw.length, 0];
  const headers = new Map<string, string>();
  let name: string | undefined;
  let value = '';
  const keep = () => {
    if (name && !headers.has(name)) headers.set(name, value.trim());
  };
  for (const line of raw.subarray(0, end).toString('utf8').split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && name) {
      value += ` ${line.trim()}`;
      continue;
    }
    keep();
    const colon = line.indexOf(':');
    name = colon > 0 ? line.slice(0, colon).trim().toLowerCase() : undefined;
    value = colon > 0 ? line.slice(colon + 1) : '';
  }
  keep();
  return { headers, body: raw.subarray(Math.min(end + gap, raw.length)) };
}

function decodeCharset(bytes: Buffer, charset: string): string {
  try {
    return new TextDecoder(charset).decode(bytes);
  } catch {
    // An unknown charset label: UTF-8 shows most text right, and never throws.
    return bytes.toString('utf8');
  }
}

/** Quoted-printable (text given as latin1, one char per byte) to bytes. */
function decodeQuotedPrintable(latin1: string): Buffer {
  return Buffer.from(
    latin1
      .replace(/=[ \t]*\r?\n/g, '')
      .replace(/=([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))),
    'latin1',
  );
}

const ENCODED_WORD = /=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=/g;

/**
 * A header value with its RFC 2047 encoded words decoded. Adjacent words of one charset are decoded
 * together, since an encoder may split a multi-byte character between them.
 */
export function decodeHeader(value: string): string {
  let out = '';
  let pending: { charset: string; bytes: Buffer[] } | undefined;
  let last = 0;
  const flush = () => {
    if (pending) out += decodeCharset(Buffer.concat(pending.bytes), pending.charset);
    pending = undefined;
  };
  for (const match of value.matchAll(ENCODED_WORD)) {
    const [word, label = '', encoding = '', text = ''] = match;
    const between = value.slice(last, match.index);
    // RFC 2231 allows a language after the charset: UTF-8*nl.
    const charset = label.split('*')[0]?.toLowerCase() ?? 'utf-8';
    if (pending && /^\s*$/.test(between)) {
      if (pending.charset !== charset) flush();
    } else {
      flush();
      out += between;
    }
    const bytes =
      encoding.toLowerCase() === 'b'
        ? Buffer.from(text, 'base64')
        : decodeQuotedPrintable(text.replace(/_/g, ' '));
    pending ??= { charset, bytes: [] };
    pending.bytes.push(bytes);
    last = match.index + word.length;
  }
  flush();
  return out + value.slice(last);
}

function contentType(headers: MailHeaders): { mediaType: string; params: Map<string, string> } {
  const [type = '', ...rest] = (headers.get('content-type') ?? 'text/plain').split(';');
  const params = new Map<string, string>();
  for (const part of rest) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    params.set(
      part.slice(0, eq).trim().toLowerCase(),
      part
        .slice(eq + 1)
        .trim()
        .replace(/^"(.*)"$/, '$1'),
    );
  }
  return { mediaType: type.trim().toLowerCase() || 'text/plain', params };
}

function multipartParts(body: Buffer, boundary: string): { headers: MailHeaders; body: Buffer }[] {
  const delimiter = `--${boundary}`;
  const sections = body.toString('latin1').split(delimiter);
  // Before the first delimiter is the preamble; from the closing `--boundary--` on, the epilogue.
  const parts: { headers: MailHeaders; body: Buffer }[] = [];
  for (const section of sections.slice(1)) {
    if (section.startsWith('--')) break;
    const content = section.replace(/^[ \t]*\r?\n/, '').replace(/\r?\n$/, '');
    parts.push(splitMessage(Buffer.from(content, 'latin1')));
  }
  return parts;
}

/**
 * The readable text of a message: a single text part decoded, or of a multipart message its first
 * text/plain part (else its first text part, else its first part). HTML stays HTML source: it is
 * shown as text, never rendered.
 */
export function messageText(headers: MailHeaders, body: Buffer, depth = 0): string {
  const type = contentType(headers);
  const boundary = type.params.get('boundary');
  if (type.mediaType.startsWith('multipart/') && boundary && depth < 5) {
    const parts = multipartParts(body, boundary);
    const kind = (p: { headers: MailHeaders }) => contentType(p.headers).mediaType;
    const chosen =
      parts.find((p) => kind(p) === 'text/plain') ??
      parts.find((p) => kind(p).startsWith('text/') || kind(p).startsWith('multipart/')) ??
      parts[0];
    return chosen ? messageText(chosen.headers, chosen.body, depth + 1) : '';
  }
  const encoding = (headers.get('content-transfer-encoding') ?? '7bit').trim().toLowerCase();
  const bytes =
    encoding === 'base64'
      ? Buffer.from(body.toString('latin1').replace(/[^A-Za-z0-9+/=]/g, ''), 'base64')
      : encoding === 'quoted-printable'
        ? decodeQuotedPrintable(body.toString('latin1'))
        : body;
  return decodeCharset(bytes, type.params.get('charset') ?? 'utf-8');
}
