import type { Generated, Insertable, Selectable } from 'kysely';

export type OrganisationKeyTable = {
  id: Generated<string>;
  organisation_id: string;
  /** Lower-case hex, as OpenPGP.js gives it. */
  fingerprint: string;
  /** The key's user ID, e.g. `Haven security contact of Acme <security@acme.example>`. */
  user_id: string;
  /** ASCII-armored public key, served at /o/{org}/pgp-key.asc. */
  public_key: string;
  /** The binary private key (no passphrase), sealed with the data key `data_key_id`. */
  private_key_sealed: Buffer;
  data_key_id: string;
  created_at: Date;
  /** Set when a newer key took over; the key is kept to decrypt what was encrypted to it. */
  retired_at: Date | null;
};
export type OrganisationKeyRow = Selectable<OrganisationKeyTable>;
export type NewOrganisationKeyRow = Insertable<OrganisationKeyTable>;

export type OpenPgpTables = {
  organisation_keys: OrganisationKeyTable;
};
