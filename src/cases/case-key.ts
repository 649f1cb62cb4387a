import type { Db, Trx } from '../database.ts';
import type { Deps } from '../deps.ts';
import { open, seal } from '../platform/crypto.ts';
import { openDataKey } from '../platform/keys.ts';
import type { CaseRow } from './case.table.ts';

/** The purpose a case key is wrapped for. */
export const CASE_KEY_PURPOSE = 'case';

/** Who reported, as far as they said: sealed with the case key, never stored in the clear. */
export type ReporterIdentity = {
  name?: string;
  alias?: string;
  email?: string;
  phone?: string;
  /** ASCII-armored OpenPGP public key, for encrypted mail to the reporter. */
  openpgpKey?: string;
};

export async function openCaseKey(
  deps: Pick<Deps, 'db' | 'keyring'>,
  row: Pick<CaseRow, 'data_key_id'>,
  trx?: Trx | Db,
) {
  const key = await openDataKey(trx ?? deps.db, deps.keyring, row.data_key_id);
  if (!key) throw new Error('the case key is gone (erased?)');
  return key;
}

export function sealReporter(key: Buffer, caseId: string, identity: ReporterIdentity): Buffer {
  return seal(key, Buffer.from(JSON.stringify(identity)), `reporter:${caseId}`);
}

export function openReporter(key: Buffer, row: Pick<CaseRow, 'id' | 'reporter_sealed'>): ReporterIdentity {
  if (!row.reporter_sealed) return {};
  return JSON.parse(
    open(key, row.reporter_sealed, `reporter:${row.id}`).toString('utf8'),
  ) as ReporterIdentity;
}

export function sealJson(key: Buffer, context: string, value: unknown): Buffer {
  return seal(key, Buffer.from(JSON.stringify(value)), context);
}

export function openJson<T>(key: Buffer, context: string, sealed: Buffer): T {
  return JSON.parse(open(key, sealed, context).toString('utf8')) as T;
}
