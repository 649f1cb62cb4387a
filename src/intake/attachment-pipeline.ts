import { fileTypeFromBuffer } from 'file-type';
import sharp from 'sharp';
import { AppError } from '../platform/errors.ts';
import type { PolicySettings } from '../policies/policy-settings.ts';
import type { ATTACHMENT_KINDS } from '../policies/policy-vocabulary.ts';
import { detectLockedDocument, type LockKind } from './locked-documents.ts';

export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number];
export type AttachmentRules = PolicySettings['intake']['attachments'];
export type IncomingFile = { fileName: string; bytes: Buffer; proofOfConcept: boolean };
export type InspectedAttachment = {
  /** Safe display name: basename only, no control or bidi characters, at most 200 characters. */
  fileName: string;
  /** Sniffed from the content, never from the name; describes `stored`. */
  mediaType: string;
  kind: AttachmentKind;
  /** What staff view and download: a re-encoded copy for raster images, otherwise the bytes as sent. */
  stored: Buffer;
  /** The untouched original of a raster image marked as proof of concept, kept as evidence. */
  original: Buffer | undefined;
  reencoded: boolean;
  /** True for every file that is not a re-encoded raster image. */
  quarantined: boolean;
  /** Why a file was kept against the policy; only ever set in mode 'record'. */
  deviation: 'type_not_allowed' | 'too_large' | 'locked_not_accepted' | undefined;
  /** Password-protected (kept as sent, quarantined): staff unlock it with the password the reporter sends. */
  locked: boolean;
  lockKind: LockKind | undefined;
};

/** Held whatever the policy says. */
export const ATTACHMENT_HARD_LIMITS = {
  maxBytes: 25 * 1024 * 1024,
  maxFiles: 20,
  maxInputPixels: 40_000_000,
} as const;

/** 'enforce' rejects what the policy forbids (the reporter can correct it); 'record' keeps it and says why. */
export type InspectionMode = 'enforce' | 'record';

type RasterOutput = 'jpeg' | 'png' | 'webp';

/**
 * Raster formats we decode and re-encode; those without a widely viewable equivalent become PNG.
 * BMP is absent: this sharp build cannot decode it, and BMP carries no EXIF to strip, so it is quarantined instead.
 */
const RASTER_OUTPUT: Record<string, RasterOutput> = {
  'image/jpeg': 'jpeg',
  'image/png': 'png',
  'image/apng': 'png',
  'image/webp': 'webp',
  'image/gif': 'png',
  'image/tiff': 'png',
  'image/avif': 'png',
  'image/heif': 'png',
  'image/heic': 'png',
  'image/heif-sequence': 'png',
  'image/heic-sequence': 'png',
};

const OUTPUT_MEDIA_TYPE: Record<RasterOutput, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
};

const ARCHIVE_TYPES = new Set([
  'application/zip',
  'application/x-7z-compressed',
  'application/x-rar-compressed',
  'application/vnd.rar',
  'application/gzip',
  'application/x-gzip',
  'application/x-tar',
  'application/x-bzip2',
  'application/x-xz',
  'application/zstd',
  'application/x-lzip',
  'application/x-lz4',
  'application/x-compress',
  'application/x-cpio',
  'application/x-lzh-compressed',
  'application/x-arj',
  'application/x-ace-compressed',
  'application/vnd.ms-cab-compressed',
  'application/x-unix-archive',
]);

const OFFICE_TYPES = new Set(['application/msword', 'application/rtf', 'application/x-cfb']);
const OFFICE_PREFIXES = [
  'application/vnd.openxmlformats-officedocument.',
  'application/vnd.oasis.opendocument.',
  'application/vnd.ms-word',
  'application/vnd.ms-excel',
  'application/vnd.ms-powerpoint',
];
/** Readable as plain text although not registered under text/. */
const TEXT_APPLICATION_TYPES = new Set(['application/xml', 'application/json']);

const MAX_NAME_LENGTH = 200;
/** A longer "extension" is part of the name and may be cut. */
const MAX_EXTENSION_LENGTH = 16;

