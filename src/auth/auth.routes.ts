import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Deps } from '../deps.ts';
import { clientKey, errorBody, withZod } from '../http.ts';
import { listMembershipsOfUser } from '../orgs/organisation.repository.ts';
import { AppError } from '../platform/errors.ts';
import { findUserById, updateUser } from './auth.repository.ts';
import { clearSessionCookie, requireSessionPrincipal, setSessionCookie } from './authenticate.ts';
import { acceptInvitation, changePassword, requestPasswordReset, setPasswordWithLink } from './passwords.ts';
import { csrfTokenFor, endSession, resumeSession, SESSION_COOKIE } from './sessions.ts';
import { DEVICE_COOKIE, signIn } from './sign-in.ts';

const language = z.enum(['nl', 'en']);
const userView = z
  .object({ id: z.uuid(), email: z.string(), name: z.string(), language: language.nullable() })
  .meta({ id: 'User' });
const csrfView = z.object({ csrfToken: z.string() });
const password = z.string().min(1).max(1024);

export function authRoutes(app: FastifyInstance, deps: Deps): void {
  const r = withZod(app);

  r.post(
    '/api/v1/auth/sign-in',
    {
      config: { csrf: false, public: true },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with e-mail and password; sets the session cookie',
        body: z.object({ email: z.string().trim().min(1).max(254), password }),
        response: { 200: csrfView, 401: errorBody, 422: errorBody, 429: errorBody },
      },
    },
    async (request, reply) => {
      const previous = request.cookies[SESSION_COOKIE];
      const previousSession = previous ? await resumeSession(deps, previous) : undefined;
      const session = await signIn(deps, {
        email: request.body.email,
        password: request.body.password,
        clientKey: clientKey(request),
        previousSession: previousSession?.idHash,
        deviceCookie: request.cookies[DEVICE_COOKIE],
      });
      setSessionCookie(reply, session.secret);
      reply.setCookie(DEVICE_COOKIE, session.deviceCookie, {
        path: '/',
        secure: true,
        httpOnly: true,
        sameSite: 'strict',
        maxAge: 365 * 24 * 3600,
      });
      return { csrfToken: csrfTokenFor(deps, session.idHash) };
    },
  );

  r.post(
    '/api/v1/auth/sign-out',
    {
      config: { public: true },
      schema: { tags: ['auth'], summary: 'End the current session', response: { 204: z.null() } },
    },
    async (request, reply) => {
      const principal = request.principal;
      if (principal?.via === 'session') await endSession(deps, principal.sessionIdHash, 'signed_out');
      clearSessionCookie(reply);
      return reply.code(204).send(null);
    },
  );

  r.get(
    '/api/v1/auth/session',
    {
      schema: {
        tags: ['auth'],
        summary: 'The signed-in user, their organisations and the CSRF token',
        response: {
          200: z.object({
            user: userView,
            memberships: z.array(
              z.object({
                organisation: z.object({ slug: z.string(), name: z.string() }),
                role: z.enum(['owner', 'coordinator', 'viewer']),
              }),
            ),
            csrfToken: z.string(),
          }),
          401: errorBody,
        },
      },
    },
    async (request) => {
      const principal = requireSessionPrincipal(request);
      const user = await findUserById(deps.db, principal.userId);
      if (!user) throw new AppError('auth.required', 'Sign in.');
      const memberships = await listMembershipsOfUser(deps.db, user.id);
      return {
        user: { id: user.id, email: user.email, name: user.name, language: user.language },
        memberships: memberships.map((m) => ({ organisation: { slug: m.slug, name: m.name }, role: m.role })),
        csrfToken: csrfTokenFor(deps, principal.sessionIdHash),
      };
    },
  );

  r.post(
    '/api/v1/auth/password-reset',
    {
      config: { csrf: false, public: true },
      schema: {
        tags: ['auth'],
        summary:
          'E-mail a password-reset link, if the address has an account (the answer is the same either way)',
        body: z.object({ email: z.string().trim().min(1).max(254) }),
        response: { 202: z.null(), 422: errorBody, 429: errorBody },
      },
    },
    async (request, reply) => {
      const input = { email: request.body.email, clientKey: clientKey(request) };
      // Answered before the lookup: the response time must not tell whether the address has an account.
      setImmediate(() => {
        requestPasswordReset(deps, input).catch((error) => {
          if (!(error instanceof AppError))
            request.log.error({ err: error }, 'password reset request failed');
        });
      });
      return reply.code(202).send(null);
    },
  );

  r.post(
    '/api/v1/auth/set-password',
    {
      config: { csrf: false, public: true },
      schema: {
        tags: ['auth'],
        summary: 'Choose a password with an invitation or reset link',
        body: z.object({
          token: z.string().min(20).max(200),
          password,
          name: z.string().max(200).optional(),
        }),
        response: { 204: z.null(), 410: errorBody, 422: errorBody },
      },
    },
    async (request, reply) => {
      await setPasswordWithLink(deps, request.body);
      return reply.code(204).send(null);
    },
  );

  r.post(
    '/api/v1/auth/accept-invitation',
    {
      config: { csrf: false, public: true },
      schema: {
        tags: ['auth'],
        summary: 'Accept an invitation with its link (for someone who already has a password)',
        body: z.object({ token: z.string().min(20).max(200) }),
        response: { 204: z.null(), 410: errorBody, 422: errorBody },
      },
    },
    async (request, reply) => {
      await acceptInvitation(deps, request.body);
      return reply.code(204).send(null);
    },
  );

  r.patch(
    '/api/v1/me',
    {
      schema: {
        tags: ['auth'],
        summary: 'Change your name or language',
        body: z.object({ name: z.string().trim().max(200).optional(), language: language.optional() }),
        response: { 200: userView, 401: errorBody, 422: errorBody },
      },
    },
    async (request) => {
      const principal = requireSessionPrincipal(request);
      const changes = Object.fromEntries(Object.entries(request.body).filter(([, v]) => v !== undefined));
      const user =
        Object.keys(changes).length > 0
          ? await updateUser(deps.db, principal.userId, changes)
          : await findUserById(deps.db, principal.userId);
      if (!user) throw new AppError('auth.required', 'Sign in.');
      return { id: user.id, email: user.email, name: user.name, language: user.language };
    },
  );

  r.put(
    '/api/v1/me/password',
    {
      schema: {
        tags: ['auth'],
        summary: 'Change your password; every other session ends',
        body: z.object({ currentPassword: password, newPassword: password }),
        response: { 200: csrfView, 401: errorBody, 422: errorBody },
      },
    },
    async (request, reply) => {
      const principal = requireSessionPrincipal(request);
      const session = await changePassword(deps, { userId: principal.userId, ...request.body });
      setSessionCookie(reply, session.secret);
      return { csrfToken: csrfTokenFor(deps, session.idHash) };
    },
  );
}
