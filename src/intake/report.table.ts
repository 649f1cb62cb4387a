import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { CaseChannel } from '../cases/case.table.ts';

type Json<T> = ColumnType<T, string, string>;

/** A deviation from the policy that a channel without a way to correct (mail, import) recorded. */
export type Deviation = { code: string; field?: string; detail?: string };

export type ReportTable = {
  id: Generated<string>;
  organisation_id: string;
  case_id: string;
  channel: CaseChannel;
  /** Where an imported report came from (an old mailbox, another platform). */
  source: string | null;
  received_at: Date;
  created_at: Date;
  title: string;
  /** Affected assets and full URLs, as the reporter wrote them. */
  assets: Json<string[]>;
  /** JSON string[] sealed with the case key (AAD: report id). */
  ip_addresses_sealed: Buffer | null;
  objects: string;
  steps: string;
  impact: string;
  proof_of_concept: string;
  cwe: string | null;
  language: 'nl' | 'en';
  detected_language: string | null;
  policy_version: number | null;
  policy_acceptance: 'explicit' | 'implicit' | null;
  deviations: Json<Deviation[]>;
};
export type ReportRow = Selectable<ReportTable>;
export type NewReportRow = Insertable<ReportTable>;

export type IntakeIdempotencyTable = {
  organisation_id: string;
  key_hash: Buffer;
  request_hash: Buffer;
  case_id: string;
  token_sealed: Buffer;
  created_at: Date;
  expires_at: Date;
};

export type SpentProofTable = { id: Buffer; expires_at: Date };

export type IntakeTables = {
  reports: ReportTable;
  intake_idempotency: IntakeIdempotencyTable;
  spent_proofs: SpentProofTable;
};
