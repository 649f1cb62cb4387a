import type { Generated, Insertable, Selectable } from 'kysely';

export type Role = 'owner' | 'coordinator' | 'viewer';
export const ROLES = ['owner', 'coordinator', 'viewer'] as const satisfies readonly Role[];

export type OrganisationTable = {
  id: Generated<string>;
  slug: string;
  name: string;
  default_language: 'nl' | 'en';
  timezone: string;
  created_at: Date;
  updated_at: Date;
};
export type OrganisationRow = Selectable<OrganisationTable>;
export type NewOrganisationRow = Insertable<OrganisationTable>;

export type MembershipTable = {
  organisation_id: string;
  user_id: string;
  role: Role;
  created_at: Date;
  accepted_at: Date | null;
  invited_name: Generated<string>;
};
export type MembershipRow = Selectable<MembershipTable>;

export type OrgTables = {
  organisations: OrganisationTable;
  memberships: MembershipTable;
};
