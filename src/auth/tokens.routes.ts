import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Deps } from '../deps.ts';
import { errorBody, iso, isoOrNull, orgParam, withZod } from '../http.ts';
import { getOrganisationAccess } from '../orgs/organisation-access.ts';
import { type ApiTokenView, createApiToken, listApiTokens, revokeToken } from './api-tokens.ts';
import { requirePrincipal } from './authenticate.ts';
import { type Scope, TOKEN_SCOPES } from './permissions.ts';

const tokenView = z
  .object({
    id: z.uuid(),
    name: z.string(),
    prefix: z.string(),
    scopes: z.array(z.string()),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    expiresAt: z.string().nullable(),
    createdBy: z.string(),
  })
  .meta({ id: 'ApiToken' });

const toView = (t: ApiTokenView) => ({
  ...t,
  createdAt: iso(t.createdAt),
  lastUsedAt: isoOrNull(t.lastUsedAt),
  expiresAt: isoOrNull(t.expiresAt),
});

export function tokenRoutes(app: FastifyInstance, deps: Deps): void {
  const r = withZod(app);

  r.get(
    '/api/v1/orgs/:org/tokens',
    {
      schema: {
        tags: ['api tokens'],
        summary: 'API tokens of the organisation (owners see all, coordinators their own)',
        params: orgParam,
        response: {
          200: z.object({ tokens: z.array(tokenView) }),
          401: errorBody,
          403: errorBody,
          404: errorBody,
        },
      },
    },
    async (request) => {
      const access = await getOrganisationAccess(deps, requirePrincipal(request), request.params.org);
      return { tokens: (await listApiTokens(deps, access)).map(toView) };
    },
  );

  r.post(
    '/api/v1/orgs/:org/tokens',
    {
      schema: {
        tags: ['api tokens'],
        summary: 'Create an API token; the token is in this answer only',
        params: orgParam,
        body: z.object({
          name: z.string().trim().min(1).max(100),
          scopes: z.array(z.enum(TOKEN_SCOPES as [Scope, ...Scope[]])).min(1),
          expiresInDays: z.number().int().min(1).max(3650).optional(),
        }),
        response: {
          201: tokenView.extend({ token: z.string() }),
          401: errorBody,
          403: errorBody,
          404: errorBody,
          422: errorBody,
        },
      },
    },
    async (request, reply) => {
      const access = await getOrganisationAccess(deps, requirePrincipal(request), request.params.org);
      const { token, view } = await createApiToken(deps, access, request.body);
      return reply.code(201).send({ ...toView(view), token });
    },
  );

  r.delete(
    '/api/v1/orgs/:org/tokens/:id',
    {
      schema: {
        tags: ['api tokens'],
        summary: 'Revoke an API token',
        params: orgParam.extend({ id: z.uuid() }),
        response: { 204: z.null(), 401: errorBody, 403: errorBody, 404: errorBody },
      },
    },
    async (request, reply) => {
      const access = await getOrganisationAccess(deps, requirePrincipal(request), request.params.org);
      await revokeToken(deps, access, request.params.id);
      return reply.code(204).send(null);
    },
  );
}
