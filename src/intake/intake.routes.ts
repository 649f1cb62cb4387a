import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { requirePrincipal } from '../auth/authenticate.ts';
import type { Deps } from '../deps.ts';
import { clientKey, errorBody, orgParam, parseWith, withZod } from '../http.ts';
import { findOrganisationBySlug } from '../orgs/organisation.repository.ts';
import { getOrganisationAccess, requireScope } from '../orgs/organisation-access.ts';
import { AppError } from '../platform/errors.ts';
import type { IncomingFile } from './attachment-pipeline.ts';
import { readMultipart } from './read-multipart.ts';
import { reportImportSchema, reportSubmissionSchema } from './report-submission.ts';
import { submitReport } from './submit-report.ts';

const created = z
  .object({
    reference: z.string(),
    /** The reporter's capability token (havenr_…): shown once; keep it secret. */
    token: z.string(),
    caseUrl: z.string(),
  })
  .meta({ id: 'ReportReceipt' });

const idempotencyHeader = z.object({
  'idempotency-key': z
    .string()
    .min(8)
    .max(200)
    .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces')
    .optional(),
});

/** A JSON body as it is, or the JSON in multipart part `field` plus the files. */
async function readSubmission(
  request: FastifyRequest,
  field: string,
): Promise<{ json: unknown; files: IncomingFile[] }> {
  if (!request.isMultipart()) return { json: request.body, files: [] };
  const body = await readMultipart(request);
  const raw = body.fields.get(field);
  if (raw?.length !== 1 || raw[0] === undefined) {
    throw new AppError('request.invalid', `Send the report as JSON in one multipart part named "${field}".`, [
      { field, code: 'required', message: 'one JSON part' },
    ]);
  }
  try {
    return { json: JSON.parse(raw[0]), files: body.files };
  } catch {
    throw new AppError('request.invalid_json', `The part "${field}" is not valid JSON.`);
  }
}

export function intakeRoutes(app: FastifyInstance, deps: Deps): void {
  const r = withZod(app);

  function limitClient(request: FastifyRequest) {
    const verdict = deps.limits.submissionsPerClient.consume(clientKey(request), Date.now());
    if (!verdict.allowed) {
      throw new AppError('request.rate_limited', 'Too many reports from here; try again later.', [
        { code: 'retry_after', message: String(verdict.retryAfterSeconds) },
      ]);
    }
  }

  r.get(
    '/api/v1/orgs/:org/reports/challenge',
    {
      config: { public: true },
      schema: {
        tags: ['intake'],
        summary: 'An ALTCHA proof-of-work challenge for a report submission',
        description:
          'Solve it with altcha-lib (or the ALTCHA widget) and send the base64 payload in the field `altcha`. Needed for anonymous API reports and every web-form report; each solution works once.',
        security: [],
        params: orgParam,
        response: { 200: z.record(z.string(), z.unknown()), 404: errorBody },
      },
    },
    async (request) => {
      const organisation = await findOrganisationBySlug(deps.db, request.params.org);
      if (!organisation) throw new AppError('org.not_found', 'No such organisation.');
      if (!deps.proofOfWork) throw new AppError('request.not_found', 'Proof-of-work is turned off here.');
      return (await deps.proofOfWork.challenge()) as unknown as Record<string, unknown>;
    },
  );

  r.post(
    '/api/v1/orgs/:org/reports',
    {
      config: { public: true, csrf: false },
      bodyLimit: 1024 * 1024,
      schema: {
        tags: ['intake'],
        summary: 'Report a vulnerability',
        description:
          'JSON (`ReportSubmission`), or multipart/form-data with the JSON in part `report` and files in parts `attachments` (and `proofOfConcept` for files that are the proof itself, kept unaltered as evidence). The fields follow the organisation’s published policy. A retry with the same `Idempotency-Key` within 24 hours returns the first answer.',
        security: [],
        params: orgParam,
        headers: idempotencyHeader,
        response: { 201: created, 409: errorBody, 413: errorBody, 422: errorBody, 429: errorBody },
      },
    },
    async (request, reply) => {
      limitClient(request);
      const { json, files } = await readSubmission(request, 'report');
      const submission = parseWith(reportSubmissionSchema, json);
      const receipt = await submitReport(deps, request.params.org, submission, {
        channel: 'api',
        mode: 'enforce',
        files,
        idempotencyKey: request.headers['idempotency-key'],
        acknowledge: true,
      });
      return reply.code(201).send(receipt);
    },
  );

  r.post(
    '/api/v1/orgs/:org/reports/import',
    {
      bodyLimit: 1024 * 1024,
      schema: {
        tags: ['intake'],
        summary: 'Import a report received elsewhere (owners)',
        description:
          'JSON (`ReportImport`), or multipart with the JSON in part `import` and files as for a report. The policy version in force at `receivedAt` is recorded, accepted implicitly; deviations from the policy are recorded, never refused. No acknowledgement unless `acknowledge` is true.',
        params: orgParam,
        headers: idempotencyHeader,
        response: { 201: created, 403: errorBody, 404: errorBody, 413: errorBody, 422: errorBody },
      },
    },
    async (request, reply) => {
      const access = await getOrganisationAccess(deps, requirePrincipal(request), request.params.org);
      requireScope(access, 'reports:write');
      if (access.role !== 'owner') throw new AppError('auth.forbidden', 'Only owners import reports.');
      const { json, files } = await readSubmission(request, 'import');
      const imported = parseWith(reportImportSchema, json);
      const receivedAt = new Date(imported.receivedAt);
      if (receivedAt > deps.clock.now()) {
        throw new AppError('request.invalid', 'A report cannot have been received in the future.', [
          { field: 'receivedAt', code: 'invalid', message: 'in the future' },
        ]);
      }
      const receipt = await submitReport(
        deps,
        request.params.org,
        { ...imported.report, acceptedPolicyVersion: null },
        {
          channel: imported.channel,
          mode: 'record',
          files,
          idempotencyKey: request.headers['idempotency-key'],
          receivedAt,
          imported: true,
          source: imported.source,
          acknowledge: imported.acknowledge,
        },
      );
      return reply.code(201).send(receipt);
    },
  );
}