export async function inspectAttachment(
  file: IncomingFile,
  rules: AttachmentRules,
  mode: InspectionMode,
): Promise<InspectedAttachment> {
  const fileName = safeFileName(file.fileName);
  const size = file.bytes.length;
  // Nothing is stored above the hard limit, not even in record mode.
  if (size > ATTACHMENT_HARD_LIMITS.maxBytes) throw tooLarge(fileName, ATTACHMENT_HARD_LIMITS.maxBytes);

  const mediaType = await sniffMediaType(file.bytes);
  const kind = kindOfMediaType(mediaType);
  const sizeLimit = Math.min(rules.maxBytes, ATTACHMENT_HARD_LIMITS.maxBytes);

  if (!rules.allowed.includes(kind)) {
    if (mode === 'enforce') throw typeNotAllowed(fileName, mediaType, rules);
    return keptAsSent(fileName, mediaType, file.bytes, 'type_not_allowed');
  }
  if (size > sizeLimit) {
    if (mode === 'enforce') throw tooLarge(fileName, sizeLimit);
    return keptAsSent(fileName, mediaType, file.bytes, 'too_large');
  }

  const lockKind = await detectLockedDocument(file.bytes);
  if (lockKind !== undefined) {
    const accepted = rules.passwordProtectedAccepted;
    if (!accepted && mode === 'enforce') throw lockedNotAccepted(fileName, lockKind);
    return {
      ...keptAsSent(fileName, mediaType, file.bytes, accepted ? undefined : 'locked_not_accepted'),
      locked: true,
      lockKind,
    };
  }

  const output = RASTER_OUTPUT[mediaType];
  // Everything else (text, PDF, SVG, formats we do not decode) is never rendered here: kept as sent, quarantined.
  if (output === undefined) return keptAsSent(fileName, mediaType, file.bytes, undefined);

  const stored = await reencodeRaster(file.bytes, output);
  if (stored === undefined) {
    if (mode === 'enforce') {
      throw new AppError(
        'attachment.unreadable',
        `${JSON.stringify(fileName)} could not be read as ${mediaType}, or has more than ${ATTACHMENT_HARD_LIMITS.maxInputPixels} pixels.`,
        [{ field: 'attachments', code: 'unreadable', message: mediaType }],
      );
    }
    return keptAsSent(fileName, mediaType, file.bytes, undefined);
  }
  return {
    fileName,
    mediaType: OUTPUT_MEDIA_TYPE[output],
    kind,
    stored,
    original: file.proofOfConcept ? file.bytes : undefined,
    reencoded: true,
    quarantined: false,
    deviation: undefined,
    locked: false,
    lockKind: undefined,
  };
}

export function kindOfMediaType(mediaType: string): AttachmentKind {
  // Parameters such as "; codecs=opus" do not change the family.
  const essence = (mediaType.split(';')[0] ?? '').trim().toLowerCase();
  const family = essence.split('/')[0];
  if (family === 'image' || family === 'text' || family === 'video' || family === 'audio') return family;
  if (essence === 'application/pdf') return 'pdf';
  if (ARCHIVE_TYPES.has(essence)) return 'archive';
  if (OFFICE_TYPES.has(essence) || OFFICE_PREFIXES.some((prefix) => essence.startsWith(prefix))) {
    return 'office';
  }
  if (TEXT_APPLICATION_TYPES.has(essence)) return 'text';
  return 'other';
}

async function sniffMediaType(bytes: Buffer): Promise<string> {
  const sniffed = await fileTypeFromBuffer(bytes);
  // file-type calls an SVG with an XML prolog application/xml and one without it nothing.
  if (sniffed !== undefined && sniffed.mime !== 'application/xml') return sniffed.mime;
  const text = utf8Text(bytes);
  if (text === undefined) return sniffed?.mime ?? 'application/octet-stream';
  if (hasSvgRoot(text)) return 'image/svg+xml';
  return sniffed?.mime ?? 'text/plain';
}

