import type { ColumnType, Selectable } from 'kysely';
import type { PolicySettings } from './policy-settings.ts';

/** Stored as jsonb: written as its JSON text (the same on pg and PGlite), read back parsed. */
export type SettingsColumn = ColumnType<PolicySettings, string, string>;

export type PolicyDraftTable = {
  organisation_id: string;
  settings: SettingsColumn;
  based_on_version: number | null;
  updated_at: Date;
  updated_by: string | null;
};

export type PolicyVersionTable = {
  organisation_id: string;
  version: number;
  settings: SettingsColumn;
  published_at: Date;
  published_by: string | null;
};
export type PolicyVersionRow = Selectable<PolicyVersionTable>;

export type PolicyTables = {
  policy_drafts: PolicyDraftTable;
  policy_versions: PolicyVersionTable;
};
