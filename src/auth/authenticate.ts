import type {} from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { REPORTER_TOKEN_PREFIX } from '../cases/reporter-access.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../platform/errors.ts';
import { authenticateToken } from './authenticate-token.ts';
import type { Principal } from './permissions.ts';
import { csrfTokenMatches, resumeSession, SESSION_ABSOLUTE_MS, SESSION_COOKIE } from './sessions.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | undefined;
    /** A reporter's capability token (`Bearer havenr_…`): opens one case on the reporter API only. */
    reporterToken: string | undefined;
  }
  interface FastifyContextConfig {
    /** false on the few cookie-less entry points (sign-in, setup, links): they check Origin only. */
    csrf?: boolean;
    /** true on the API routes that anyone may call; every other /api/v1 route needs a principal. */
    public?: boolean;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Who is calling, for every request, before the body is even read: an API token
 * (`Authorization: Bearer haven_…`) or a session cookie. API routes are closed unless marked public.
 * Browser state changes must come from Haven's public origin and, with a session, carry the
 * session's CSRF token in `X-CSRF-Token`.
 */
export function registerAuthentication(app: FastifyInstance, deps: Deps): void {
  app.decorateRequest('principal', undefined);
  app.decorateRequest('reporterToken', undefined);
  const publicOrigin = new URL(deps.config.publicUrl).origin;

  app.addHook('onRequest', async (request) => {
    // Only the API knows callers: pages, static files and probes cost no session lookup, and a stray
    // Authorization header cannot turn a public page into a 401.
    if (!request.url.startsWith('/api/')) return;
    await identify(request);
    const config = request.routeOptions.config;
    if (
      !request.principal &&
      request.url.startsWith('/api/v1/') &&
      !config?.public &&
      request.routeOptions.url
    ) {
      throw new AppError('auth.required', 'Sign in or send an API token.');
    }
  });

  async function identify(request: FastifyRequest): Promise<void> {
    request.principal = undefined;
    request.reporterToken = undefined;
    const authorization = request.headers.authorization;
    if (authorization !== undefined) {
      const match = /^Bearer[ ]+([^\s]+)$/i.exec(authorization);
      if (!match?.[1]) throw new AppError('auth.token_invalid', 'Expected `Authorization: Bearer haven_…`.');
      // A reporter's link token is no staff credential: only the reporter routes read it.
      if (match[1].startsWith(REPORTER_TOKEN_PREFIX)) {
        request.reporterToken = match[1];
        return;
      }
      request.principal = await authenticateToken(deps, match[1]);
      return;
    }
    const unsafe = !SAFE_METHODS.has(request.method);
    if (unsafe) assertSameOrigin(request, publicOrigin);
    const secret = request.cookies[SESSION_COOKIE];
    if (!secret) return;
    const session = await resumeSession(deps, secret);
    if (!session) return;
    request.principal = { via: 'session', userId: session.userId, sessionIdHash: session.idHash };
    if (unsafe && request.routeOptions.config.csrf !== false) {
      const presented = request.headers['x-csrf-token'];
      if (typeof presented !== 'string' || !csrfTokenMatches(deps, session.idHash, presented)) {
        throw new AppError('request.csrf_failed', 'Missing or wrong X-CSRF-Token header.');
      }
    }
  }
}

/** Only Haven's configured public origin counts: the Host header is the caller's to choose (DNS rebinding). */
function assertSameOrigin(request: FastifyRequest, publicOrigin: string): void {
  const site = request.headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') {
    throw new AppError('request.csrf_failed', 'Cross-site requests are not accepted.');
  }
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== publicOrigin) {
    throw new AppError(
      'request.csrf_failed',
      `Requests from another origin are not accepted; use ${publicOrigin}.`,
    );
  }
}

export function requirePrincipal(request: FastifyRequest): Principal {
  if (!request.principal) throw new AppError('auth.required', 'Sign in or send an API token.');
  return request.principal;
}

export function requireSessionPrincipal(request: FastifyRequest): Extract<Principal, { via: 'session' }> {
  const principal = requirePrincipal(request);
  if (principal.via !== 'session') throw new AppError('auth.forbidden', 'This needs a signed-in session.');
  return principal;
}

/** `__Host-` cookie: Secure, Path=/, no Domain; HttpOnly and SameSite=Lax; gone after the absolute limit. */
export function setSessionCookie(reply: FastifyReply, secret: string): void {
  reply.setCookie(SESSION_COOKIE, secret, {
    path: '/',
    secure: true,
    httpOnly: true,
    sameSite: 'lax',
    maxAge: SESSION_ABSOLUTE_MS / 1000,
  });
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/', secure: true, httpOnly: true, sameSite: 'lax' });
}