function utf8Text(bytes: Buffer): string | undefined {
  if (bytes.includes(0)) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** Whether the first element, after prolog, comments and doctype, is <svg>. A scanner, not a regex: no backtracking on hostile input. */
function hasSvgRoot(text: string): boolean {
  let at = 0;
  while (at !== -1) {
    while (at < text.length && /\s/.test(text.charAt(at))) at++;
    if (text.startsWith('<?', at)) at = indexAfter(text, '?>', at);
    else if (text.startsWith('<!--', at)) at = indexAfter(text, '-->', at);
    else if (text.slice(at, at + 9).toLowerCase() === '<!doctype') at = indexAfterDoctype(text, at);
    else return /^<svg[\s/>]/i.test(text.slice(at, at + 5));
  }
  return false;
}

function indexAfter(text: string, end: string, from: number): number {
  const found = text.indexOf(end, from);
  return found === -1 ? -1 : found + end.length;
}

function indexAfterDoctype(text: string, from: number): number {
  const close = text.indexOf('>', from);
  const subset = text.indexOf('[', from);
  // An internal subset may itself contain '>' (entity declarations): the doctype ends after ']'.
  if (subset !== -1 && (close === -1 || subset < close)) {
    const subsetEnd = text.indexOf(']', subset);
    return subsetEnd === -1 ? -1 : indexAfter(text, '>', subsetEnd);
  }
  return close === -1 ? -1 : close + 1;
}

/** Undefined when sharp cannot decode the image or it has too many pixels. */
async function reencodeRaster(bytes: Buffer, output: RasterOutput): Promise<Buffer | undefined> {
  try {
    // rotate() applies the EXIF orientation before the metadata goes; without withMetadata/keepExif
    // sharp writes no EXIF (GPS), XMP, IPTC or comments.
    const image = sharp(bytes, {
      limitInputPixels: ATTACHMENT_HARD_LIMITS.maxInputPixels,
      failOn: 'error',
    }).rotate();
    if (output === 'jpeg') return await image.jpeg({ quality: 90 }).toBuffer();
    if (output === 'webp') return await image.webp({ quality: 90 }).toBuffer();
    return await image.png().toBuffer();
  } catch {
    return undefined;
  }
}

function keptAsSent(
  fileName: string,
  mediaType: string,
  bytes: Buffer,
  deviation: InspectedAttachment['deviation'],
): InspectedAttachment {
  return {
    fileName,
    mediaType,
    kind: kindOfMediaType(mediaType),
    stored: bytes,
    original: undefined,
    reencoded: false,
    quarantined: true,
    deviation,
    locked: false,
    lockKind: undefined,
  };
}

function safeFileName(name: string): string {
  // Lone surrogates cannot be encoded as UTF-8 (headers, database); control and bidi characters disguise names.
  const visible = Array.from(name.toWellFormed())
    .filter((char) => !isHiddenCodePoint(char.codePointAt(0) ?? 0))
    .join('');
  const base = visible.slice(Math.max(visible.lastIndexOf('/'), visible.lastIndexOf('\\')) + 1).trim();
  if (base === '' || base === '.' || base === '..') return 'attachment';
  const chars = Array.from(base);
  if (chars.length <= MAX_NAME_LENGTH) return base;
  const dot = base.lastIndexOf('.');
  const extension = dot > 0 && base.length - dot <= MAX_EXTENSION_LENGTH + 1 ? base.slice(dot) : '';
  const stem = Array.from(base.slice(0, base.length - extension.length))
    .slice(0, MAX_NAME_LENGTH - extension.length)
    .join('')
    .trimEnd();
  return stem + extension;
}

function isHiddenCodePoint(codePoint: number): boolean {
  return (
    codePoint <= 0x1f || // C0
    (codePoint >= 0x7f && codePoint <= 0x9f) || // DEL and C1
    codePoint === 0x061c || // Arabic letter mark
    codePoint === 0x200e || // left-to-right mark
    codePoint === 0x200f || // right-to-left mark
    codePoint === 0x2028 || // line separator
    codePoint === 0x2029 || // paragraph separator
    (codePoint >= 0x202a && codePoint <= 0x202e) || // bidi embeddings and overrides
    (codePoint >= 0x2066 && codePoint <= 0x2069) // bidi isolates
  );
}

function typeNotAllowed(fileName: string, mediaType: string, rules: AttachmentRules): AppError {
  const allowed = rules.allowed.length > 0 ? rules.allowed.join(', ') : 'none';
  return new AppError(
    'attachment.type_not_allowed',
    `${JSON.stringify(fileName)} is ${mediaType} (${kindOfMediaType(mediaType)}); this policy accepts: ${allowed}.`,
    [{ field: 'attachments', code: 'type_not_allowed', message: mediaType }],
  );
}

function lockedNotAccepted(fileName: string, lockKind: LockKind): AppError {
  return new AppError(
    'attachment.locked_not_accepted',
    `${JSON.stringify(fileName)} is protected with a password (${lockKind}); this policy asks for files that open without one.`,
    [{ field: 'attachments', code: 'locked_not_accepted', message: lockKind }],
  );
}

function tooLarge(fileName: string, limit: number): AppError {
  return new AppError(
    'attachment.too_large',
    `${JSON.stringify(fileName)} is larger than the limit of ${limit} bytes.`,
    [{ field: 'attachments', code: 'too_large', message: String(limit) }],
  );
}
