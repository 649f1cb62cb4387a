import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** How the connection is protected: TLS from the start (993), STARTTLS (143), or none (loopback only). */
export type ImapTlsMode = 'implicit' | 'starttls' | 'none';
/** A password (LOGIN / AUTH=PLAIN), or OAuth2 (AUTH=XOAUTH2: Microsoft 365, Google) with a refresh token. */
export type ImapAuthKind = 'password' | 'xoauth2';

/** int8 comes back as a string on both engines. */
type BigIntColumn = ColumnType<string, string | number, string | number>;

export type ImapMailboxTable = {
  id: Generated<string>;
  organisation_id: string;
  host: string;
  port: number;
  tls: ImapTlsMode;
  username: string;
  auth_kind: ImapAuthKind;
  /** The password or OAuth2 refresh token, sealed with `data_key_id` and bound to the row's id. */
  secret_sealed: Buffer;
  data_key_id: string;
  /** The OAuth2 client of an xoauth2 mailbox (null for a password); the secret is sealed like the password. */
  oauth_token_url: ColumnType<string | null, string | null | undefined, string | null>;
  oauth_client_id: ColumnType<string | null, string | null | undefined, string | null>;
  oauth_client_secret_sealed: ColumnType<Buffer | null, Buffer | null | undefined, Buffer | null>;
  oauth_scope: ColumnType<string | null, string | null | undefined, string | null>;
  /** Folder paths use `/` between levels; the poller maps it to the server's own delimiter. */
  folder: Generated<string>;
  processed_folder: Generated<string>;
  enabled: Generated<boolean>;
  last_uidvalidity: string | null;
  last_uid: ColumnType<string, string | number | undefined, string | number>;
  last_polled_at: Date | null;
  last_error: string | null;
  created_at: Date;
  updated_at: Date;
};
export type ImapMailboxRow = Selectable<ImapMailboxTable>;
export type NewImapMailboxRow = Insertable<ImapMailboxTable>;
export type ImapMailboxUpdate = Updateable<ImapMailboxTable>;

export type ImapSeenOutcome = 'ingested' | 'duplicate' | 'rejected';

export type ImapSeenTable = {
  mailbox_id: string;
  folder: string;
  uidvalidity: string;
  uid: BigIntColumn;
  sha256: Buffer | null;
  outcome: ImapSeenOutcome;
  seen_at: Date;
  moved_at: Date | null;
};

export type ImapTables = { imap_mailboxes: ImapMailboxTable; imap_seen: ImapSeenTable };
