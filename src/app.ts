import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyMultipart from '@fastify/multipart';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authRoutes } from './auth/auth.routes.ts';
import { registerAuthentication } from './auth/authenticate.ts';
import { tokenRoutes } from './auth/tokens.routes.ts';
import { caseRoutes } from './cases/cases.routes.ts';
import { reporterRoutes } from './cases/reporter.routes.ts';
import { reporterPageRoutes } from './cases/reporter-pages.routes.ts';
import type { Deps } from './deps.ts';
import { withZod } from './http.ts';
import { intakeRoutes } from './intake/intake.routes.ts';
import { MULTIPART_LIMITS } from './intake/read-multipart.ts';
import { reportFormRoutes } from './intake/report-form.routes.ts';
import { devMailboxRoutes } from './mail/dev-mailbox.routes.ts';
import { imapMailboxRoutes } from './mail/imap-mailbox.routes.ts';
import { mailIntakeRoutes } from './mail/mail-intake.routes.ts';
import { openpgpRoutes } from './openpgp/openpgp.routes.ts';
import { orgRoutes } from './orgs/orgs.routes.ts';
import { AppError } from './platform/errors.ts';
import { errorHandler, malformedStrings, notFoundAnswer } from './platform/http-errors.ts';
import { policyRoutes } from './policies/policies.routes.ts';
import { publicPageRoutes } from './policies/public.routes.ts';
import { securityTxtRoutes } from './securitytxt/securitytxt.routes.ts';
import { setupRoutes } from './setup/setup.routes.ts';

export const WEB_DIST = fileURLToPath(new URL('../web/dist/', import.meta.url));

/** Paths the single-page app owns: a browser asking for one of them gets index.html. */
const SPA_PATHS = /^\/(setup|sign-in|forgot-password|set-password|accept-invitation|console)(\/|$)/;

