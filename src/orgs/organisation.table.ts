import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

export type Role = 'owner' | 'coordinator' | 'viewer';
export const ROLES = ['owner', 'coordinator', 'viewer'] as const satisfies readonly Role[];

/** Who gets the team's e-mail notices until they choose otherwise: those who handle cases. */
export const NOTIFIED_BY_DEFAULT: Readonly<Record<Role, boolean>> = {
  owner: true,
  coordinator: true,
  viewer: false,
};

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
  /** The member's own choice about the team's e-mail notices; null: their role's default. */
  notify_by_email: ColumnType<boolean | null, boolean | null | undefined, boolean | null>;
};
export type MembershipRow = Selectable<MembershipTable>;

export type OrgTables = {
  organisations: OrganisationTable;
  memberships: MembershipTable;
};
