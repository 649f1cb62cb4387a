import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { requirePrincipal } from '../auth/authenticate.ts';
import type { Deps } from '../deps.ts';
import { errorBody, orgParam, withZod } from '../http.ts';
import { getOrganisationAccess } from '../orgs/organisation-access.ts';
import { askReporterForPassword } from './ask-reporter-for-password.ts';
import { attachmentView, caseListView, noteView, staffCaseView } from './case-views.ts';
import { sendAttachment } from './send-attachment.ts';
import {
  addNote,
  getStaffCase,
  listStaffCases,
  openStaffAttachment,
  replyToReporter,
} from './staff-cases.ts';
import { unlockAttachment } from './unlock-attachment.ts';

const caseParams = orgParam.extend({
  reference: z
    .string()
    .min(3)
    .max(80)
    .regex(/^[A-Za-z0-9-]+$/),
});
const messageBody = z.object({ body: z.string().trim().min(1).max(100_000) });

/** The team's case API: list, read, answer the reporter, internal notes, files. */
export function caseRoutes(app: FastifyInstance, deps: Deps): void {
  const r = withZod(app);
  const access = (request: Parameters<typeof requirePrincipal>[0], org: string) =>
    getOrganisationAccess(deps, requirePrincipal(request), org);

  r.get(
    '/api/v1/orgs/:org/cases',
    {
      schema: {
        tags: ['cases'],
        summary: 'Cases of the organisation, newest first',
        params: orgParam,
        querystring: z.object({
          state: z
            .string()
            .regex(/^[a-z_]{1,40}$/)
            .optional(),
          q: z.string().trim().min(1).max(200).optional(),
          limit: z.coerce.number().int().min(1).max(200).optional(),
          cursor: z.string().max(200).optional(),
        }),
        response: { 200: caseListView, 404: errorBody },
      },
    },
    async (request) => listStaffCases(deps, await access(request, request.params.org), request.query),
  );

  r.get(
    '/api/v1/orgs/:org/cases/:reference',
    {
      schema: {
        tags: ['cases'],
        summary: 'One case with its report, reporter, files, messages, notes and timeline',
        params: caseParams,
        response: { 200: staffCaseView, 404: errorBody },
      },
    },
    async (request) =>
      getStaffCase(deps, await access(request, request.params.org), request.params.reference.toUpperCase()),
  );

  r.post(
    '/api/v1/orgs/:org/cases/:reference/messages',
    {
      schema: {
        tags: ['cases'],
        summary: 'Answer the reporter (they see it on their case page and by e-mail)',
        params: caseParams,
        body: messageBody,
        response: {
          201: z.object({
            id: z.uuid(),
            at: z.string(),
            author: z.literal('staff'),
            authorName: z.string().nullable(),
            body: z.string(),
          }),
          403: errorBody,
          404: errorBody,
        },
      },
    },
    async (request, reply) => {
      const message = await replyToReporter(
        deps,
        await access(request, request.params.org),
        request.params.reference.toUpperCase(),
        request.body.body,
      );
      return reply.code(201).send(message);
    },
  );

  r.post(
    '/api/v1/orgs/:org/cases/:reference/notes',
    {
      schema: {
        tags: ['cases'],
        summary: 'An internal note (never shown to the reporter)',
        params: caseParams,
        body: messageBody,
        response: { 201: noteView, 403: errorBody, 404: errorBody },
      },
    },
    async (request, reply) => {
      const note = await addNote(
        deps,
        await access(request, request.params.org),
        request.params.reference.toUpperCase(),
        request.body.body,
      );
      return reply.code(201).send(note);
    },
  );

  r.get(
    '/api/v1/orgs/:org/cases/:reference/attachments/:attachment',
    {
      schema: {
        tags: ['cases'],
        summary: 'Download a file of the case (decrypted; always as an attachment)',
        description:
          '`?variant=original` gives the untouched original of an image the reporter marked as proof (evidence, quarantined). Quarantined files are served as application/octet-stream: open them in a safe place.',
        params: caseParams.extend({ attachment: z.uuid() }),
        querystring: z.object({ variant: z.enum(['stored', 'original']).default('stored') }),
        response: { 404: errorBody },
      },
    },
    async (request, reply) => {
      const file = await openStaffAttachment(
        deps,
        await access(request, request.params.org),
        request.params.reference.toUpperCase(),
        request.params.attachment,
        request.query.variant,
      );
      return sendAttachment(reply, file);
    },
  );

  r.post(
    '/api/v1/orgs/:org/cases/:reference/attachments/:attachment/unlock',
    {
      schema: {
        tags: ['cases'],
        summary: 'Unlock a password-protected ZIP or PDF with the password the reporter sent',
        description:
          'Decrypts on the server within limits (1000 files, 100 MiB in all, 100:1 compression, no nesting); the files become attachments pointing at the container (`unlockedFrom`), which stays as sent. 7z and Office documents are kept locked (`attachment.cannot_unlock`). The password is never stored or logged.',
        params: caseParams.extend({ attachment: z.uuid() }),
        body: z.object({ password: z.string().min(1).max(1024) }),
        response: {
          200: z.object({
            container: attachmentView,
            files: z.array(attachmentView),
            skippedSymlinks: z.number().int(),
          }),
          403: errorBody,
          404: errorBody,
          409: errorBody,
          422: errorBody,
        },
      },
    },
    async (request) =>
      unlockAttachment(
        deps,
        await access(request, request.params.org),
        request.params.reference.toUpperCase(),
        request.params.attachment,
        request.body.password,
      ),
  );

  r.post(
    '/api/v1/orgs/:org/cases/:reference/ask-password',
    {
      schema: {
        tags: ['cases'],
        summary: "Ask the reporter by text message for the password of the case's locked files",
        description:
          'Sends a text in the reporter’s language to the phone number they gave (409 `reporter.no_phone` without one) asking them to send the password by text message or phone; records an internal event.',
        params: caseParams,
        response: {
          200: z.object({ sentAt: z.string(), files: z.number().int() }),
          403: errorBody,
          404: errorBody,
          409: errorBody,
          503: errorBody,
        },
      },
    },
    async (request) =>
      askReporterForPassword(
        deps,
        await access(request, request.params.org),
        request.params.reference.toUpperCase(),
      ),
  );
}
