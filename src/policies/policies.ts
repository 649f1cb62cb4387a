import type { Trx } from '../database.ts';
import type { Deps } from '../deps.ts';
import { findOrganisationBySlug } from '../orgs/organisation.repository.ts';
import type { OrganisationRow } from '../orgs/organisation.table.ts';
import { type OrganisationAccess, requireScope } from '../orgs/organisation-access.ts';
import { AppError } from '../platform/errors.ts';
import { diffSettings, type SettingsChange } from './diff-settings.ts';
import {
  deleteDraft,
  findDraft,
  findVersion,
  findVersionInForce,
  insertVersion,
  listVersions as listVersionRows,
  lockOrganisation,
  upsertDraft,
} from './policy.repository.ts';
import { type PolicySettings, policySettingsSchema } from './policy-settings.ts';
import { type PresetName, presetSettings } from './presets/index.ts';

/** Where a new organisation's draft starts: the Dutch NCSC guideline. */
export const DEFAULT_PRESET: PresetName = 'ncsc-nl';

export type DraftView = {
  settings: PolicySettings;
  /** The published version this draft started from; null before the first publication. */
  basedOnVersion: number | null;
  /** What publishing now would change, against the newest published version. */
  changes: SettingsChange[];
  updatedAt: Date | null;
};

export type PublishedPolicy = {
  organisation: Pick<OrganisationRow, 'slug' | 'name' | 'default_language' | 'timezone'>;
  version: number;
  publishedAt: Date;
  settings: PolicySettings;
  /** The newest version number: older versions say they are superseded. */
  currentVersion: number;
};

/** Stored settings are re-read through the schema: what leaves Haven is always valid. */
const parse = (settings: unknown): PolicySettings => policySettingsSchema.parse(settings);

/**
 * The draft the team edits: the saved draft, or else a copy of the newest published version, or
 * else the default preset.
 */
export async function getDraft(deps: Pick<Deps, 'db'>, access: OrganisationAccess): Promise<DraftView> {
  requireScope(access, 'org:read');
  const [draft, newest] = await Promise.all([
    findDraft(deps.db, access.organisation.id),
    findVersion(deps.db, access.organisation.id),
  ]);
  const published = newest ? parse(newest.settings) : undefined;
  const settings = draft ? parse(draft.settings) : (published ?? presetSettings(DEFAULT_PRESET));
  return {
    settings,
    basedOnVersion: draft ? draft.based_on_version : (newest?.version ?? null),
    changes: published ? diffSettings(published, settings) : [],
    updatedAt: draft?.updated_at ?? null,
  };
}

export async function saveDraft(
  deps: Pick<Deps, 'db' | 'clock'>,
  access: OrganisationAccess,
  settings: PolicySettings,
): Promise<DraftView> {
  requireScope(access, 'policy:write');
  const parsed = parse(settings);
  await deps.db.transaction().execute(async (trx) => {
    // Publish holds this lock from reading the draft to deleting it: a save waits, so it is never lost.
    await lockOrganisation(trx, access.organisation.id);
    const newest = await findVersion(trx, access.organisation.id);
    await upsertDraft(trx, {
      organisationId: access.organisation.id,
      settings: parsed,
      basedOnVersion: newest?.version ?? null,
      at: deps.clock.now(),
      by: access.principal.userId,
    });
  });
  return getDraft(deps, access);
}

/** Replaces the draft with a preset (nothing is published until the team publishes). */
export async function applyPreset(
  deps: Pick<Deps, 'db' | 'clock'>,
  access: OrganisationAccess,
  preset: PresetName,
): Promise<DraftView> {
  return saveDraft(deps, access, presetSettings(preset));
}

/**
 * Publishes the draft as version N+1. Published versions never change (the database refuses
 * updates too); publishing what is already current is refused, so versions mean something.
 */
export async function publishDraft(
  deps: Pick<Deps, 'db' | 'clock'>,
  access: OrganisationAccess,
): Promise<{ version: number; publishedAt: Date }> {
  requireScope(access, 'policy:write');
  return deps.db.transaction().execute(async (trx) => {
    await lockOrganisation(trx, access.organisation.id);
    const [draft, newest] = await Promise.all([
      findDraft(trx, access.organisation.id),
      findVersion(trx, access.organisation.id),
    ]);
    if (!draft) {
      throw new AppError(
        'policy.unchanged',
        'There is no draft to publish: edit the policy or pick a preset first.',
      );
    }
    const settings = parse(draft.settings);
    if (newest && diffSettings(parse(newest.settings), settings).length === 0) {
      throw new AppError('policy.unchanged', 'The draft is the same as the published version.');
    }
    const at = deps.clock.now();
    const version = await insertVersion(trx, {
      organisationId: access.organisation.id,
      settings,
      at,
      by: access.principal.userId,
    });
    await deleteDraft(trx, access.organisation.id);
    return { version, publishedAt: at };
  });
}

