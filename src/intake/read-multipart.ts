import type {} from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../platform/errors.ts';
import { ATTACHMENT_HARD_LIMITS, type IncomingFile } from './attachment-pipeline.ts';

/** What a multipart submission may hold, whatever the policy says (@fastify/multipart enforces these). */
export const MULTIPART_LIMITS = {
  fieldNameSize: 100,
  fieldSize: 1024 * 1024,
  fields: 40,
  fileSize: ATTACHMENT_HARD_LIMITS.maxBytes,
  files: ATTACHMENT_HARD_LIMITS.maxFiles,
  parts: 80,
  headerPairs: 100,
} as const;
/** All files of one submission together. */
export const MAX_SUBMISSION_BYTES = 60 * 1024 * 1024;

/** Files in part `proofOfConcept` are the proof itself: their originals are kept as evidence. */
const FILE_FIELDS = new Set(['attachments', 'proofOfConcept']);

export type MultipartBody = { fields: Map<string, string[]>; files: IncomingFile[] };

/**
 * Reads a multipart body into fields and files, turning every way it can be broken into a 4xx. A
 * caller may pass `body` to keep what was read before a failure (a form shown again with its input).
 */
export async function readMultipart(
  request: FastifyRequest,
  body: MultipartBody = { fields: new Map(), files: [] },
): Promise<MultipartBody> {
  let total = 0;
  try {
    for await (const part of request.parts()) {
      // busboy leaves the name undefined when the Content-Disposition has none.
      const name = (part.fieldname as string | undefined) ?? '';
      if (part.type === 'file') {
        if (!FILE_FIELDS.has(name)) {
          part.file.resume();
          throw new AppError('request.invalid', 'Files go in the parts "attachments" or "proofOfConcept".', [
            {
              ...(name ? { field: name.slice(0, 100) } : {}),
              code: 'invalid',
              message: 'unexpected file part',
            },
          ]);
        }
        const bytes = await part.toBuffer();
        total += bytes.length;
        if (total > MAX_SUBMISSION_BYTES) {
          throw new AppError(
            'request.too_large',
            `All files together may hold at most ${MAX_SUBMISSION_BYTES} bytes.`,
          );
        }
        // A browser sends an empty file part for a file input left empty.
        if (bytes.length === 0 && !part.filename) continue;
        body.files.push({
          fileName: part.filename ?? '',
          bytes,
          proofOfConcept: part.fieldname === 'proofOfConcept',
        });
      } else {
        if (part.fieldnameTruncated || part.valueTruncated) {
          throw new AppError('request.too_large', 'A form field is too long.', [
            { field: name.slice(0, 100), code: 'too_long', message: String(MULTIPART_LIMITS.fieldSize) },
          ]);
        }
        // A part without filename= is text, not a file: dropping it would lose what the reporter sent.
        if (FILE_FIELDS.has(name)) {
          throw new AppError('request.invalid', `The part "${name}" must be a file (with a filename).`, [
            { field: name, code: 'invalid', message: 'not a file part' },
          ]);
        }
        const values = body.fields.get(name) ?? [];
        // @fastify/multipart has already parsed a part sent as application/json: hand on its JSON text.
        values.push(
          part.mimetype === 'application/json' ? JSON.stringify(part.value) : String(part.value ?? ''),
        );
        body.fields.set(name, values);
      }
    }
  } catch (error) {
    throw multipartError(error);
  }
  return body;
}

function multipartError(error: unknown): unknown {
  if (error instanceof AppError) return error;
  const code = (error as { code?: unknown }).code;
  switch (code) {
    case 'FST_REQ_FILE_TOO_LARGE':
      return new AppError(
        'attachment.too_large',
        `A file may hold at most ${MULTIPART_LIMITS.fileSize} bytes.`,
        [{ field: 'attachments', code: 'too_large', message: String(MULTIPART_LIMITS.fileSize) }],
      );
    case 'FST_FILES_LIMIT':
      return new AppError('attachment.too_many', `At most ${MULTIPART_LIMITS.files} files.`, [
        { field: 'attachments', code: 'too_many', message: String(MULTIPART_LIMITS.files) },
      ]);
    case 'FST_PARTS_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return new AppError('request.too_large', 'The form has too many parts.');
    case 'FST_INVALID_JSON_FIELD_ERROR':
      return new AppError('request.invalid_json', 'A part sent as application/json is not valid JSON.');
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return new AppError('request.unsupported_media_type', 'Expected multipart/form-data.');
  }
  // busboy's own complaints (no boundary, cut-off body, malformed headers) are the sender's fault.
  return new AppError('request.invalid', 'The multipart body is malformed.', [
    { code: 'malformed', message: error instanceof Error ? error.message.slice(0, 200) : 'malformed' },
  ]);
}