export async function buildApp(deps: Deps): Promise<FastifyInstance> {
  const secureOnly = deps.config.publicUrl.startsWith('https://');
  const app = Fastify({
    loggerInstance: deps.log as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'requestId' }),
    trustProxy: trustProxyOption(deps.config.trustProxy),
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    bodyLimit: 1024 * 1024,
    routerOptions: { maxParamLength: 200 },
    return503OnClosing: true,
    // The router's own refusals (a malformed %-escape, an over-long path segment) in Haven's error format.
    frameworkErrors: (error, request, reply) => {
      reply
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'");
      reply.header('cache-control', 'no-store').header('x-request-id', request.id);
      const code = error.code === 'FST_ERR_BAD_URL' ? 'request.invalid' : 'request.not_found';
      return errorHandler(
        new AppError(code, code === 'request.invalid' ? 'The URL is malformed.' : 'Not found.'),
        request,
        reply,
      );
    },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  // Bodies are JSON or multipart; text/plain (which a cross-site form may send unasked) is a 415.
  app.removeContentTypeParser('text/plain');
  // Text that PostgreSQL cannot store, or that is not well-formed Unicode, is refused at the door.
  app.addHook('preValidation', async (request) => {
    const problems = [
      ...malformedStrings(request.body, ''),
      ...malformedStrings(request.query, 'query'),
      ...malformedStrings(request.params, 'path'),
    ];
    if (problems.length > 0) {
      throw new AppError(
        'request.invalid',
        'Some fields hold characters that cannot be stored.',
        problems.map((field) => ({
          field,
          code: 'invalid',
          message: 'Contains a NUL character or broken Unicode.',
        })),
      );
    }
  });

  // One access-log line per request, from an allow-list: the route pattern instead of the URL
  // (paths and queries may hold capability tokens), and no headers or client addresses.
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      {
        // requestId comes with the request's logger (requestIdLogLabel).
        method: request.method,
        route: request.routeOptions.url ?? '(no route)',
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
      },
      'request',
    );
  });
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
    if (request.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
  });

  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        workerSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        ...(secureOnly ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: secureOnly ? { maxAge: 31536000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
  });
  await app.register(fastifyCookie);
  // Multipart bodies are read by the routes that take files, within limits that hold for all.
  await app.register(fastifyMultipart, { limits: MULTIPART_LIMITS });
  if (deps.limits.http) {
    await app.register(fastifyRateLimit, {
      global: true,
      max: deps.limits.http.max,
      timeWindow: deps.limits.http.windowMs,
      // Only the API is limited here; sign-in and intake have limits of their own.
      allowList: (request) => !request.url.startsWith('/api/'),
      errorResponseBuilder: (_request, context) =>
        new AppError('request.rate_limited', 'Too many requests; slow down.', [
          { code: 'retry_after', message: String(Math.ceil(context.ttl / 1000)) },
        ]),
    });
  }
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Haven API',
        version: '1',
        description:
          'Coordinated vulnerability disclosure. Authenticate with `Authorization: Bearer haven_…` (an API token) or, in the browser, the session cookie plus `X-CSRF-Token` on state changes.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'haven_… API token' },
          reporter: { type: 'http', scheme: 'bearer', description: 'havenr_… link token of one case' },
        },
      },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
    // Schemas with an id (`.meta({ id })`) go into components.schemas, where the paths' $refs point.
    transformObject: jsonSchemaTransformObject,
  });

  registerAuthentication(app, deps);

  const r = withZod(app);
  r.get(
    '/healthz',
    { schema: { hide: true, response: { 200: z.object({ status: z.literal('ok') }) } } },
    async () => ({ status: 'ok' as const }),
  );
  r.get(
    '/readyz',
    {
      schema: {
        hide: true,
        response: {
          200: z.object({ status: z.literal('ready') }),
          503: z.object({ status: z.literal('not_ready'), reason: z.string() }),
        },
      },
    },
    async (_request, reply) => {
      const state = await deps.readiness().catch(() => ({ ready: false, reason: 'database unreachable' }));
      if (state.ready) return { status: 'ready' as const };
      return reply.code(503).send({ status: 'not_ready' as const, reason: state.reason ?? 'not ready' });
    },
  );
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  setupRoutes(app, deps);
  authRoutes(app, deps);
  orgRoutes(app, deps);
  tokenRoutes(app, deps);
  policyRoutes(app, deps);
  publicPageRoutes(app, deps);
  openpgpRoutes(app, deps);
  securityTxtRoutes(app, deps);
  intakeRoutes(app, deps);
  reportFormRoutes(app, deps);
  reporterPageRoutes(app, deps);
  caseRoutes(app, deps);
  reporterRoutes(app, deps);
  devMailboxRoutes(app, deps);
  imapMailboxRoutes(app, deps);
  mailIntakeRoutes(app, deps);

  const hasWeb = fs.existsSync(`${WEB_DIST}index.html`);
  if (hasWeb) {
    await app.register(fastifyStatic, {
      root: WEB_DIST,
      wildcard: false,
      index: false,
      setHeaders(res, filePath) {
        if (filePath.includes('/assets/')) res.header('cache-control', 'public, max-age=31536000, immutable');
        else res.header('cache-control', 'no-cache');
      },
    });
  }
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    const page = (request.method === 'GET' || request.method === 'HEAD') && !path.startsWith('/api/');
    if (hasWeb && page && (path === '/' || SPA_PATHS.test(path))) {
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    }
    // A browser gets the app's own "not found" page; everything else a JSON error.
    if (hasWeb && page && request.headers.accept?.includes('text/html')) {
      return reply.code(404).header('cache-control', 'no-cache').sendFile('index.html');
    }
    return notFoundAnswer(request, reply);
  });
  return app;
}

/** A hop count trusts that many proxies nearest to Haven; addresses trust exactly those proxies. */
function trustProxyOption(value: boolean | number | string[]) {
  if (typeof value === 'number') return (_address: string, hop: number) => hop < value;
  return value;
}
