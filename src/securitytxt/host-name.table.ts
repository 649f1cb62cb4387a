import type { Generated } from 'kysely';

/** A host name an organisation claims: /.well-known/security.txt on that host is the organisation's. */
export type OrganisationHostNameTable = {
  host: string;
  organisation_id: string;
};

export type SecurityTxtTables = {
  organisation_host_names: OrganisationHostNameTable;
  /** The column this domain adds to organisations (migration 0004): at most one is the default. */
  organisations: { is_default: Generated<boolean> };
};
