/**
 * A validator for security.txt files, after RFC 9116 sections 2–3 and the ABNF of section 4. Every
 * finding has a stable code; errors make a file invalid, warnings are what the RFC only recommends
 * (or tells readers to ignore). Cryptographic signature checks are not its job: it checks the
 * cleartext framing (RFC 9580 §7) and hands back the signed text; verify with OpenPGP.
 */

export const SECURITY_TXT_CODES = [
  'security_txt.not_utf8',
  'security_txt.byte_order_mark',
  'security_txt.content_type',
  'security_txt.bad_signature_framing',
  'security_txt.invalid_line',
  'security_txt.missing_final_newline',
  'security_txt.unknown_field',
  'security_txt.contact_missing',
  'security_txt.expires_missing',
  'security_txt.expires_multiple',
  'security_txt.expires_invalid',
  'security_txt.expires_in_past',
  'security_txt.expires_too_far',
  'security_txt.preferred_languages_multiple',
  'security_txt.preferred_languages_invalid',
  'security_txt.invalid_uri',
  'security_txt.insecure_uri',
  'security_txt.canonical_mismatch',
  'security_txt.canonical_recommended',
] as const;
export type SecurityTxtCode = (typeof SECURITY_TXT_CODES)[number];

export type SecurityTxtFinding = {
  code: SecurityTxtCode;
  /** 1-based line in the file as given; 0 for the file as a whole. */
  line: number;
  message: string;
};

export type SecurityTxtFields = {
  contact: string[];
  expires: string | undefined;
  encryption: string[];
  acknowledgments: string[];
  canonical: string[];
  policy: string[];
  hiring: string[];
  csaf: string[];
  preferredLanguages: string[] | undefined;
  /** Fields RFC 9116 and its registry do not define, as written. */
  other: { name: string; value: string }[];
};

export type SecurityTxtValidation = {
  valid: boolean;
  signed: boolean;
  errors: SecurityTxtFinding[];
  warnings: SecurityTxtFinding[];
  fields: SecurityTxtFields;
};

export type ValidateOptions = {
  /** "Now", for Expires (default: the current time). */
  now?: Date;
  /** The URL the file was fetched from: it must be one of the Canonical URLs when any are given. */
  fetchedFrom?: string;
  /** The Content-Type it was served with (RFC 9116 §3: text/plain; charset=utf-8). */
  contentType?: string;
};

/** Field names the IANA "security.txt Fields" registry holds, lower-case → our key. */
const URI_FIELDS = {
  acknowledgments: 'acknowledgments',
  canonical: 'canonical',
  contact: 'contact',
  encryption: 'encryption',
  hiring: 'hiring',
  policy: 'policy',
  csaf: 'csaf',
} as const;

const SIGNED_HEADER = '-----BEGIN PGP SIGNED MESSAGE-----';
const SIGNATURE_BEGIN = '-----BEGIN PGP SIGNATURE-----';
const SIGNATURE_END = '-----END PGP SIGNATURE-----';

