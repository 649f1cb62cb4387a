import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { requirePrincipal } from '../auth/authenticate.ts';
import type { Deps } from '../deps.ts';
import { errorBody, orgParam, withZod } from '../http.ts';
import { getOrganisationAccess, requireScope } from '../orgs/organisation-access.ts';
import { getIntakePolicy } from '../policies/policies.ts';

const mailIntakeView = z
  .object({
    /** Haven's own address for the organisation first, then the published policy's intake addresses. */
    addresses: z.array(z.string()),
    /** Haven's SMTP listener, or null when it is off (mail then comes by IMAP only). */
    smtp: z.object({ port: z.number().int(), starttls: z.boolean() }).nullable(),
  })
  .meta({ id: 'MailIntake' });

/** Where reports by e-mail reach this organisation's Haven: what a team needs to set up forwarding. */
export function mailIntakeRoutes(app: FastifyInstance, deps: Deps): void {
  withZod(app).get(
    '/api/v1/orgs/:org/mail-intake',
    {
      schema: {
        tags: ['mail'],
        summary: 'The addresses and SMTP listener that take reports by e-mail',
        params: orgParam,
        response: { 200: mailIntakeView, 401: errorBody, 403: errorBody, 404: errorBody },
      },
    },
    async (request) => {
      const access = await getOrganisationAccess(deps, requirePrincipal(request), request.params.org);
      requireScope(access, 'org:read');
      const { organisation, rules } = await getIntakePolicy(deps, access.organisation.slug);
      const own = `${organisation.slug}@${new URL(deps.config.publicUrl).hostname.toLowerCase()}`;
      const smtp = deps.config.smtp;
      return {
        addresses: [own, ...rules.emails.filter((a) => a.toLowerCase() !== own)],
        smtp: smtp ? { port: smtp.port, starttls: smtp.tls !== undefined } : null,
      };
    },
  );
}
