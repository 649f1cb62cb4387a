import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from './platform/errors.ts';

/** Routes are declared with zod schemas for requests and responses (and so for OpenAPI). */
export function withZod(app: FastifyInstance) {
  return app.withTypeProvider<ZodTypeProvider>();
}

export const errorBody = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.array(z.object({ field: z.string().optional(), code: z.string(), message: z.string() })),
    }),
    requestId: z.string(),
  })
  .meta({ id: 'Error' });

export const orgParam = z.object({
  org: z
    .string()
    .min(1)
    .max(40)
    .regex(/^[a-z0-9-]+$/),
});

export const isoDate = z.iso.datetime({ offset: true });
export const iso = (d: Date) => d.toISOString();
export const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);

/** The client address, for in-memory rate limits only: never stored or logged. */
export function clientKey(request: { ip: string }): string {
  return request.ip;
}

/** Validates with a zod schema outside Fastify's own validation (multipart bodies): 422 per field. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, prefix = ''): z.output<S> {
  // Without the input in each issue, a field of the wrong type could not be told from a missing one.
  const parsed = schema.safeParse(value, { reportInput: true });
  if (parsed.success) return parsed.data;
  throw new AppError(
    'request.invalid',
    'Some fields are missing or not valid.',
    parsed.error.issues.map((issue) => {
      const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
      // JSON has no undefined: an issue about an undefined input is about a field that is not there.
      const missing = issue.input === undefined;
      return { field: path || '(body)', code: missing ? 'required' : 'invalid', message: issue.message };
    }),
  );
}