/** RFC 5322 §3.6.8 field-name: printable US-ASCII except colon. */
const FIELD_NAME = /^[\x21-\x39\x3b-\x7e]+$/;
/** RFC 5322 unstructured / RFC 9116 comment text: WSP, VCHAR, and (UTF-8) non-ASCII. */
const TEXT = /^[\t\x20-\x7e\u0080-\u{10ffff}]*$/u;
/** RFC 3339 §5.6 date-time. */
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))$/;
/** RFC 5646 Language-Tag, loosely: a primary subtag and optional subtags (or x-/i- tags). */
const LANGUAGE_TAG = /^(?:[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*|[xXiI](?:-[A-Za-z0-9]{1,8})+)$/;
/** RFC 3986 URI: scheme ":" and only characters a URI may hold (percent-escapes well-formed). */
const URI_SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;
const URI_CHARS = /^(?:[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})+$/;

type Line = { number: number; text: string };

/** Checks a security.txt; `input` as bytes (checked to be UTF-8) or as text already decoded. */
export function validateSecurityTxt(
  input: Uint8Array | string,
  options: ValidateOptions = {},
): SecurityTxtValidation {
  const errors: SecurityTxtFinding[] = [];
  const warnings: SecurityTxtFinding[] = [];
  const error = (code: SecurityTxtCode, line: number, message: string) =>
    errors.push({ code, line, message });
  const warn = (code: SecurityTxtCode, line: number, message: string) =>
    warnings.push({ code, line, message });
  const fields: SecurityTxtFields = {
    contact: [],
    expires: undefined,
    encryption: [],
    acknowledgments: [],
    canonical: [],
    policy: [],
    hiring: [],
    csaf: [],
    preferredLanguages: undefined,
    other: [],
  };
  const result = (signed: boolean): SecurityTxtValidation => ({
    valid: errors.length === 0,
    signed,
    errors,
    warnings,
    fields,
  });

  if (options.contentType !== undefined) checkContentType(options.contentType, error);

  let text: string;
  if (typeof input === 'string') {
    text = input;
  } else {
    try {
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(input);
    } catch {
      error('security_txt.not_utf8', 0, 'The file is not valid UTF-8 (RFC 9116 §2.3).');
      return result(false);
    }
  }
  if (text.startsWith('\uFEFF')) {
    warn('security_txt.byte_order_mark', 1, 'The file starts with a byte order mark; leave it out.');
    text = text.slice(1);
  }
  if (text.length > 0 && !text.endsWith('\n')) {
    warn(
      'security_txt.missing_final_newline',
      0,
      'The last line does not end with a line break (RFC 9116 §4: eol).',
    );
  }

  // Split on LF, dropping the CR of CRLF: both are allowed line ends (eol = *WSP [CR] LF).
  const all: Line[] = text.split('\n').map((t, i) => ({ number: i + 1, text: t.replace(/\r$/, '') }));
  if (all.length > 0 && all.at(-1)?.text === '') all.pop();

  const signed = all[0]?.text.trimEnd() === SIGNED_HEADER;
  let body: Line[];
  if (signed) {
    const unwrapped = unwrapCleartext(all, error);
    if (!unwrapped) return result(true);
    body = unwrapped;
  } else {
    const stray = all.find((l) => /^-----(BEGIN|END) PGP /.test(l.text));
    if (stray) {
      error(
        'security_txt.bad_signature_framing',
        stray.number,
        `A signed file must start with "${SIGNED_HEADER}" on its first line; nothing may come before it.`,
      );
      return result(false);
    }
    body = all;
  }

  let contactLines = 0; // an invalid Contact is reported as such, not as a missing one
  const expiresLines: number[] = [];
  const languageLines: number[] = [];
  for (const { number, text: raw } of body) {
    const line = raw.replace(/[ \t]+$/, ''); // eol = *WSP [CR] LF
    if (line === '') continue;
    if (line.startsWith('#')) {
      if (!TEXT.test(line))
        error('security_txt.invalid_line', number, 'A comment holds a control character.');
      continue;
    }
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon) : '';
    if (!FIELD_NAME.test(name)) {
      error(
        'security_txt.invalid_line',
        number,
        'Expected "Field-Name: value", a "#" comment or an empty line.',
      );
      continue;
    }
    if (line[colon + 1] !== ' ') {
      error('security_txt.invalid_line', number, `"${name}:" must be followed by one space and the value.`);
      continue;
    }
    const value = line.slice(colon + 2);
    if (!TEXT.test(value)) {
      error('security_txt.invalid_line', number, `The value of ${name} holds a control character.`);
      continue;
    }
    const key = name.toLowerCase();
    if (key in URI_FIELDS) {
      const field = URI_FIELDS[key as keyof typeof URI_FIELDS];
      if (field === 'contact') contactLines++;
      if (checkUri(name, value, number, error)) fields[field].push(value);
    } else if (key === 'expires') {
      expiresLines.push(number);
      if (expiresLines.length === 1) {
        fields.expires = value;
        checkExpires(value, number, options.now ?? new Date(), error, warn);
      }
    } else if (key === 'preferred-languages') {
      languageLines.push(number);
      const tags = value.split(',').map((t) => t.trim());
      const bad = tags.filter((t) => !LANGUAGE_TAG.test(t));
      if (bad.length > 0) {
        error(
          'security_txt.preferred_languages_invalid',
          number,
          `Not language tags (RFC 5646), separated by commas: ${bad.map((b) => JSON.stringify(b)).join(', ')}.`,
        );
      }
      if (languageLines.length === 1) fields.preferredLanguages = tags;
    } else {
      fields.other.push({ name, value });
      warn('security_txt.unknown_field', number, `${name} is not a security.txt field; readers ignore it.`);
    }
  }

  if (contactLines === 0) {
    error('security_txt.contact_missing', 0, 'There must be at least one Contact field (RFC 9116 §2.5.3).');
  }
  if (expiresLines.length === 0) {
    error('security_txt.expires_missing', 0, 'There must be exactly one Expires field (RFC 9116 §2.5.5).');
  }
  for (const number of expiresLines.slice(1)) {
    error('security_txt.expires_multiple', number, 'Expires must appear only once (RFC 9116 §2.5.5).');
  }
  for (const number of languageLines.slice(1)) {
    error(
      'security_txt.preferred_languages_multiple',
      number,
      'Preferred-Languages must appear at most once (RFC 9116 §2.5.8).',
    );
  }
  if (signed && fields.canonical.length === 0) {
    warn(
      'security_txt.canonical_recommended',
      0,
      'A signed file should say where it belongs with a Canonical field (RFC 9116 §2.3).',
    );
  }
  if (options.fetchedFrom !== undefined && fields.canonical.length > 0) {
    const fetched = normaliseUrl(options.fetchedFrom);
    if (!fields.canonical.some((c) => normaliseUrl(c) === fetched)) {
      error(
        'security_txt.canonical_mismatch',
        0,
        `Fetched from ${options.fetchedFrom}, which is none of its Canonical URLs (RFC 9116 §2.5.2).`,
      );
    }
  }
  return result(signed);
}

