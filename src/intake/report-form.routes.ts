import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  refuseCrossSite,
  sendPage,
  sendProblemPage,
  setReporterCookie,
} from '../cases/reporter-pages.routes.ts';
import type { Deps } from '../deps.ts';
import { clientKey, parseWith } from '../http.ts';
import { randomToken } from '../platform/crypto.ts';
import { AppError } from '../platform/errors.ts';
import { malformedStrings, toAppError } from '../platform/http-errors.ts';
import { isLanguage, type Language } from '../platform/i18n.ts';
import { getIntakePolicy, type IntakePolicy } from '../policies/policies.ts';
import { renderNotFoundPage, type Translator } from '../policies/policy-page.ts';
import { negotiateLanguage } from '../policies/public.routes.ts';
import { type MultipartBody, readMultipart } from './read-multipart.ts';
import {
  emptyFormValues,
  type FormProblem,
  formProblem,
  type ReportFormValues,
  renderReportForm,
  renderReportReceived,
} from './report-form-page.ts';
import { reportSubmissionSchema } from './report-submission.ts';
import { submitReport } from './submit-report.ts';

/**
 * The web report form at /o/{org}/report: GET shows it as the organisation's published policy asks,
 * POST (multipart, as the browser sends it) maps the flat fields onto the API's submission and
 * takes it in through the same use case. A refusal shows the form again with the input kept.
 */

const SLUG = /^[a-z0-9-]{1,40}$/;
/** The form nonce is the idempotency key: a double click or a resend makes one case. */
const NONCE = /^[A-Za-z0-9_-]{16,100}$/;

type Query = { lang?: unknown };
type Params = { org: string };

// ---------------------------------------------------------------------------------------------
// The ALTCHA widget, served by Haven itself: the CSP allows scripts, styles and workers from
// 'self' only, and altcha/external is the build without inline styles or inline workers.

type Asset = { body: Buffer; type: string };

/** A file of an installed package, by its export; `preferSibling` (a minified build) when it exists. */
function readPackageFile(specifier: string, preferSibling?: string): Buffer {
  const url = new URL(import.meta.resolve(specifier));
  const sibling = preferSibling ? new URL(preferSibling, url) : undefined;
  return fs.readFileSync(fileURLToPath(sibling && fs.existsSync(sibling) ? sibling : url));
}

function versioned(name: string, body: Buffer): string {
  const [stem, ext] = name.split('.');
  return `${stem}.${createHash('sha256').update(body).digest('hex').slice(0, 12)}.${ext}`;
}

/** The widget's files under content-hashed names (so they can be cached for a year), read once. */
function altchaAssets() {
  const assets = new Map<string, Asset>();
  const add = (name: string, body: Buffer, type: string) => {
    const file = versioned(name, body);
    assets.set(file, { body, type });
    return `/assets/altcha/${file}`;
  };
  const js = 'text/javascript; charset=utf-8';
  const widget = add('altcha.js', readPackageFile('altcha/external', 'altcha.min.js'), js);
  const dutch = add('altcha-nl.js', readPackageFile('altcha/i18n/nl'), js);
  const stylesheet = add('altcha.css', readPackageFile('altcha/altcha.css'), 'text/css; charset=utf-8');
  const worker = add('altcha-sha.js', readPackageFile('altcha/workers/sha'), js);
  // altcha/external brings no workers: register the self-hosted one for the SHA challenges Haven makes.
  const setup = add(
    'altcha-setup.js',
    Buffer.from(
      `(() => {\n  const worker = () => new Worker(${JSON.stringify(worker)});\n  for (const algorithm of ['SHA-256', 'SHA-384', 'SHA-512']) globalThis.$altcha.algorithms.set(algorithm, worker);\n})();\n`,
    ),
    js,
  );
  return { assets, scripts: [widget, dutch, setup], stylesheet };
}

// ---------------------------------------------------------------------------------------------
// Form fields → submission.

const TEXT_FIELDS = [
  'title',
  'assets',
  'ipAddresses',
  'objects',
  'steps',
  'impact',
  'proofOfConceptText',
  'cwe',
  'identity',
  'name',
  'alias',
  'email',
  'phone',
  'openpgpKey',
  'creditName',
  'language',
] as const;

function formValues(fields: Map<string, string[]>, fallbackLanguage: Language): ReportFormValues {
  const one = (name: string) => fields.get(name)?.[0] ?? '';
  const values = emptyFormValues(fallbackLanguage, []);
  for (const name of TEXT_FIELDS) values[name] = one(name);
  values.creditWanted = one('creditWanted') === 'yes';
  values.acceptPolicy = one('acceptPolicy') === 'yes';
  return values;
}

function lines(text: string): string[] {
  return text
    .split(/\r\n|\r|\n/)
    .map((line) => line.trim())
    .filter(Boolean);
}

