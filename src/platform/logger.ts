import { type Logger, pino } from 'pino';

/**
 * Structured JSON logs. Request logs are written by the HTTP layer from an allow-list of fields
 * (method, route pattern, status, duration, request id): no URLs with capability tokens, no headers,
 * no client IP addresses. The redaction below is a second wall for anything logged by accident.
 */
const EMAIL = /[^\s@<>()[\]"',;:]+@[^\s@<>()[\]"',;:]+/g;

/**
 * Errors are logged by an allow-list too: database and mail errors carry personal data in fields
 * such as PostgreSQL's `detail` ("Key (email)=(…) already exists") or a rejected recipient.
 */
export function serializeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error };
  const e = error as Error & { code?: unknown; constraint?: unknown; statusCode?: unknown; cause?: unknown };
  const scrub = (text: string | undefined) => text?.replace(EMAIL, '[email]');
  return {
    type: e.name,
    message: scrub(e.message),
    code: typeof e.code === 'string' || typeof e.code === 'number' ? e.code : undefined,
    constraint: typeof e.constraint === 'string' ? e.constraint : undefined,
    statusCode: typeof e.statusCode === 'number' ? e.statusCode : undefined,
    stack: scrub(e.stack),
    cause: e.cause instanceof Error ? serializeError(e.cause) : undefined,
  };
}

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      serializers: { err: serializeError, error: serializeError },
      base: { service: 'haven' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: [
          'password',
          '*.password',
          'token',
          '*.token',
          'authorization',
          '*.authorization',
          'headers.authorization',
          'headers.cookie',
          '*.headers.authorization',
          '*.headers.cookie',
          'cookie',
          '*.cookie',
          'email',
          '*.email',
          'ip',
          '*.ip',
          'remoteAddress',
          '*.remoteAddress',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}

export type { Logger };
