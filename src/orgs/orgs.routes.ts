import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { requirePrincipal } from '../auth/authenticate.ts';
import { SCOPES } from '../auth/permissions.ts';
import type { Deps } from '../deps.ts';
import { errorBody, iso, orgParam, withZod } from '../http.ts';
import {
  changeMemberRole,
  changeMyNotifications,
  inviteMember,
  listMembers,
  type MemberView,
  removeMember,
} from './members.ts';
import { listMembershipsOfUser } from './organisation.repository.ts';
import { ROLES } from './organisation.table.ts';
import { getOrganisationAccess, requireScope } from './organisation-access.ts';

const role = z.enum(ROLES);
const organisationView = z
  .object({
    slug: z.string(),
    name: z.string(),
    defaultLanguage: z.enum(['nl', 'en']),
    timezone: z.string(),
    role,
    scopes: z
      .array(z.enum(SCOPES))
      .describe('What you may do here: your role, narrowed by the API token if you use one'),
  })
  .meta({ id: 'Organisation' });
const memberView = z
  .object({
    userId: z.uuid(),
    email: z.string(),
    name: z.string(),
    role,
    joinedAt: z.string(),
    pending: z.boolean(),
    notifyByEmail: z
      .boolean()
      .describe(
        "Whether the team's e-mail notices about cases reach this member (never with report content)",
      ),
  })
  .meta({ id: 'Member' });
const memberParams = orgParam.extend({ userId: z.uuid() });

const toView = (m: MemberView) => ({ ...m, joinedAt: iso(m.joinedAt) });

export function orgRoutes(app: FastifyInstance, deps: Deps): void {
  const r = withZod(app);

  r.get(
    '/api/v1/orgs',
    {
      schema: {
        tags: ['organisations'],
        summary: 'Organisations you are a member of',
        response: {
          200: z.object({ organisations: z.array(z.object({ slug: z.string(), name: z.string(), role })) }),
          401: errorBody,
        },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      const rows = await listMembershipsOfUser(deps.db, principal.userId);
      // A token sees only the organisation it was made for.
      const visible =
        principal.via === 'token' ? rows.filter((m) => m.id === principal.organisationId) : rows;
      return { organisations: visible.map((m) => ({ slug: m.slug, name: m.name, role: m.role })) };
    },
  );

  r.get(
    '/api/v1/orgs/:org',
    {
      schema: {
        tags: ['organisations'],
        summary: 'One organisation',
        params: orgParam,
        response: { 200: organisationView, 401: errorBody, 403: errorBody, 404: errorBody },
      },
    },
    async (request) => {
      const access = await getOrganisationAccess(deps, requirePrincipal(request), request.params.org);
      requireScope(access, 'org:read');
      const o = access.organisation;
      return {
        slug: o.slug,
        name: o.name,
        defaultLanguage: o.default_language,
        timezone: o.timezone,
        role: access.role,
        scopes: [...access.scopes],
      };
    },
  );

  r.get(
    '/api/v1/orgs/:org/members',
    {
      schema: {
        tags: ['organisations'],
        summary: 'Members of the organisation',
        params: orgParam,
        response: {
          200: z.object({ members: z.array(memberView) }),
          401: errorBody,
          403: errorBody,
          404: errorBody,
        },
      },
    },
    async (request) => {
      const access = await getOrganisationAccess(deps, requirePrincipal(request), request.params.org);
      return { members: (await listMembers(deps, access)).map(toView) };
    },
  );

  r.post(
    '/api/v1/orgs/:org/members',
    {
      schema: {
        tags: ['organisations'],
        summary: 'Invite someone; they get a single-use e-mail link to choose a password',
        params: orgParam,
        body: z.object({
          email: z.email().max(254),
          name: z.string().trim().max(200).optional(),
          role,
        }),
        response: {
          201: memberView,
          401: errorBody,
          403: errorBody,
          404: errorBody,
          409: errorBody,
          422: errorBody,
        },
      },
    },
    async (request, reply) => {
      const access = await getOrganisationAccess(deps, requirePrincipal(request), request.params.org);
      const member = await inviteMember(deps, access, request.body);
      return reply.code(201).send(toView(member));
    },
  );

  r.put(
    '/api/v1/orgs/:org/members/me/notifications',
    {
      schema: {
        tags: ['organisations'],
        summary:
          'Choose whether you get e-mail about new cases, reporter messages and withdrawals (signed in only)',
        params: orgParam,
        body: z.object({ notifyByEmail: z.boolean() }),
        response: { 200: memberView, 401: errorBody, 403: errorBody, 404: errorBody, 422: errorBody },
      },
    },
    async (request) => {
      const access = await getOrganisationAccess(deps, requirePrincipal(request), request.params.org);
      return toView(await changeMyNotifications(deps, access, request.body.notifyByEmail));
    },
  );

  r.patch(
    '/api/v1/orgs/:org/members/:userId',
    {
      schema: {
        tags: ['organisations'],
        summary: "Change a member's role (their sessions end)",
        params: memberParams,
        body: z.object({ role }),
        response: {
          200: memberView,
          401: errorBody,
          403: errorBody,
          404: errorBody,
          409: errorBody,
          422: errorBody,
        },
      },
    },
    async (request) => {
      const access = await getOrganisationAccess(deps, requirePrincipal(request), request.params.org);
      return toView(await changeMemberRole(deps, access, request.params.userId, request.body.role));
    },
  );

  r.delete(
    '/api/v1/orgs/:org/members/:userId',
    {
      schema: {
        tags: ['organisations'],
        summary: 'Remove a member',
        params: memberParams,
        response: { 204: z.null(), 401: errorBody, 403: errorBody, 404: errorBody, 409: errorBody },
      },
    },
    async (request, reply) => {
      const access = await getOrganisationAccess(deps, requirePrincipal(request), request.params.org);
      await removeMember(deps, access, request.params.userId);
      return reply.code(204).send(null);
    },
  );
}
