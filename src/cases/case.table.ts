import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

export type CaseChannel = 'web' | 'api' | 'email' | 'import';
export type IdentityMode = 'named' | 'alias' | 'anonymous';

type Json<T> = ColumnType<T, string, string>;

export type CaseCounterTable = { organisation_id: string; year: number; last: number };

export type CaseTable = {
  id: Generated<string>;
  organisation_id: string;
  /** e.g. RECONI-2026-0042: unique per organisation, shown to reporter and team. */
  reference: string;
  state: string;
  title: string;
  channel: CaseChannel;
  received_at: Date;
  created_at: Date;
  updated_at: Date;
  /** The case key: seals the reporter's identity, sealed report fields and every attachment. */
  data_key_id: string;
  reporter_language: 'nl' | 'en';
  identity_mode: IdentityMode;
  /** JSON ReporterIdentity sealed with the case key (AAD: the case id). */
  reporter_sealed: Buffer | null;
  reporter_has_email: boolean;
  credit_wanted: boolean;
  credit_name: string | null;
  withdrawn_at: Date | null;
};
export type CaseRow = Selectable<CaseTable>;
export type NewCaseRow = Insertable<CaseTable>;

export type CaseEventTable = {
  id: Generated<string>;
  organisation_id: string;
  case_id: string;
  at: Date;
  kind: string;
  visibility: 'reporter' | 'internal';
  actor: 'reporter' | 'staff' | 'system';
  actor_user_id: string | null;
  data: Json<Record<string, unknown>>;
};
export type CaseEventRow = Selectable<CaseEventTable>;

export type CaseMessageTable = {
  id: Generated<string>;
  organisation_id: string;
  case_id: string;
  at: Date;
  author: 'reporter' | 'staff';
  author_user_id: string | null;
  body: string;
};
export type CaseMessageRow = Selectable<CaseMessageTable>;

export type CaseNoteTable = {
  id: Generated<string>;
  organisation_id: string;
  case_id: string;
  at: Date;
  author_user_id: string | null;
  body: string;
};
export type CaseNoteRow = Selectable<CaseNoteTable>;

export type AttachmentTable = {
  id: Generated<string>;
  organisation_id: string;
  case_id: string;
  report_id: string | null;
  message_id: string | null;
  file_name: string;
  media_type: string;
  kind: string;
  size: number;
  sha256: string;
  blob_key: string;
  original_blob_key: string | null;
  original_size: number | null;
  original_sha256: string | null;
  reencoded: boolean;
  quarantined: boolean;
  proof_of_concept: boolean;
  deviation: string | null;
  uploaded_by: 'reporter' | 'staff';
  created_at: Date;
  /** Password-protected, kept as sent; `lock_kind` says which format. */
  locked: Generated<boolean>;
  lock_kind: 'zip' | 'pdf' | '7z' | 'office' | null;
  /** The unlocked container this file was taken out of. */
  unlocked_from: string | null;
  /** When staff unlocked this container (its contents are the rows pointing at it). */
  unlocked_at: Date | null;
};
export type AttachmentRow = Selectable<AttachmentTable>;
export type NewAttachmentRow = Insertable<AttachmentTable>;

export type ReporterTokenTable = {
  id: Generated<string>;
  organisation_id: string;
  case_id: string;
  purpose: 'access' | 'recovery';
  token_hash: Buffer;
  created_at: Date;
  expires_at: Date | null;
  used_at: Date | null;
  revoked_at: Date | null;
};

export type CaseTables = {
  case_counters: CaseCounterTable;
  cases: CaseTable;
  case_events: CaseEventTable;
  case_messages: CaseMessageTable;
  case_notes: CaseNoteTable;
  attachments: AttachmentTable;
  reporter_tokens: ReporterTokenTable;
};
