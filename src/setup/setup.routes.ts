import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { setSessionCookie } from '../auth/authenticate.ts';
import { csrfTokenFor } from '../auth/sessions.ts';
import type { Deps } from '../deps.ts';
import { clientKey, errorBody, withZod } from '../http.ts';
import { completeSetup, isSetupNeeded } from './setup.ts';

export function setupRoutes(app: FastifyInstance, deps: Deps): void {
  const r = withZod(app);

  r.get(
    '/api/v1/setup',
    {
      config: { public: true },
      schema: {
        tags: ['setup'],
        summary: 'Whether this Haven still needs its first organisation',
        response: { 200: z.object({ needed: z.boolean() }) },
      },
    },
    async () => ({ needed: await isSetupNeeded(deps) }),
  );

  r.post(
    '/api/v1/setup',
    {
      config: { csrf: false, public: true },
      schema: {
        tags: ['setup'],
        summary: 'First run: create the first organisation and its owner with the one-time setup link',
        body: z.object({
          token: z.string().min(20).max(200),
          organisation: z.object({
            slug: z.string().trim().min(1).max(40),
            name: z.string().trim().min(1).max(200),
            defaultLanguage: z.enum(['nl', 'en']),
            timezone: z.string().min(1).max(64),
          }),
          owner: z.object({
            name: z.string().trim().min(1).max(200),
            email: z.email().max(254),
            password: z.string().min(1).max(1024),
          }),
          language: z.enum(['nl', 'en']).optional(),
        }),
        response: {
          201: z.object({
            organisation: z.object({ slug: z.string(), name: z.string() }),
            csrfToken: z.string(),
          }),
          409: errorBody,
          410: errorBody,
          422: errorBody,
        },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const { organisation, session } = await completeSetup(deps, {
        ...body,
        language: body.language ?? body.organisation.defaultLanguage,
        clientKey: clientKey(request),
      });
      setSessionCookie(reply, session.secret);
      return reply.code(201).send({
        organisation: { slug: organisation.slug, name: organisation.name },
        csrfToken: csrfTokenFor(deps, session.idHash),
      });
    },
  );
}
