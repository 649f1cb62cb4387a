import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, type ErrorDetail } from './errors.ts';

type Body = { error: { code: string; message: string; details: ErrorDetail[] }; requestId: string };

function answer(reply: FastifyReply, request: FastifyRequest, error: AppError): FastifyReply {
  const body: Body = {
    error: { code: error.code, message: error.message, details: error.details ?? [] },
    requestId: String(request.id),
  };
  if (error.code === 'request.rate_limited') {
    const retry = error.details?.find((d) => d.code === 'retry_after')?.message;
    if (retry) reply.header('retry-after', retry);
  }
  return reply.code(error.status).type('application/json; charset=utf-8').send(body);
}

function fieldOf(instancePath: string, context: string | undefined): string {
  const path = instancePath.replace(/^\//, '').split('/').filter(Boolean).join('.');
  if (context && context !== 'body') return path ? `${context}.${path}` : context;
  return path;
}

/** Turns anything thrown into `{error:{code,message,details},requestId}` with the right status. */
export function toAppError(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error;
  if (hasZodFastifySchemaValidationErrors(error)) {
    const context = (error as { validationContext?: string }).validationContext;
    return new AppError(
      'request.invalid',
      'Some fields are missing or not valid.',
      error.validation.map((v) => {
        const missing = v.keyword === 'invalid_type' && /received undefined/.test(v.message ?? '');
        return {
          field: fieldOf(v.instancePath, context),
          code: missing ? 'required' : 'invalid',
          message: v.message ?? 'invalid',
        };
      }),
    );
  }
  const fastifyError = error as Partial<FastifyError>;
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('request.unsupported_media_type', 'This content type is not accepted here.');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('request.too_large', 'The request body is too large.');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new AppError('request.invalid_json', 'The request body is not valid JSON.');
  }
  const status = fastifyError.statusCode;
  if (status === 429) return new AppError('request.rate_limited', 'Too many requests; slow down.');
  if (status === 404) return new AppError('request.not_found', 'Not found.');
  if (status === 405) return new AppError('request.method_not_allowed', 'Method not allowed.');
  if (status === 413) return new AppError('request.too_large', 'The request is too large.');
  if (status === 415)
    return new AppError('request.unsupported_media_type', 'This content type is not accepted here.');
  if (error instanceof SyntaxError && status === 400) {
    return new AppError('request.invalid_json', 'The request body is not valid JSON.');
  }
  if (status && status >= 400 && status < 500) {
    return new AppError('request.invalid', 'The request is not valid.', [
      { code: 'malformed', message: fastifyError.message ?? 'malformed request' },
    ]);
  }
  return undefined;
}

/** Dotted paths of strings holding NUL (which PostgreSQL refuses) or lone surrogates. */
export function malformedStrings(value: unknown, path: string): string[] {
  const found: string[] = [];
  // An explicit stack, not recursion: a 1 MiB body can nest half a million levels deep.
  const stack: { value: unknown; path: string; badKey?: string }[] = [{ value, path }];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    if (next.badKey !== undefined) found.push(next.badKey);
    const current = next.value;
    if (typeof current === 'string') {
      if (current.includes('\u0000') || !current.isWellFormed()) found.push(next.path || '(body)');
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    const at = next.path;
    const entries = Object.entries(current);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, inner] = entries[i] as [string, unknown];
      const bad = key.includes('\u0000') || !key.isWellFormed();
      stack.push({
        value: inner,
        path: at ? `${at}.${key}` : key,
        badKey: bad ? (at ? `${at}.${key.replace(/[^\x20-\x7e]/g, '?')}` : '(key)') : undefined,
      });
    }
  }
  return found;
}

/** PostgreSQL errors that mean the request, not Haven, was at fault. */
function fromDatabase(error: unknown): AppError | undefined {
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return undefined;
  if (code === '23505') return new AppError('request.conflict', 'This already exists; reload and try again.');
  if (code === '40001' || code === '40P01')
    return new AppError('request.conflict', 'Busy; please try again.');
  if (code === '22021' || code === '22P05' || code === '22001') {
    return new AppError('request.invalid', 'Some text cannot be stored.');
  }
  return undefined;
}

export function errorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const known = toAppError(error) ?? fromDatabase(error);
  if (known) return answer(reply, request, known);
  // Unknown: a generic message for the caller, the stack for the log.
  request.log.error({ err: error, requestId: request.id }, 'unhandled error');
  return answer(reply, request, new AppError('internal.error', 'Something went wrong on our side.'));
}

export function notFoundAnswer(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return answer(reply, request, new AppError('request.not_found', 'Not found.'));
}
