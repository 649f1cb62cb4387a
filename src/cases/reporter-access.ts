import type { Trx } from '../database.ts';
import type { Deps } from '../deps.ts';
import { hashToken, randomToken } from '../platform/crypto.ts';
import { AppError } from '../platform/errors.ts';
import {
  findCaseById,
  findReporterToken,
  insertCaseEvent,
  insertReporterToken,
  revokeAccessTokens,
  useReporterToken,
} from './case.repository.ts';
import type { CaseRow } from './case.table.ts';

/** Reporter links carry 256 random bits after this prefix; only their SHA-256 is stored. */
export const REPORTER_TOKEN_PREFIX = 'havenr_';
export const RECOVERY_TTL_MS = 15 * 60_000;
const TOKEN_SHAPE = /^havenr_[A-Za-z0-9_-]{43}$/;

export function isReporterToken(value: string): boolean {
  return TOKEN_SHAPE.test(value);
}

export function reporterCaseUrl(deps: Pick<Deps, 'config'>, token: string): string {
  return `${deps.config.publicUrl.replace(/\/+$/, '')}/r/${token}`;
}

export async function issueAccessToken(
  trx: Trx,
  target: { organisationId: string; caseId: string },
  at: Date,
): Promise<string> {
  const token = `${REPORTER_TOKEN_PREFIX}${randomToken(32)}`;
  await insertReporterToken(trx, {
    organisation_id: target.organisationId,
    case_id: target.caseId,
    purpose: 'access',
    token_hash: hashToken(token),
    created_at: at,
    expires_at: null,
  });
  return token;
}

/** The case an access token opens, or undefined (unknown, revoked, or not an access token). */
export async function findCaseByAccessToken(
  deps: Pick<Deps, 'db'>,
  token: string | undefined,
): Promise<CaseRow | undefined> {
  if (!token || !isReporterToken(token)) return undefined;
  const row = await findReporterToken(deps.db, hashToken(token));
  if (row?.purpose !== 'access' || row.revoked_at) return undefined;
  return findCaseById(deps.db, row.case_id);
}

/** Like findCaseByAccessToken, for routes: a missing or dead link is `report.not_found`. */
export async function requireCaseByAccessToken(deps: Pick<Deps, 'db'>, token: string | undefined) {
  const found = await findCaseByAccessToken(deps, token);
  if (!found) throw new AppError('report.not_found', 'No case for this link: it may have been revoked.');
  return found;
}

/**
 * What a link from an e-mail or the confirmation page opens: an access token as it is; a recovery
 * link (single use, 15 minutes) is spent and exchanged for a new access token.
 */
export async function redeemReporterLink(
  deps: Pick<Deps, 'db' | 'clock'>,
  token: string,
): Promise<{ accessToken: string; caseRow: CaseRow } | undefined> {
  if (!isReporterToken(token)) return undefined;
  const row = await findReporterToken(deps.db, hashToken(token));
  if (!row || row.revoked_at) return undefined;
  if (row.purpose === 'access') {
    const caseRow = await findCaseById(deps.db, row.case_id);
    return caseRow ? { accessToken: token, caseRow } : undefined;
  }
  const now = deps.clock.now();
  if (row.used_at || !row.expires_at || row.expires_at <= now) return undefined;
  return deps.db.transaction().execute(async (trx) => {
    if (!(await useReporterToken(trx, row.id, now))) return undefined;
    const caseRow = await findCaseById(trx, row.case_id);
    if (!caseRow) return undefined;
    const accessToken = await issueAccessToken(
      trx,
      { organisationId: row.organisation_id, caseId: row.case_id },
      now,
    );
    await insertCaseEvent(trx, {
      organisation_id: row.organisation_id,
      case_id: row.case_id,
      at: now,
      kind: 'reporter.access_recovered',
      visibility: 'reporter',
      actor: 'reporter',
      actor_user_id: null,
    });
    return { accessToken, caseRow };
  });
}

/** Revokes every link to the case and makes a new one: for a link that may have leaked. */
export async function renewReporterLink(deps: Pick<Deps, 'db' | 'clock' | 'config'>, caseRow: CaseRow) {
  const now = deps.clock.now();
  const token = await deps.db.transaction().execute(async (trx) => {
    await revokeAccessTokens(trx, caseRow.id, now);
    await insertCaseEvent(trx, {
      organisation_id: caseRow.organisation_id,
      case_id: caseRow.id,
      at: now,
      kind: 'reporter.link_renewed',
      visibility: 'reporter',
      actor: 'reporter',
      actor_user_id: null,
    });
    return issueAccessToken(trx, { organisationId: caseRow.organisation_id, caseId: caseRow.id }, now);
  });
  return { token, caseUrl: reporterCaseUrl(deps, token) };
}

/** A single-use recovery link for the reporter's e-mail (made by the mail job, never stored readable). */
export async function issueRecoveryToken(trx: Trx, caseRow: CaseRow, at: Date): Promise<string> {
  const token = `${REPORTER_TOKEN_PREFIX}${randomToken(32)}`;
  await insertReporterToken(trx, {
    organisation_id: caseRow.organisation_id,
    case_id: caseRow.id,
    purpose: 'recovery',
    token_hash: hashToken(token),
    created_at: at,
    expires_at: new Date(at.getTime() + RECOVERY_TTL_MS),
  });
  return token;
}

/** A fresh access link for a mail to the reporter (mail jobs make it: job payloads hold no secrets). */
export async function issueLinkForMail(deps: Pick<Deps, 'db' | 'clock' | 'config'>, caseRow: CaseRow) {
  const token = await deps.db
    .transaction()
    .execute((trx) =>
      issueAccessToken(
        trx,
        { organisationId: caseRow.organisation_id, caseId: caseRow.id },
        deps.clock.now(),
      ),
    );
  return reporterCaseUrl(deps, token);
}