/** Publishes a preset as the first version of a new organisation (`haven org create --preset`). */
export async function publishPresetForNewOrganisation(
  deps: Pick<Deps, 'clock'>,
  trx: Trx,
  organisationId: string,
  preset: PresetName,
): Promise<number> {
  await lockOrganisation(trx, organisationId);
  return insertVersion(trx, {
    organisationId,
    settings: presetSettings(preset),
    at: deps.clock.now(),
    by: null,
  });
}

export async function listPolicyVersions(deps: Pick<Deps, 'db'>, access: OrganisationAccess) {
  requireScope(access, 'org:read');
  const rows = await listVersionRows(deps.db, access.organisation.id);
  return rows.map((r) => ({ version: r.version, publishedAt: r.published_at, publishedBy: r.published_by }));
}

/** What changed between two published versions (or between one and the current draft: `to` null). */
export async function compareVersions(
  deps: Pick<Deps, 'db'>,
  access: OrganisationAccess,
  from: number,
  to: number | null,
): Promise<SettingsChange[]> {
  requireScope(access, 'org:read');
  const before = await findVersion(deps.db, access.organisation.id, from);
  if (!before) throw new AppError('policy.version_not_found', `There is no version ${from}.`);
  if (to === null) return diffSettings(parse(before.settings), (await getDraft(deps, access)).settings);
  const after = await findVersion(deps.db, access.organisation.id, to);
  if (!after) throw new AppError('policy.version_not_found', `There is no version ${to}.`);
  return diffSettings(parse(before.settings), parse(after.settings));
}

/** The published policy anyone may read: the newest version, or an older one by number. */
export async function getPublishedPolicy(
  deps: Pick<Deps, 'db'>,
  slug: string,
  version?: number,
): Promise<PublishedPolicy> {
  const organisation = await findOrganisationBySlug(deps.db, slug);
  if (!organisation) throw new AppError('org.not_found', 'No such organisation.');
  const newest = await findVersion(deps.db, organisation.id);
  if (!newest)
    throw new AppError('policy.not_published', 'This organisation has not published a policy yet.');
  const row = version === undefined ? newest : await findVersion(deps.db, organisation.id, version);
  if (!row) throw new AppError('policy.version_not_found', `There is no version ${version}.`);
  return {
    organisation: {
      slug: organisation.slug,
      name: organisation.name,
      default_language: organisation.default_language,
      timezone: organisation.timezone,
    },
    version: row.version,
    publishedAt: row.published_at,
    settings: parse(row.settings),
    currentVersion: newest.version,
  };
}

/** The policy a report is held to: the organisation, and the version in force (none before the first publication). */
export type IntakePolicy = {
  organisation: OrganisationRow;
  policy: { version: number; settings: PolicySettings } | undefined;
  /** The policy's intake rules, or before any publication rules that take everything. */
  rules: PolicySettings['intake'];
};

/** Intake rules before an organisation has published a policy: take everything, refuse nothing. */
const UNPUBLISHED_INTAKE: PolicySettings['intake'] = {
  identities: ['named', 'alias', 'anonymous'],
  requiredContact: [],
  languages: [],
  requestedDetails: [],
  attachments: {
    allowed: ['text', 'image', 'pdf'],
    maxBytes: 10 * 1024 * 1024,
    maxFiles: 10,
    passwordProtectedAccepted: false,
    passwordChannel: 'none',
  },
  emails: [],
};

/**
 * The organisation and the policy version in force at `at` (now when not given: an import names
 * the time a report was first received). An unknown organisation is `org.not_found`.
 */
export async function getIntakePolicy(
  deps: Pick<Deps, 'db'>,
  slug: string,
  at?: Date,
): Promise<IntakePolicy> {
  const organisation = await findOrganisationBySlug(deps.db, slug);
  if (!organisation) throw new AppError('org.not_found', 'No such organisation.');
  const row = at
    ? await findVersionInForce(deps.db, organisation.id, at)
    : await findVersion(deps.db, organisation.id);
  const settings = row ? parse(row.settings) : undefined;
  return {
    organisation,
    policy: row && settings ? { version: row.version, settings } : undefined,
    rules: settings?.intake ?? UNPUBLISHED_INTAKE,
  };
}
