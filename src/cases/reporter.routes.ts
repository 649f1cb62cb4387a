import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Deps } from '../deps.ts';
import { clientKey, errorBody, parseWith, withZod } from '../http.ts';
import { readMultipart } from '../intake/read-multipart.ts';
import { AppError } from '../platform/errors.ts';
import { reporterCaseView, reporterMessageView } from './case-views.ts';
import { renewReporterLink, requireCaseByAccessToken } from './reporter-access.ts';
import {
  changeCredit,
  getReporterCase,
  postReporterMessage,
  reporterMessages,
  requestRecovery,
  withdrawReport,
} from './reporter-case.ts';

const bearer = [{ reporter: [] }];
export const reporterMessageBody = z.object({ body: z.string().trim().min(1).max(100_000) });
export const creditBody = z.object({ wanted: z.boolean(), name: z.string().trim().max(120).optional() });
export const recoveryBody = z.object({
  reference: z.string().trim().min(3).max(80),
  email: z.email().max(254),
});

/**
 * The reporter's API, opened by their link token as `Authorization: Bearer havenr_…`. Staff
 * credentials open nothing here, and a reporter token opens nothing else.
 */
export function reporterRoutes(app: FastifyInstance, deps: Deps): void {
  const r = withZod(app);
  const caseOf = (request: FastifyRequest) => requireCaseByAccessToken(deps, request.reporterToken);

  r.get(
    '/api/v1/reporter/case',
    {
      config: { public: true },
      schema: {
        tags: ['reporter'],
        summary: 'Your case: status, timeline, messages, promises',
        security: bearer,
        response: { 200: reporterCaseView, 404: errorBody },
      },
    },
    async (request) => getReporterCase(deps, await caseOf(request)),
  );

  r.get(
    '/api/v1/reporter/case/messages',
    {
      config: { public: true },
      schema: {
        tags: ['reporter'],
        summary: 'Messages between you and the team',
        security: bearer,
        response: { 200: z.object({ messages: z.array(reporterMessageView) }), 404: errorBody },
      },
    },
    async (request) => ({ messages: await reporterMessages(deps, await caseOf(request)) }),
  );

  r.post(
    '/api/v1/reporter/case/messages',
    {
      config: { public: true, csrf: false },
      schema: {
        tags: ['reporter'],
        summary:
          'Write to the team (JSON `{body}`, or multipart with part `body` and files in `attachments`)',
        security: bearer,
        response: {
          201: reporterMessageView,
          404: errorBody,
          409: errorBody,
          413: errorBody,
          422: errorBody,
        },
      },
    },
    async (request, reply) => {
      const c = await caseOf(request);
      const verdict = deps.limits.reporterMessagesPerCase.consume(c.id, Date.now());
      if (!verdict.allowed) {
        throw new AppError('request.rate_limited', 'Too many messages; try again later.', [
          { code: 'retry_after', message: String(verdict.retryAfterSeconds) },
        ]);
      }
      let json: unknown = request.body;
      let files: Awaited<ReturnType<typeof readMultipart>>['files'] = [];
      if (request.isMultipart()) {
        const body = await readMultipart(request);
        json = { body: body.fields.get('body')?.[0] };
        files = body.files;
      }
      const { body } = parseWith(reporterMessageBody, json);
      return reply.code(201).send(await postReporterMessage(deps, c, body, files));
    },
  );

  r.put(
    '/api/v1/reporter/case/credit',
    {
      config: { public: true, csrf: false },
      schema: {
        tags: ['reporter'],
        summary: 'Whether and how you want to be credited',
        security: bearer,
        body: creditBody,
        response: { 200: z.object({ wanted: z.boolean(), name: z.string().nullable() }), 404: errorBody },
      },
    },
    async (request) => changeCredit(deps, await caseOf(request), request.body),
  );

  r.post(
    '/api/v1/reporter/case/withdraw',
    {
      config: { public: true, csrf: false },
      schema: {
        tags: ['reporter'],
        summary: 'Withdraw your report',
        security: bearer,
        response: { 204: z.null(), 404: errorBody, 409: errorBody },
      },
    },
    async (request, reply) => {
      await withdrawReport(deps, await caseOf(request));
      return reply.code(204).send(null);
    },
  );

  r.post(
    '/api/v1/reporter/case/link',
    {
      config: { public: true, csrf: false },
      schema: {
        tags: ['reporter'],
        summary: 'Revoke every link to your case and get a new one',
        security: bearer,
        response: { 201: z.object({ token: z.string(), caseUrl: z.string() }), 404: errorBody },
      },
    },
    async (request, reply) => reply.code(201).send(await renewReporterLink(deps, await caseOf(request))),
  );

  r.post(
    '/api/v1/reporter/recover',
    {
      config: { public: true, csrf: false },
      schema: {
        tags: ['reporter'],
        summary: 'Lost your link? Get a new one by e-mail (same answer whether or not they match)',
        security: [],
        body: recoveryBody,
        response: { 202: z.object({ status: z.literal('sent_if_matching') }), 429: errorBody },
      },
    },
    async (request, reply) => {
      const verdict = deps.limits.mailRequestsPerClient.consume(clientKey(request), Date.now());
      if (!verdict.allowed) {
        throw new AppError('request.rate_limited', 'Too many requests; try again later.', [
          { code: 'retry_after', message: String(verdict.retryAfterSeconds) },
        ]);
      }
      // Answered before the lookup finishes: the time taken tells nothing either.
      reply.code(202).send({ status: 'sent_if_matching' as const });
      await requestRecovery(deps, request.body).catch((error: unknown) =>
        request.log.error({ err: error }, 'recovery request failed'),
      );
      return reply;
    },
  );
}
