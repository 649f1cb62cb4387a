import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { requirePrincipal } from '../auth/authenticate.ts';
import type { Deps } from '../deps.ts';
import { errorBody, iso, isoOrNull, orgParam, withZod } from '../http.ts';
import { getOrganisationAccess } from '../orgs/organisation-access.ts';
import {
  deleteImapMailbox,
  getImapMailbox,
  type ImapMailboxView,
  saveImapMailbox,
  testImapMailbox,
} from './imap-mailbox.ts';

const HOST_NAME =
  /^(\[[0-9a-fA-F:.]+\]|[0-9a-fA-F:]*:[0-9a-fA-F:.]+|[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?)$/;
/** A folder path with `/` between levels; no control characters, no wildcards IMAP would expand. */
const folder = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[^\p{Cc}*%]+$/u, 'must not contain control characters, * or %');

/** The OAuth2 client Haven gets access tokens from with the stored refresh token (authKind xoauth2). */
const oauthInput = z.object({
  tokenUrl: z.string().trim().min(1).max(2000),
  clientId: z.string().trim().min(1).max(500),
  /** Write-only: left out, the stored one is kept while token URL and client ID stay the same. */
  clientSecret: z.string().min(1).max(8192).optional(),
  scope: z.string().trim().max(1000).optional(),
});

const mailboxInput = z.object({
  host: z.string().trim().min(1).max(253).regex(HOST_NAME, 'must be a host name or an IP address'),
  port: z.number().int().min(1).max(65535),
  tls: z.enum(['implicit', 'starttls', 'none']),
  username: z.string().min(1).max(320),
  authKind: z.enum(['password', 'xoauth2']).default('password'),
  /** The password, or with xoauth2 the OAuth2 refresh token. Write-only: required the first time, left out to keep the stored one. */
  secret: z.string().min(1).max(8192).optional(),
  /** Required with xoauth2, ignored with a password. */
  oauth: oauthInput.nullish(),
  folder: folder.default('INBOX'),
  processedFolder: folder.default('Haven/Processed'),
  enabled: z.boolean().default(true),
});

const mailboxView = z
  .object({
    host: z.string(),
    port: z.number().int(),
    tls: z.enum(['implicit', 'starttls', 'none']),
    username: z.string(),
    authKind: z.enum(['password', 'xoauth2']),
    /** The secret itself is never returned. */
    hasSecret: z.literal(true),
    /** The client secret itself is never returned either. */
    oauth: z
      .object({
        tokenUrl: z.string(),
        clientId: z.string(),
        scope: z.string().nullable(),
        hasClientSecret: z.boolean(),
      })
      .nullable(),
    folder: z.string(),
    processedFolder: z.string(),
    enabled: z.boolean(),
    lastPolledAt: z.string().nullable(),
    lastError: z.string().nullable(),
    updatedAt: z.string(),
  })
  .meta({ id: 'ImapMailbox' });

const toView = (v: ImapMailboxView) => ({
  ...v,
  lastPolledAt: isoOrNull(v.lastPolledAt),
  updatedAt: iso(v.updatedAt),
});

const description =
  'Owners only, signed in (not with an API token): the mailbox holds a credential to the organisation\u2019s mail system. The password, OAuth2 refresh token and client secret are write-only.';

/** The organisation's own mailbox (often security@) that Haven reads by IMAP. */
export function imapMailboxRoutes(app: FastifyInstance, deps: Deps): void {
  const r = withZod(app);
  const access = (request: Parameters<typeof requirePrincipal>[0], org: string) =>
    getOrganisationAccess(deps, requirePrincipal(request), org);

  r.get(
    '/api/v1/orgs/:org/mailboxes/imap',
    {
      schema: {
        tags: ['mail'],
        summary: 'The IMAP mailbox Haven reads reports from, and how its last poll went',
        description,
        params: orgParam,
        response: { 200: mailboxView, 401: errorBody, 403: errorBody, 404: errorBody },
      },
    },
    async (request) => toView(await getImapMailbox(deps, await access(request, request.params.org))),
  );

  r.put(
    '/api/v1/orgs/:org/mailboxes/imap',
    {
      schema: {
        tags: ['mail'],
        summary: 'Set up or change the IMAP mailbox',
        description,
        params: orgParam,
        body: mailboxInput,
        response: { 200: mailboxView, 401: errorBody, 403: errorBody, 404: errorBody, 422: errorBody },
      },
    },
    async (request) =>
      toView(await saveImapMailbox(deps, await access(request, request.params.org), request.body)),
  );

  r.delete(
    '/api/v1/orgs/:org/mailboxes/imap',
    {
      schema: {
        tags: ['mail'],
        summary: 'Stop reading the IMAP mailbox and forget its credential',
        description,
        params: orgParam,
        response: { 204: z.null(), 401: errorBody, 403: errorBody, 404: errorBody },
      },
    },
    async (request, reply) => {
      await deleteImapMailbox(deps, await access(request, request.params.org));
      return reply.code(204).send(null);
    },
  );

  r.post(
    '/api/v1/orgs/:org/mailboxes/imap/test',
    {
      schema: {
        tags: ['mail'],
        summary: 'Connect, sign in and open the folder: ok, or `mail.imap_failed` with the reason',
        description,
        params: orgParam,
        response: {
          200: z.object({ ok: z.literal(true), messages: z.number().int() }),
          401: errorBody,
          403: errorBody,
          404: errorBody,
          502: errorBody,
        },
      },
    },
    async (request) => testImapMailbox(deps, await access(request, request.params.org)),
  );
}
