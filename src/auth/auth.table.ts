import type { Generated, Insertable, Selectable } from 'kysely';

export type UserTable = {
  id: Generated<string>;
  email: string;
  name: Generated<string>;
  password_hash: string | null;
  language: 'nl' | 'en' | null;
  created_at: Date;
  password_changed_at: Date | null;
  disabled_at: Date | null;
};
export type UserRow = Selectable<UserTable>;
export type NewUserRow = Insertable<UserTable>;

export type SessionTable = {
  id_hash: Buffer;
  user_id: string;
  created_at: Date;
  last_seen_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
  revoked_reason: string | null;
};

export type LinkPurpose = 'setup' | 'invitation' | 'password_reset';

export type LinkTokenTable = {
  token_hash: Buffer;
  purpose: LinkPurpose;
  user_id: string | null;
  organisation_id: string | null;
  created_at: Date;
  expires_at: Date;
  used_at: Date | null;
};

export type ApiTokenTable = {
  id: Generated<string>;
  organisation_id: string;
  user_id: string;
  name: string;
  token_hash: Buffer;
  display_prefix: string;
  scopes: string[];
  created_at: Date;
  last_used_at: Date | null;
  expires_at: Date | null;
  revoked_at: Date | null;
};

export type AuthTables = {
  users: UserTable;
  sessions: SessionTable;
  link_tokens: LinkTokenTable;
  api_tokens: ApiTokenTable;
};