/** "79", "cwe79", "CWE 79" → "CWE-79"; anything else as typed, for the schema to refuse. */
function normaliseCwe(text: string): string | undefined {
  const trimmed = text.trim();
  if (!trimmed) return undefined;
  const number = /^(?:cwe[\s-]*)?(\d{1,6})$/i.exec(trimmed)?.[1];
  return number ? `CWE-${number}` : trimmed;
}

/** The flat form as the API's submission: lines split, empty optional fields left out. */
function toSubmission(
  values: ReportFormValues,
  extra: { policy: IntakePolicy['policy']; acceptedVersion: string; altcha: string; website: string },
) {
  const optional = (text: string) => text.trim() || undefined;
  const identity = optional(values.identity);
  const credit = extra.policy?.settings.credit;
  return {
    title: optional(values.title),
    assets: lines(values.assets),
    ipAddresses: lines(values.ipAddresses),
    objects: values.objects,
    steps: optional(values.steps),
    impact: values.impact,
    proofOfConcept: values.proofOfConceptText,
    cwe: normaliseCwe(values.cwe),
    reporter: {
      identity,
      // Only the detail of the chosen way: a name typed before choosing "anonymous" is not sent.
      name: identity === 'named' ? optional(values.name) : undefined,
      alias: identity === 'alias' ? optional(values.alias) : undefined,
      email: optional(values.email),
      phone: optional(values.phone),
      openpgpKey: optional(values.openpgpKey),
    },
    credit:
      credit && (credit.hallOfFame || credit.creditInAdvisories)
        ? { wanted: values.creditWanted, name: values.creditWanted ? optional(values.creditName) : undefined }
        : undefined,
    language: optional(values.language),
    acceptedPolicyVersion:
      extra.policy && values.acceptPolicy && /^[1-9]\d{0,6}$/.test(extra.acceptedVersion)
        ? Number(extra.acceptedVersion)
        : null,
    altcha: optional(extra.altcha),
    website: extra.website || undefined,
  };
}

// ---------------------------------------------------------------------------------------------

