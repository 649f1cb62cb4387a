import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../deps.ts';
import { AppError } from '../platform/errors.ts';
import { isLanguage, type Language } from '../platform/i18n.ts';
import { getPublishedPolicy, type PublishedPolicy } from './policies.ts';
import {
  type HallOfFameEntry,
  type NotFoundKind,
  renderHallOfFamePage,
  renderNotFoundPage,
  renderPolicyPage,
  type Translator,
} from './policy-page.ts';

/**
 * The organisation's public pages: server-rendered HTML that is complete without JavaScript
 * (reporters often browse with scripts off), styled by one stylesheet, /public.css.
 */

const SLUG = /^[a-z0-9-]{1,40}$/;
const VERSION = /^[1-9][0-9]{0,6}$/;

/** The stylesheet's source; Vite also copies it into web/dist, from where @fastify/static serves it. */
const PUBLIC_CSS = fileURLToPath(new URL('../../web/public/public.css', import.meta.url));
const BUILT_WEB = fileURLToPath(new URL('../../web/dist/', import.meta.url));

/**
 * `?lang=` when it names a language Haven speaks, else the best match in Accept-Language, else
 * undefined (the caller falls back to the organisation's language).
 */
export function negotiateLanguage(
  requested: unknown,
  acceptLanguage: string | undefined,
): { language: Language | undefined; explicit: boolean } {
  if (isLanguage(requested)) return { language: requested, explicit: true };
  if (!acceptLanguage) return { language: undefined, explicit: false };
  const ranges = acceptLanguage
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const weight = params.map((p) => p.trim()).find((p) => /^q=/i.test(p));
      // A weight that is not a valid qvalue makes the range count for nothing.
      const q =
        weight === undefined
          ? 1
          : /^q=(0(\.\d{0,3})?|1(\.0{0,3})?)$/i.test(weight)
            ? Number(weight.slice(2))
            : 0;
      return { primary: tag.trim().toLowerCase().split('-')[0] ?? '', q, index };
    })
    .filter((r) => r.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  const match = ranges.find((r) => isLanguage(r.primary));
  return { language: match && isLanguage(match.primary) ? match.primary : undefined, explicit: false };
}

export function publicPageRoutes(app: FastifyInstance, deps: Deps): void {
  const origin = deps.config.publicUrl.replace(/\/+$/, '');
  const translator =
    (language: Language): Translator =>
    (key, values) =>
      deps.translate(language, `public.${key}`, values);

  type Query = { lang?: unknown; version?: unknown };
  type Context = { slug: string; language: Language | undefined; explicit: boolean };

  function context(request: FastifyRequest<{ Params: { org: string }; Querystring: Query }>): Context {
    const { language, explicit } = negotiateLanguage(request.query.lang, request.headers['accept-language']);
    return { slug: request.params.org, language, explicit };
  }

  function send(reply: FastifyReply, status: number, body: string) {
    return reply
      .code(status)
      .type('text/html; charset=utf-8')
      .header('vary', 'Accept-Language')
      .header('cache-control', status === 200 ? 'public, max-age=300' : 'no-cache')
      .send(body);
  }

  function notFound(
    reply: FastifyReply,
    ctx: Context,
    kind: NotFoundKind,
    path: string,
    policy?: PublishedPolicy,
  ) {
    const language = ctx.language ?? policy?.organisation.default_language ?? 'en';
    return send(
      reply,
      404,
      renderNotFoundPage({
        kind,
        language,
        t: translator(language),
        origin,
        path,
        policy,
        explicitLanguage: ctx.explicit,
      }),
    );
  }

  /** The published policy, or the 404 page that says why there is none (then undefined). */
  async function loadPolicy(
    reply: FastifyReply,
    ctx: Context,
    path: string,
    version?: number,
  ): Promise<PublishedPolicy | undefined> {
    if (!SLUG.test(ctx.slug)) {
      await notFound(reply, ctx, 'organisation', path);
      return undefined;
    }
    try {
      return await getPublishedPolicy(deps, ctx.slug, version);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      if (error.code === 'org.not_found') await notFound(reply, ctx, 'organisation', path);
      else if (error.code === 'policy.not_published') await notFound(reply, ctx, 'policy', path);
      else if (error.code === 'policy.version_not_found') {
        const current = await getPublishedPolicy(deps, ctx.slug);
        await notFound(reply, ctx, 'version', path, current);
      } else throw error;
      return undefined;
    }
  }

  app.get<{ Params: { org: string }; Querystring: Query }>(
    '/o/:org',
    { schema: { hide: true } },
    async (request, reply) => {
      const ctx = context(request);
      const path = `/o/${ctx.slug}`;
      const requested = request.query.version;
      if (requested !== undefined && (typeof requested !== 'string' || !VERSION.test(requested))) {
        const current = await loadPolicy(reply, ctx, path);
        return current ? notFound(reply, ctx, 'version', path, current) : reply;
      }
      const version = requested === undefined ? undefined : Number(requested);
      const policy = await loadPolicy(reply, ctx, path, version);
      if (!policy) return reply;
      const language = ctx.language ?? policy.organisation.default_language;
      return send(
        reply,
        200,
        renderPolicyPage({
          policy,
          language,
          t: translator(language),
          origin,
          explicitLanguage: ctx.explicit,
        }),
      );
    },
  );

  app.get<{ Params: { org: string }; Querystring: Query }>(
    '/o/:org/hall-of-fame',
    { schema: { hide: true } },
    async (request, reply) => {
      const ctx = context(request);
      const path = `/o/${ctx.slug}/hall-of-fame`;
      const policy = await loadPolicy(reply, ctx, path);
      if (!policy) return reply;
      if (!policy.settings.credit.hallOfFame) return notFound(reply, ctx, 'hallOfFame', path, policy);
      const language = ctx.language ?? policy.organisation.default_language;
      // Credits arrive with the credits domain; until then every hall of fame is empty.
      const credits: HallOfFameEntry[] = [];
      return send(
        reply,
        200,
        renderHallOfFamePage({
          organisation: policy.organisation,
          credits,
          language,
          t: translator(language),
          origin,
          explicitLanguage: ctx.explicit,
        }),
      );
    },
  );

  // A built web app serves its own copy of the stylesheet (app.ts registers web/dist statically);
  // before the first build, serve the source so the public pages never go unstyled.
  const builtCopy = fs.existsSync(`${BUILT_WEB}index.html`) && fs.existsSync(`${BUILT_WEB}public.css`);
  if (!builtCopy && fs.existsSync(PUBLIC_CSS)) {
    const css = fs.readFileSync(PUBLIC_CSS);
    const etag = `"${createHash('sha256').update(css).digest('base64url').slice(0, 27)}"`;
    app.get('/public.css', { schema: { hide: true } }, async (request, reply) => {
      reply.type('text/css; charset=utf-8').header('cache-control', 'no-cache').header('etag', etag);
      if (request.headers['if-none-match'] === etag) return reply.code(304).send();
      return reply.send(css);
    });
  }
}