/**
 * The text between the cleartext-signature framing (RFC 9580 §7 / RFC 4880 §7), dash-escapes
 * removed, keeping original line numbers; undefined when the framing is broken.
 */
function unwrapCleartext(
  lines: Line[],
  error: (code: SecurityTxtCode, line: number, message: string) => void,
): Line[] | undefined {
  const framing = (line: number, message: string) => {
    error('security_txt.bad_signature_framing', line, message);
    return undefined;
  };
  let i = 1;
  // Armor headers of the signed message: only "Hash:" is defined; then one empty line.
  for (; i < lines.length && (lines[i]?.text.trimEnd() ?? '') !== ''; i++) {
    const header = lines[i] as Line;
    if (!/^Hash: [A-Za-z0-9-]+(?:, ?[A-Za-z0-9-]+)*\s*$/.test(header.text)) {
      return framing(header.number, 'After the BEGIN line come only "Hash:" headers, then an empty line.');
    }
  }
  if (i >= lines.length)
    return framing(lines.length, 'The signed message has no empty line after its headers.');
  i++;
  const body: Line[] = [];
  for (; i < lines.length; i++) {
    const line = lines[i] as Line;
    if (line.text.trimEnd() === SIGNATURE_BEGIN) break;
    if (line.text.startsWith('- ')) body.push({ number: line.number, text: line.text.slice(2) });
    else if (line.text.startsWith('-'))
      return framing(
        line.number,
        'A line starting with "-" must be dash-escaped as "- -…" in a signed file.',
      );
    else body.push(line);
  }
  if (i >= lines.length) return framing(lines.length, `"${SIGNATURE_BEGIN}" is missing.`);
  const begin = lines[i] as Line;
  i++;
  for (; i < lines.length && (lines[i]?.text.trimEnd() ?? '') !== ''; i++) {
    if (!/^[A-Za-z][A-Za-z0-9-]*: /.test(lines[i]?.text ?? ''))
      return framing(lines[i]?.number ?? 0, 'The signature block has a malformed armor header.');
  }
  i++;
  let data = 0;
  for (; i < lines.length; i++) {
    const line = lines[i] as Line;
    const t = line.text.trimEnd();
    if (t === SIGNATURE_END) break;
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(t) && !/^=[A-Za-z0-9+/]{4}$/.test(t))
      return framing(line.number, 'The signature block holds something that is not base64.');
    data += t.length;
  }
  if (i >= lines.length) return framing(begin.number, `"${SIGNATURE_END}" is missing.`);
  if (data === 0) return framing(begin.number, 'The signature block is empty.');
  const after = lines.slice(i + 1).find((l) => l.text.trim() !== '');
  if (after) return framing(after.number, `Nothing may follow "${SIGNATURE_END}".`);
  return body;
}