export function reportFormRoutes(app: FastifyInstance, deps: Deps): void {
  const origin = deps.config.publicUrl.replace(/\/+$/, '');
  const publicOrigin = new URL(deps.config.publicUrl).origin;
  const altcha = deps.proofOfWork ? altchaAssets() : undefined;
  const translator =
    (language: Language): Translator =>
    (key, values) =>
      deps.translate(language, `public.${key}`, values);

  function limitClient(request: FastifyRequest) {
    const verdict = deps.limits.submissionsPerClient.consume(clientKey(request), Date.now());
    if (!verdict.allowed) {
      throw new AppError('request.rate_limited', 'Too many reports from here; try again later.', [
        { code: 'retry_after', message: String(verdict.retryAfterSeconds) },
      ]);
    }
  }

  /** The organisation and its rules, or the not-found page (then undefined). */
  async function intakeOf(
    request: FastifyRequest<{ Params: Params; Querystring: Query }>,
    reply: FastifyReply,
  ): Promise<IntakePolicy | undefined> {
    const slug = request.params.org;
    const intake = SLUG.test(slug)
      ? await getIntakePolicy(deps, slug).catch((error: unknown) => {
          if (error instanceof AppError && error.code === 'org.not_found') return undefined;
          throw error;
        })
      : undefined;
    if (intake) return intake;
    const { language, explicit } = negotiateLanguage(request.query.lang, request.headers['accept-language']);
    const lang = language ?? 'en';
    await sendPage(
      reply,
      404,
      renderNotFoundPage({
        kind: 'organisation',
        language: lang,
        t: translator(lang),
        origin,
        path: `/o/${slug}/report`,
        explicitLanguage: explicit,
      }),
    );
    return undefined;
  }

  function showForm(
    reply: FastifyReply,
    status: number,
    intake: IntakePolicy,
    o: {
      language: Language;
      explicit: boolean;
      values: ReportFormValues;
      nonce: string;
      problem?: FormProblem;
    },
  ) {
    const { organisation, policy, rules } = intake;
    return sendPage(
      reply,
      status,
      renderReportForm({
        organisation: { slug: organisation.slug, name: organisation.name },
        policy,
        rules,
        language: o.language,
        explicitLanguage: o.explicit,
        t: translator(o.language),
        origin,
        values: o.values,
        nonce: o.nonce,
        problem: o.problem,
        altcha: altcha
          ? {
              script: altcha.scripts,
              stylesheet: altcha.stylesheet,
              challengeUrl: `/api/v1/orgs/${encodeURIComponent(organisation.slug)}/reports/challenge`,
            }
          : undefined,
      }),
    );
  }

  app.register(async (scope) => {
    // Whatever breaks here is an HTML page for a person, not a JSON error.
    scope.setErrorHandler((error, request, reply) => {
      const known = toAppError(error);
      if (!known) request.log.error({ err: error, requestId: request.id }, 'unhandled error');
      const { language, explicit } = negotiateLanguage(
        (request.query as Query | undefined)?.lang,
        request.headers['accept-language'],
      );
      const lang = language ?? 'en';
      const page = { language: lang, explicitLanguage: explicit, t: translator(lang), origin };
      return sendProblemPage(reply, deps, page, known, request.url.split('?')[0] ?? '/');
    });

    scope.get<{ Params: { file: string } }>(
      '/assets/altcha/:file',
      { schema: { hide: true } },
      async (request, reply) => {
        const asset = altcha?.assets.get(request.params.file);
        if (!asset) throw new AppError('request.not_found', 'Not found.');
        return reply
          .type(asset.type)
          .header('cache-control', 'public, max-age=31536000, immutable')
          .send(asset.body);
      },
    );

    scope.get<{ Params: Params; Querystring: Query }>(
      '/o/:org/report',
      { schema: { hide: true } },
      async (request, reply) => {
        const intake = await intakeOf(request, reply);
        if (!intake) return reply;
        const { language, explicit } = negotiateLanguage(
          request.query.lang,
          request.headers['accept-language'],
        );
        const lang = language ?? intake.organisation.default_language;
        return showForm(reply, 200, intake, {
          language: lang,
          explicit,
          values: emptyFormValues(lang, intake.rules.identities),
          nonce: randomToken(16),
        });
      },
    );

    scope.post<{ Params: Params; Querystring: Query }>(
      '/o/:org/report',
      { schema: { hide: true } },
      async (request, reply) => {
        refuseCrossSite(request, publicOrigin);
        const intake = await intakeOf(request, reply);
        if (!intake) return reply;
        const negotiated = negotiateLanguage(request.query.lang, request.headers['accept-language']);
        const body: MultipartBody = { fields: new Map(), files: [] };
        const one = (name: string) => body.fields.get(name)?.[0] ?? '';
        let language = negotiated.language ?? intake.organisation.default_language;
        let values = emptyFormValues(language, intake.rules.identities);
        let nonce = randomToken(16);
        try {
          if (!request.isMultipart()) {
            throw new AppError('request.unsupported_media_type', 'Expected multipart/form-data.');
          }
          try {
            await readMultipart(request, body);
          } finally {
            // What was read before a failure is shown again: the reporter's work is not lost.
            const formLanguage = one('formLanguage');
            if (isLanguage(formLanguage)) language = formLanguage;
            values = formValues(body.fields, language);
            if (NONCE.test(one('formNonce'))) nonce = one('formNonce');
          }
          limitClient(request);
          const malformed = malformedStrings(Object.fromEntries(body.fields), '');
          if (malformed.length > 0) {
            throw new AppError(
              'request.invalid',
              'Some fields hold characters that cannot be stored.',
              malformed.map((f) => ({ field: f.split('.')[0] ?? f, code: 'invalid', message: 'malformed' })),
            );
          }
          const submission = parseWith(
            reportSubmissionSchema,
            toSubmission(values, {
              policy: intake.policy,
              acceptedVersion: one('acceptedPolicyVersion'),
              altcha: one('altcha'),
              website: one('website'),
            }),
          );
          const receipt = await submitReport(deps, intake.organisation.slug, submission, {
            channel: 'web',
            mode: 'enforce',
            files: body.files,
            idempotencyKey: nonce,
            acknowledge: true,
          });
          // The browser opens the case page and the receipt with the cookie, not the token in a URL.
          setReporterCookie(reply, receipt.token);
          const t = translator(language);
          const lang = negotiated.explicit ? `?lang=${language}` : '';
          return sendPage(
            reply,
            201,
            renderReportReceived({
              organisation: intake.organisation,
              policy: intake.policy,
              language,
              explicitLanguage: negotiated.explicit,
              t,
              origin,
              reference: receipt.reference,
              caseUrl: receipt.caseUrl,
              mailed: Boolean(submission.reporter.email),
              casePath: `/r/case${lang}`,
              receiptPath: `/r/case/receipt${lang}`,
            }),
          );
        } catch (error) {
          const known = toAppError(error);
          if (!known || known.code === 'request.csrf_failed') throw error;
          // This nonce made a case already, with other content: a new report needs a new nonce.
          if (known.code === 'report.idempotency_conflict') nonce = randomToken(16);
          if (known.code === 'request.rate_limited') {
            const retry = known.details?.find((d) => d.code === 'retry_after')?.message;
            if (retry) reply.header('retry-after', retry);
          }
          const t = translator(language);
          const problem = formProblem(known, {
            t,
            translate: (key, v) => deps.translate(language, key, v),
            language,
            organisation: intake.organisation.name,
            rules: intake.rules,
            policyVersion: intake.policy?.version,
            lines: { assets: lines(values.assets), ipAddresses: lines(values.ipAddresses) },
            filesSent: body.files.length > 0 || known.code.startsWith('attachment.'),
          });
          // The acceptance is asked again when the policy changed while the form was open.
          if (values.acceptPolicy && one('acceptedPolicyVersion') !== String(intake.policy?.version)) {
            values.acceptPolicy = false;
          }
          return showForm(reply, known.status, intake, {
            language,
            explicit: negotiated.explicit,
            values,
            nonce,
            problem,
          });
        }
      },
    );
  });
}
