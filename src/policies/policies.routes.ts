import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { requirePrincipal } from '../auth/authenticate.ts';
import type { Deps } from '../deps.ts';
import { errorBody, iso, isoOrNull, orgParam, withZod } from '../http.ts';
import { getOrganisationAccess } from '../orgs/organisation-access.ts';
import {
  applyPreset,
  compareVersions,
  type DraftView,
  getDraft,
  getPublishedPolicy,
  listPolicyVersions,
  publishDraft,
  saveDraft,
} from './policies.ts';
import { policySettingsSchema } from './policy-settings.ts';
import { PRESET_NAMES, PRESETS } from './presets/index.ts';

const change = z
  .object({ path: z.string(), before: z.unknown(), after: z.unknown() })
  .meta({ id: 'PolicyChange' });
const draftView = z
  .object({
    settings: policySettingsSchema,
    basedOnVersion: z.number().int().nullable(),
    changes: z.array(change),
    updatedAt: z.string().nullable(),
  })
  .meta({ id: 'PolicyDraft' });
const toDraftView = (d: DraftView) => ({ ...d, updatedAt: isoOrNull(d.updatedAt) });
const versionNumber = z.coerce.number().int().min(1).max(1_000_000);

export function policyRoutes(app: FastifyInstance, deps: Deps): void {
  const r = withZod(app);

  r.get(
    '/api/v1/orgs/:org/policy',
    {
      config: { public: true },
      schema: {
        tags: ['policies'],
        summary: 'The published disclosure policy (newest, or an older version with ?version=N)',
        security: [],
        params: orgParam,
        querystring: z.object({ version: versionNumber.optional() }),
        response: {
          200: z
            .object({
              organisation: z.object({
                slug: z.string(),
                name: z.string(),
                defaultLanguage: z.enum(['nl', 'en']),
              }),
              version: z.number().int(),
              currentVersion: z.number().int(),
              publishedAt: z.string(),
              settings: policySettingsSchema,
            })
            .meta({ id: 'PublishedPolicy' }),
          404: errorBody,
          422: errorBody,
        },
      },
    },
    async (request) => {
      const policy = await getPublishedPolicy(deps, request.params.org, request.query.version);
      return {
        organisation: {
          slug: policy.organisation.slug,
          name: policy.organisation.name,
          defaultLanguage: policy.organisation.default_language,
        },
        version: policy.version,
        currentVersion: policy.currentVersion,
        publishedAt: iso(policy.publishedAt),
        settings: policy.settings,
      };
    },
  );

  r.get(
    '/api/v1/orgs/:org/policy/draft',
    {
      schema: {
        tags: ['policies'],
        summary: 'The draft the team edits, and what publishing it would change',
        params: orgParam,
        response: { 200: draftView, 401: errorBody, 403: errorBody, 404: errorBody },
      },
    },
    async (request) => {
      const access = await getOrganisationAccess(deps, requirePrincipal(request), request.params.org);
      return toDraftView(await getDraft(deps, access));
    },
  );

  r.put(
    '/api/v1/orgs/:org/policy/draft',
    {
      schema: {
        tags: ['policies'],
        summary: 'Save the draft (owners)',
        params: orgParam,
        body: policySettingsSchema,
        response: { 200: draftView, 401: errorBody, 403: errorBody, 404: errorBody, 422: errorBody },
      },
    },
    async (request) => {
      const access = await getOrganisationAccess(deps, requirePrincipal(request), request.params.org);
      return toDraftView(await saveDraft(deps, access, request.body));
    },
  );

  r.post(
    '/api/v1/orgs/:org/policy/draft/preset',
    {
      schema: {
        tags: ['policies'],
        summary: 'Replace the draft with a preset (owners)',
        params: orgParam,
        body: z.object({ preset: z.enum(PRESET_NAMES) }),
        response: { 200: draftView, 401: errorBody, 403: errorBody, 404: errorBody, 422: errorBody },
      },
    },
    async (request) => {
      const access = await getOrganisationAccess(deps, requirePrincipal(request), request.params.org);
      return toDraftView(await applyPreset(deps, access, request.body.preset));
    },
  );

  r.post(
    '/api/v1/orgs/:org/policy/publish',
    {
      schema: {
        tags: ['policies'],
        summary: 'Publish the draft as the next version (owners); published versions never change',
        params: orgParam,
        response: {
          201: z.object({ version: z.number().int(), publishedAt: z.string() }),
          401: errorBody,
          403: errorBody,
          404: errorBody,
          409: errorBody,
        },
      },
    },
    async (request, reply) => {
      const access = await getOrganisationAccess(deps, requirePrincipal(request), request.params.org);
      const published = await publishDraft(deps, access);
      return reply.code(201).send({ version: published.version, publishedAt: iso(published.publishedAt) });
    },
  );

  r.get(
    '/api/v1/orgs/:org/policy/versions',
    {
      schema: {
        tags: ['policies'],
        summary: 'Published versions, newest first',
        params: orgParam,
        response: {
          200: z.object({
            versions: z.array(
              z.object({
                version: z.number().int(),
                publishedAt: z.string(),
                publishedBy: z.string().nullable(),
              }),
            ),
          }),
          401: errorBody,
          403: errorBody,
          404: errorBody,
        },
      },
    },
    async (request) => {
      const access = await getOrganisationAccess(deps, requirePrincipal(request), request.params.org);
      const versions = await listPolicyVersions(deps, access);
      return { versions: versions.map((v) => ({ ...v, publishedAt: iso(v.publishedAt) })) };
    },
  );

  r.get(
    '/api/v1/orgs/:org/policy/compare',
    {
      schema: {
        tags: ['policies'],
        summary: 'What changed between two versions (without `to`: between a version and the draft)',
        params: orgParam,
        querystring: z.object({ from: versionNumber, to: versionNumber.optional() }),
        response: {
          200: z.object({ changes: z.array(change) }),
          401: errorBody,
          403: errorBody,
          404: errorBody,
          422: errorBody,
        },
      },
    },
    async (request) => {
      const access = await getOrganisationAccess(deps, requirePrincipal(request), request.params.org);
      return { changes: await compareVersions(deps, access, request.query.from, request.query.to ?? null) };
    },
  );

  r.get(
    '/api/v1/policy-presets',
    {
      schema: {
        tags: ['policies'],
        summary: 'The policy presets Haven ships',
        response: {
          200: z.object({
            presets: z.array(z.object({ name: z.enum(PRESET_NAMES), settings: policySettingsSchema })),
          }),
          401: errorBody,
        },
      },
    },
    async (request) => {
      requirePrincipal(request);
      return { presets: PRESET_NAMES.map((name) => ({ name, settings: PRESETS[name] })) };
    },
  );
}