function checkContentType(
  value: string,
  error: (code: SecurityTxtCode, line: number, message: string) => void,
): void {
  const [type = '', ...params] = value.split(';').map((p) => p.trim().toLowerCase());
  const charset = params
    .find((p) => p.startsWith('charset='))
    ?.slice('charset='.length)
    .replace(/"/g, '');
  if (type !== 'text/plain' || charset !== 'utf-8') {
    error(
      'security_txt.content_type',
      0,
      `Served as "${value}"; RFC 9116 §3 requires "text/plain; charset=utf-8".`,
    );
  }
}

/** A URI field's value: an RFC 3986 URI, and web URIs https only (RFC 9116 §2.5). */
function checkUri(
  name: string,
  value: string,
  line: number,
  error: (code: SecurityTxtCode, line: number, message: string) => void,
): boolean {
  if (!URI_SCHEME.test(value) || !URI_CHARS.test(value)) {
    error('security_txt.invalid_uri', line, `${name} must be a URI (RFC 3986), e.g. https://… or mailto:…`);
    return false;
  }
  const scheme = value.slice(0, value.indexOf(':')).toLowerCase();
  if (scheme === 'http') {
    error('security_txt.insecure_uri', line, `${name}: web URIs must use https (RFC 9116 §2.5).`);
    return false;
  }
  if (scheme === 'https' && !URL.canParse(value)) {
    error('security_txt.invalid_uri', line, `${name} is not a valid https URL.`);
    return false;
  }
  if (scheme === 'mailto' && !/^mailto:[^@]+@[^@]+$/i.test(value)) {
    error('security_txt.invalid_uri', line, `${name} is not a mailto: address.`);
    return false;
  }
  return true;
}

function checkExpires(
  value: string,
  line: number,
  now: Date,
  error: (code: SecurityTxtCode, line: number, message: string) => void,
  warn: (code: SecurityTxtCode, line: number, message: string) => void,
): void {
  const m = DATE_TIME.exec(value);
  const valid =
    m !== null &&
    Number(m[2]) >= 1 &&
    Number(m[2]) <= 12 &&
    Number(m[3]) >= 1 &&
    Number(m[3]) <= 31 &&
    Number(m[4]) <= 23 &&
    Number(m[5]) <= 59 &&
    Number(m[6]) <= 60 &&
    (m[9] === undefined || (Number(m[9]) <= 23 && Number(m[10]) <= 59)) &&
    new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))).getUTCDate() === Number(m[3]) &&
    !Number.isNaN(Date.parse(value.toUpperCase().replace(/:60(?=[.Z+-])/, ':59')));
  if (!valid) {
    error(
      'security_txt.expires_invalid',
      line,
      'Expires must be an RFC 3339 date-time, e.g. 2027-01-31T00:00:00Z.',
    );
    return;
  }
  const at = new Date(Date.parse(value.toUpperCase().replace(/:60(?=[.Z+-])/, ':59')));
  if (at.getTime() <= now.getTime()) {
    error('security_txt.expires_in_past', line, `The file expired on ${value}: readers must not use it.`);
    return;
  }
  const yearAhead = new Date(now);
  yearAhead.setUTCFullYear(yearAhead.getUTCFullYear() + 1);
  if (at.getTime() > yearAhead.getTime()) {
    warn('security_txt.expires_too_far', line, 'Expires should be less than a year ahead (RFC 9116 §2.5.5).');
  }
}

/** For comparing a fetched URL with Canonical ones: scheme and host are case-insensitive. */
function normaliseUrl(value: string): string {
  try {
    return new URL(value).href;
  } catch {
    return value;
  }
}
