import type {} from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../deps.ts';
import { clientKey, parseWith } from '../http.ts';
import { type MultipartBody, readMultipart } from '../intake/read-multipart.ts';
import { hashToken, hmac, safeEqual } from '../platform/crypto.ts';
import { AppError } from '../platform/errors.ts';
import { toAppError } from '../platform/http-errors.ts';
import type { Language } from '../platform/i18n.ts';
import { getIntakePolicy, getPublishedPolicy } from '../policies/policies.ts';
import type { Translator } from '../policies/policy-page.ts';
import { promiseSentences } from '../policies/promises.ts';
import { negotiateLanguage } from '../policies/public.routes.ts';
import type { CaseRow } from './case.table.ts';
import { creditBody, recoveryBody, reporterMessageBody } from './reporter.routes.ts';
import {
  findCaseByAccessToken,
  isReporterToken,
  RECOVERY_TTL_MS,
  redeemReporterLink,
  renewReporterLink,
  reporterCaseUrl,
} from './reporter-access.ts';
import {
  changeCredit,
  getReporterCase,
  postReporterMessage,
  requestRecovery,
  withdrawReport,
} from './reporter-case.ts';
import {
  type BilingualBase,
  type CaseFormName,
  type PageBase,
  receiptText,
  renderCasePage,
  renderCookieRetryPage,
  renderLinkInvalidPage,
  renderNoAccessPage,
  renderProblemPage,
  renderRecoverPage,
  renderRecoverSentPage,
  renderSignedOutPage,
} from './reporter-pages.ts';
import { sendAttachment } from './send-attachment.ts';
import { openAttachment } from './staff-cases.ts';

/**
 * The reporter's pages under /r. A link `/r/{token}` is swapped for a cookie scoped to /r, so the
 * token leaves the address bar; every form posts back with the cookie, a same-origin check and a
 * CSRF field, and answers with a redirect (PRG). Nothing under /r is cached or sends a referrer.
 */

/** HttpOnly, Secure, SameSite=Strict, Path=/r: the link token itself, for this browser session. */
export const REPORTER_COOKIE = '__Secure-haven_reporter';
const COOKIE_OPTIONS = { path: '/r', secure: true, httpOnly: true, sameSite: 'strict' } as const;

export function setReporterCookie(reply: FastifyReply, token: string): void {
  reply.setCookie(REPORTER_COOKIE, token, COOKIE_OPTIONS);
}

function clearReporterCookie(reply: FastifyReply): void {
  reply.clearCookie(REPORTER_COOKIE, COOKIE_OPTIONS);
}

/**
 * Forms are only taken from Haven's own pages: a cross-site or same-site (another origin of the
 * site) request, or an Origin other than the configured public one, is refused. Under
 * `Referrer-Policy: no-referrer` a browser sends `Origin: null` even for its own form posts, so
 * `null` passes only when Sec-Fetch-Site vouches for the same origin.
 */
export function refuseCrossSite(request: FastifyRequest, publicOrigin: string): void {
  const site = request.headers['sec-fetch-site'];
  const origin = request.headers.origin;
  const sameOrigin = site === 'same-origin';
  const foreignSite = site !== undefined && !sameOrigin;
  const foreignOrigin = origin !== undefined && origin !== publicOrigin && !(origin === 'null' && sameOrigin);
  if (foreignSite || foreignOrigin) {
    throw new AppError('request.csrf_failed', 'This form is only accepted from Haven’s own pages.');
  }
}

/** An HTML page that no cache keeps and that sends no referrer. */
export function sendPage(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .header('vary', 'Accept-Language')
    .send(body);
}

/** The CSRF field of the /r forms: bound to the link token, so it changes when the link does. */
export function reporterCsrfToken(deps: Pick<Deps, 'keyring'>, token: string): string {
  return hmac(deps.keyring.purposeKey('reporter-csrf'), hashToken(token).toString('base64url')).toString(
    'base64url',
  );
}

