import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

type Json<T> = ColumnType<T, string, string>;

/** How an acknowledgement may answer a mail: quoting the report, without any of its text, or not at all. */
export type AcknowledgementMode = 'quote' | 'no_quote' | 'none';

export type InboundMessageTable = {
  id: Generated<string>;
  organisation_id: string;
  case_id: string | null;
  sha256: Buffer;
  message_id: string | null;
  from_hash: Buffer | null;
  received_at: Date;
  source_kind: 'smtp' | 'imap';
  source_mailbox: string | null;
  source_uidvalidity: string | null;
  source_uid: string | null;
  auth: Json<Record<string, unknown>>;
  blob_key: string | null;
  size: number;
  outcome: string;
  acknowledgement: AcknowledgementMode;
};
export type InboundMessageRow = Selectable<InboundMessageTable>;
export type NewInboundMessageRow = Insertable<InboundMessageTable>;

export type MailTables = { inbound_messages: InboundMessageTable };
