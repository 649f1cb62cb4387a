import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { requirePrincipal } from '../auth/authenticate.ts';
import type { Deps } from '../deps.ts';
import { errorBody, orgParam, withZod } from '../http.ts';
import { getOrganisationAccess } from '../orgs/organisation-access.ts';
import { DEV_MAIL_ID, listDevMailbox, readDevMail } from './dev-mailbox.ts';

const devMailSummary = z
  .object({
    id: z.string(),
    date: z.string().nullable(),
    from: z.string(),
    to: z.string(),
    subject: z.string(),
  })
  .meta({ id: 'DevMailSummary' });

const devMailList = z
  .object({
    messages: z.array(devMailSummary),
    /** More messages than the page holds: only the newest are listed. */
    truncated: z.boolean(),
  })
  .meta({ id: 'DevMailList' });

const devMail = devMailSummary.extend({ text: z.string() }).meta({ id: 'DevMail' });

const description =
  'Owners only, signed in (not with an API token), and only while Haven writes mail to its outbox instead of an SMTP relay: 404 when `SMTP_URL` is set. The messages hold reporters\u2019 private links.';

/** The embedded default's outbox, per organisation: what Haven would have sent. */
export function devMailboxRoutes(app: FastifyInstance, deps: Deps): void {
  const r = withZod(app);
  const access = (request: Parameters<typeof requirePrincipal>[0], org: string) =>
    getOrganisationAccess(deps, requirePrincipal(request), org);

  r.get(
    '/api/v1/orgs/:org/dev-mailbox',
    {
      schema: {
        tags: ['mail'],
        summary: 'Mail written to the outbox about the organisation, newest first (at most 200)',
        description,
        params: orgParam,
        response: { 200: devMailList, 403: errorBody, 404: errorBody },
      },
    },
    async (request) => listDevMailbox(deps, await access(request, request.params.org)),
  );

  r.get(
    '/api/v1/orgs/:org/dev-mailbox/:id',
    {
      schema: {
        tags: ['mail'],
        summary: 'One message of the dev mailbox, with its decoded text',
        description,
        params: orgParam.extend({ id: z.string().max(120).regex(DEV_MAIL_ID) }),
        response: { 200: devMail, 403: errorBody, 404: errorBody, 422: errorBody },
      },
    },
    async (request) => readDevMail(deps, await access(request, request.params.org), request.params.id),
  );
}