function csrfMatches(deps: Pick<Deps, 'keyring'>, token: string, presented: string | undefined): boolean {
  return (
    presented !== undefined &&
    safeEqual(Buffer.from(reporterCsrfToken(deps, token)), Buffer.from(presented, 'utf8'))
  );
}

/**
 * A refused or failed request to a page, as a page: 403 says to use Haven's own page, anything else
 * says what the error code means. Undefined `error` is a failure of Haven's (500).
 */
export function sendProblemPage(
  reply: FastifyReply,
  deps: Pick<Deps, 'translate'>,
  b: PageBase,
  error: AppError | undefined,
  path: string,
) {
  const known = error ?? new AppError('internal.error', 'Something went wrong on our side.');
  const status = known.status;
  const key =
    status === 403 ? 'forbidden' : status === 404 ? 'notFound' : status >= 500 ? 'broken' : 'refused';
  return sendPage(
    reply,
    status,
    renderProblemPage(b, {
      status,
      path,
      title: b.t(`reporterCase.problem.${key}`),
      text:
        status === 403
          ? b.t('reporterCase.problem.forbiddenText')
          : deps.translate(b.language, `errors.${known.code}`),
    }),
  );
}

const DONE = new Set(['message', 'credit', 'withdrawn', 'link']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Query = { lang?: unknown; retry?: unknown; done?: unknown };

export function reporterPageRoutes(app: FastifyInstance, deps: Deps): void {
  const origin = deps.config.publicUrl.replace(/\/+$/, '');
  const publicOrigin = new URL(deps.config.publicUrl).origin;
  const translator =
    (language: Language): Translator =>
    (key, values) =>
      deps.translate(language, `public.${key}`, values);

  /** The page's language: `?lang=`, else the case's answer language, else Accept-Language, else English. */
  function base(request: FastifyRequest, preferred?: Language): PageBase {
    const query = (request.query ?? {}) as Query;
    const negotiated = negotiateLanguage(query.lang, request.headers['accept-language']);
    const language = negotiated.explicit
      ? (negotiated.language ?? 'en')
      : (preferred ?? negotiated.language ?? 'en');
    return { language, explicitLanguage: negotiated.explicit, t: translator(language), origin };
  }

  function both(request: FastifyRequest): BilingualBase {
    const b = base(request);
    const other: Language = b.language === 'nl' ? 'en' : 'nl';
    return { ...b, other: { language: other, t: translator(other) } };
  }

  const at = (path: string, b: PageBase) => (b.explicitLanguage ? `${path}?lang=${b.language}` : path);
  const withQuery = (path: string, query: string, b: PageBase) =>
    `${path}?${query}${b.explicitLanguage ? `&lang=${b.language}` : ''}`;

  /** The case the cookie opens, or the page that says why not (then undefined). */
  async function caseOfCookie(
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<{ token: string; caseRow: CaseRow } | undefined> {
    const token = request.cookies[REPORTER_COOKIE];
    if (!token) {
      await sendPage(reply, 403, renderNoAccessPage(both(request)));
      return undefined;
    }
    const caseRow = await findCaseByAccessToken(deps, token);
    if (!caseRow) {
      // The link was replaced or revoked: the cookie is of no use any more.
      clearReporterCookie(reply);
      await sendPage(reply, 404, renderLinkInvalidPage(both(request)));
      return undefined;
    }
    return { token, caseRow };
  }

  async function showCase(
    request: FastifyRequest,
    reply: FastifyReply,
    opened: { token: string; caseRow: CaseRow },
    status: number,
    formError?: { form: CaseFormName; message: string; body?: string },
  ) {
    const view = await getReporterCase(deps, opened.caseRow);
    const b = base(request, view.language);
    const { organisation, policy } = await getIntakePolicy(deps, view.organisation.slug);
    let promises = view.promises;
    if (b.language !== view.language && view.policyVersion !== null) {
      const accepted = await getPublishedPolicy(deps, view.organisation.slug, view.policyVersion).catch(
        () => undefined,
      );
      promises = accepted ? promiseSentences(accepted.settings, b.t) : [];
    }
    const done = (request.query as Query).done;
    return sendPage(
      reply,
      status,
      renderCasePage({
        ...b,
        view,
        timezone: organisation.timezone,
        csrf: reporterCsrfToken(deps, opened.token),
        promises,
        creditOffered: Boolean(
          policy && (policy.settings.credit.hallOfFame || policy.settings.credit.creditInAdvisories),
        ),
        done: typeof done === 'string' && DONE.has(done) ? done : undefined,
        newLink: done === 'link' ? reporterCaseUrl(deps, opened.token) : undefined,
        formError,
        paths: {
          messages: at('/r/case/messages', b),
          credit: at('/r/case/credit', b),
          withdraw: at('/r/case/withdraw', b),
          link: at('/r/case/link', b),
          signOut: at('/r/case/sign-out', b),
          receipt: at('/r/case/receipt', b),
          file: (id) => `/r/case/files/${id}`,
          recover: at('/r/recover', b),
        },
      }),
    );
  }

  /**
   * A form post on the case: same origin, the cookie, the form read, the CSRF field checked. Then
   * `act` runs; an AppError from it shows the case page again with the message beside the form.
   */
  async function casePost(
    request: FastifyRequest,
    reply: FastifyReply,
    form: CaseFormName | 'signOut',
    act: (opened: { token: string; caseRow: CaseRow }, body: MultipartBody) => Promise<string>,
  ) {
    refuseCrossSite(request, publicOrigin);
    if (!request.isMultipart()) {
      throw new AppError('request.unsupported_media_type', 'Expected multipart/form-data.');
    }
    const body: MultipartBody = { fields: new Map(), files: [] };
    const token = request.cookies[REPORTER_COOKIE];
    let readError: unknown;
    await readMultipart(request, body).catch((error: unknown) => {
      readError = error;
    });
    if (!token) return sendPage(reply, 403, renderNoAccessPage(both(request)));
    if (!csrfMatches(deps, token, body.fields.get('csrf')?.[0])) {
      throw new AppError('request.csrf_failed', 'The form’s check field is missing or wrong.');
    }
    if (form === 'signOut') {
      clearReporterCookie(reply);
      return reply
        .code(303)
        .header('location', at('/r/signed-out', base(request)))
        .send();
    }
    const opened = await caseOfCookie(request, reply);
    if (!opened) return reply;
    try {
      if (readError) throw readError;
      const done = await act(opened, body);
      // The link was replaced: the cookie carries the new one, and the CSRF field follows it.
      return reply
        .code(303)
        .header('location', withQuery('/r/case', `done=${done}`, base(request)))
        .send();
    } catch (error) {
      const known = toAppError(error);
      if (!known || known.code === 'request.csrf_failed') throw error;
      const language = base(request, opened.caseRow.reporter_language).language;
      const bodyField = body.fields.get('body')?.[0];
      return showCase(request, reply, opened, known.status, {
        form,
        message: caseFormMessage(known, language),
        body: bodyField,
      });
    }
  }

  function caseFormMessage(error: AppError, language: Language): string {
    const t = translator(language);
    if (error.code === 'request.invalid' && error.details?.some((d) => d.field === 'body'))
      return t('reporterCase.messages.empty');
    if (error.code === 'request.invalid' && error.details?.some((d) => d.field === 'confirm'))
      return t('reporterCase.withdraw.confirmMissing');
    if (error.code === 'request.invalid' && error.details?.some((d) => d.field === 'name'))
      return t('reporterCase.credit.nameTooLong');
    return deps.translate(language, `errors.${error.code}`);
  }

  const field = (body: MultipartBody, name: string) => body.fields.get(name)?.[0];

  app.register(async (scope) => {
    scope.addHook('onSend', async (_request, reply) => {
      reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
    });
    // Anything that goes wrong under /r is a page too, never a JSON error or a 500 for bad input.
    scope.setErrorHandler((error, request, reply) => {
      const known = toAppError(error);
      if (!known) request.log.error({ err: error, requestId: request.id }, 'unhandled error');
      return sendProblemPage(reply, deps, base(request), known, '/r/case');
    });

    scope.get<{ Params: { token: string }; Querystring: Query }>(
      '/r/:token',
      { schema: { hide: true } },
      async (request, reply) => {
        const redeemed = isReporterToken(request.params.token)
          ? await redeemReporterLink(deps, request.params.token)
          : undefined;
        if (!redeemed) return sendPage(reply, 404, renderLinkInvalidPage(both(request)));
        setReporterCookie(reply, redeemed.accessToken);
        return reply
          .code(303)
          .header('location', at('/r/case', base(request)))
          .send();
      },
    );

    scope.get<{ Querystring: Query }>('/r/case', { schema: { hide: true } }, async (request, reply) => {
      if (!request.cookies[REPORTER_COOKIE]) {
        // A SameSite=Strict cookie is not sent on a redirect chain a webmail started; a refresh from
        // this page is same-site, so the browser sends it then. Only after that is access refused.
        if (request.query.retry === '1') return sendPage(reply, 403, renderNoAccessPage(both(request)));
        const b = base(request);
        return sendPage(reply, 200, renderCookieRetryPage(b, withQuery('/r/case', 'retry=1', b)));
      }
      const opened = await caseOfCookie(request, reply);
      if (!opened) return reply;
      // The retry found the cookie: on to the page's own address, for a clean address bar.
      if (request.query.retry === '1')
        return reply
          .code(303)
          .header('location', at('/r/case', base(request)))
          .send();
      return showCase(request, reply, opened, 200);
    });

    scope.get<{ Querystring: Query }>(
      '/r/case/receipt',
      { schema: { hide: true } },
      async (request, reply) => {
        const opened = await caseOfCookie(request, reply);
        if (!opened) return reply;
        const view = await getReporterCase(deps, opened.caseRow);
        const b = base(request, view.language);
        const { organisation } = await getIntakePolicy(deps, view.organisation.slug);
        const text = receiptText({
          t: b.t,
          language: b.language,
          timezone: organisation.timezone,
          view,
          caseUrl: reporterCaseUrl(deps, opened.token),
        });
        return sendAttachment(reply, {
          fileName: `${view.reference}-${b.t('reporterCase.receipt.fileName')}.txt`,
          mediaType: 'text/plain; charset=utf-8',
          quarantined: false,
          bytes: Buffer.from(text, 'utf8'),
        });
      },
    );

    scope.get<{ Params: { id: string }; Querystring: Query }>(
      '/r/case/files/:id',
      { schema: { hide: true } },
      async (request, reply) => {
        const opened = await caseOfCookie(request, reply);
        if (!opened) return reply;
        const view = await getReporterCase(deps, opened.caseRow);
        // Only files the reporter's view lists: their own, and those the team sent them.
        const visible = [...view.attachments, ...view.messages.flatMap((m) => m.attachments)];
        const id = request.params.id;
        if (!UUID.test(id) || !visible.some((a) => a.id === id)) {
          throw new AppError('attachment.not_found', 'No such file.');
        }
        return sendAttachment(reply, await openAttachment(deps, opened.caseRow, id, 'stored'));
      },
    );

    scope.post('/r/case/messages', { schema: { hide: true } }, (request, reply) =>
      casePost(request, reply, 'message', async ({ caseRow }, body) => {
        const { body: text } = parseWith(reporterMessageBody, { body: field(body, 'body') });
        const verdict = deps.limits.reporterMessagesPerCase.consume(caseRow.id, Date.now());
        if (!verdict.allowed) {
          throw new AppError('request.rate_limited', 'Too many messages; try again later.', [
            { code: 'retry_after', message: String(verdict.retryAfterSeconds) },
          ]);
        }
        await postReporterMessage(deps, caseRow, text, body.files);
        return 'message';
      }),
    );

    scope.post('/r/case/credit', { schema: { hide: true } }, (request, reply) =>
      casePost(request, reply, 'credit', async ({ caseRow }, body) => {
        const credit = parseWith(creditBody, {
          wanted: field(body, 'wanted') === 'yes',
          name: field(body, 'name') || undefined,
        });
        await changeCredit(deps, caseRow, credit);
        return 'credit';
      }),
    );

    scope.post('/r/case/withdraw', { schema: { hide: true } }, (request, reply) =>
      casePost(request, reply, 'withdraw', async ({ caseRow }, body) => {
        if (field(body, 'confirm') !== 'yes') {
          throw new AppError('request.invalid', 'Confirm that you want to withdraw the report.', [
            { field: 'confirm', code: 'required', message: 'Tick the box to confirm.' },
          ]);
        }
        await withdrawReport(deps, caseRow);
        return 'withdrawn';
      }),
    );

    scope.post('/r/case/link', { schema: { hide: true } }, (request, reply) =>
      casePost(request, reply, 'link', async ({ caseRow }) => {
        const renewed = await renewReporterLink(deps, caseRow);
        setReporterCookie(reply, renewed.token);
        return 'link';
      }),
    );

    scope.post('/r/case/sign-out', { schema: { hide: true } }, (request, reply) =>
      casePost(request, reply, 'signOut', async () => 'signOut'),
    );

    scope.get<{ Querystring: Query }>('/r/signed-out', { schema: { hide: true } }, async (request, reply) =>
      sendPage(reply, 200, renderSignedOutPage(base(request))),
    );

    scope.get<{ Querystring: Query }>('/r/recover', { schema: { hide: true } }, async (request, reply) => {
      const b = base(request);
      return sendPage(
        reply,
        200,
        renderRecoverPage({ ...b, action: at('/r/recover', b), values: { reference: '', email: '' } }),
      );
    });

    scope.post<{ Querystring: Query }>('/r/recover', { schema: { hide: true } }, async (request, reply) => {
      const b = base(request);
      refuseCrossSite(request, publicOrigin);
      if (!request.isMultipart()) {
        throw new AppError('request.unsupported_media_type', 'Expected multipart/form-data.');
      }
      const body: MultipartBody = { fields: new Map(), files: [] };
      const values = () => ({
        reference: (field(body, 'reference') ?? '').slice(0, 80),
        email: (field(body, 'email') ?? '').slice(0, 254),
      });
      const again = (status: number, errors: Parameters<typeof renderRecoverPage>[0]['errors']) =>
        sendPage(
          reply,
          status,
          renderRecoverPage({ ...b, action: at('/r/recover', b), values: values(), errors }),
        );
      try {
        await readMultipart(request, body);
        const verdict = deps.limits.mailRequestsPerClient.consume(clientKey(request), Date.now());
        if (!verdict.allowed) {
          return again(429, {
            summary: b.t('recover.rateLimited', {
              count: Math.max(1, Math.ceil(verdict.retryAfterSeconds / 60)),
            }),
            fields: [],
          });
        }
        const input = parseWith(recoveryBody, values());
        // Answered before the lookup: neither the page nor the time it takes tells whether they matched.
        await sendPage(
          reply,
          200,
          renderRecoverSentPage({ ...b, minutes: RECOVERY_TTL_MS / 60_000, again: '/r/recover' }),
        );
        await requestRecovery(deps, input).catch((error: unknown) =>
          request.log.error({ err: error }, 'recovery request failed'),
        );
        return reply;
      } catch (error) {
        const known = toAppError(error);
        if (!known) throw error;
        const fields = (['reference', 'email'] as const)
          .filter((name) => known.details?.some((d) => d.field === name))
          .map((name) => ({ field: name, message: b.t(`recover.fieldError.${name}`) }));
        return again(known.status, {
          summary: deps.translate(b.language, `errors.${known.code}`),
          fields,
        });
      }
    });
  });
}
