import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Deps } from '../deps.ts';
import { errorBody, orgParam, withZod } from '../http.ts';
import { findOrganisationBySlug } from '../orgs/organisation.repository.ts';
import { AppError } from '../platform/errors.ts';
import { organisationPublicKey } from './organisation-public-key.ts';

/** Short enough that a rotated key reaches reporters (and matches security.txt's cache) quickly. */
const KEY_CACHE = 'public, max-age=300';

export function openpgpRoutes(app: FastifyInstance, deps: Deps): void {
  const r = withZod(app);

  r.get(
    '/o/:org/pgp-key.asc',
    {
      schema: {
        tags: ['public'],
        summary: "The organisation's current OpenPGP public key (ASCII-armored)",
        security: [],
        params: orgParam,
        produces: ['application/pgp-keys'],
        response: { 200: z.string(), 404: errorBody, 422: errorBody },
      },
    },
    async (request, reply) => {
      const organisation = await findOrganisationBySlug(deps.db, request.params.org);
      if (!organisation) throw new AppError('org.not_found', 'No such organisation.');
      const key = await organisationPublicKey(deps, organisation.id);
      return reply
        .type('application/pgp-keys')
        .header('content-disposition', `inline; filename="${organisation.slug}-pgp-key.asc"`)
        .header('cache-control', KEY_CACHE)
        .header('x-openpgp-fingerprint', key.fingerprint.toUpperCase())
        .send(key.armored);
    },
  );
}
