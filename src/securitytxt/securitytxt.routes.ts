import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { requirePrincipal } from '../auth/authenticate.ts';
import type { Deps } from '../deps.ts';
import { errorBody, orgParam, withZod } from '../http.ts';
import { getOrganisationAccess } from '../orgs/organisation-access.ts';
import { securityTxtCache, securityTxtForHost, securityTxtForOrganisation } from './get-security-txt.ts';
import { getHostNames, MAX_HOST_NAMES, requestHost } from './host-names.ts';

/** RFC 9116 §3: text/plain with charset utf-8. */
const SECURITY_TXT_TYPE = 'text/plain; charset=utf-8';
/** As long as the key's: after a rotation, file and key agree again within five minutes. */
const SECURITY_TXT_CACHE = 'public, max-age=300';

const hostNamesBody = z
  .object({
    hostNames: z
      .array(z.string().max(253))
      .max(MAX_HOST_NAMES)
      .describe('Host names whose /.well-known/security.txt is this organisation’s, e.g. example.org'),
  })
  .meta({ id: 'HostNames' });

export function securityTxtRoutes(app: FastifyInstance, deps: Deps): void {
  const r = withZod(app);
  const cache = securityTxtCache();
  const textSchema = {
    tags: ['public'],
    security: [],
    produces: [SECURITY_TXT_TYPE],
  };

  r.get(
    '/o/:org/security.txt',
    {
      schema: {
        ...textSchema,
        summary: "The organisation's security.txt (RFC 9116), OpenPGP cleartext-signed",
        params: orgParam,
        response: { 200: z.string(), 404: errorBody, 422: errorBody },
      },
    },
    async (request, reply) => {
      const text = await securityTxtForOrganisation(deps, cache, request.params.org);
      return reply.type(SECURITY_TXT_TYPE).header('cache-control', SECURITY_TXT_CACHE).send(text);
    },
  );

  r.get(
    '/.well-known/security.txt',
    {
      schema: {
        ...textSchema,
        summary:
          'security.txt of the organisation that claims the request’s host name, else of the default organisation',
        response: { 200: z.string(), 404: errorBody },
      },
    },
    async (request, reply) => {
      // request.hostname: the Host header, or X-Forwarded-Host from a proxy HAVEN_TRUST_PROXY trusts
      // (which must set it itself, never pass on the client's); caches keep the two apart.
      const text = await securityTxtForHost(deps, cache, requestHost(request.hostname));
      return reply
        .type(SECURITY_TXT_TYPE)
        .header('cache-control', SECURITY_TXT_CACHE)
        .header('vary', 'Host, X-Forwarded-Host')
        .send(text);
    },
  );

  r.get(
    '/api/v1/orgs/:org/host-names',
    {
      schema: {
        tags: ['organisations'],
        summary: 'Host names whose /.well-known/security.txt is this organisation’s',
        params: orgParam,
        response: { 200: hostNamesBody, 401: errorBody, 403: errorBody, 404: errorBody },
      },
    },
    async (request) => {
      const access = await getOrganisationAccess(deps, requirePrincipal(request), request.params.org);
      return { hostNames: await getHostNames(deps, access) };
    },
  );
}
