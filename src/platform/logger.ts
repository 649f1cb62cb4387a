import { type Logger, pino } from 'pino';

/**
 * Structured JSON logs. Request logs are written by the HTTP layer from an allow-list of fields
 * (method, route pattern, status, duration, request id): no URLs with capability tokens, no headers,
 * no client IP addresses. The redaction below is a second wall for anything logged by accident.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
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
