import type { Trx } from '../database.ts';
import type { Deps } from '../deps.ts';
import { hasEvent, insertCaseEvent } from './case.repository.ts';
import type { CaseEventTable, CaseRow } from './case.table.ts';

export type CaseEventInput = {
  kind: string;
  visibility: CaseEventTable['visibility'];
  actor: CaseEventTable['actor'];
  actorUserId?: string | null;
  data?: Record<string, unknown>;
};

/** Appends to a case's timeline, in the caller's transaction or a new one. */
export async function recordCaseEvent(
  deps: Pick<Deps, 'db' | 'clock'>,
  caseRow: Pick<CaseRow, 'id' | 'organisation_id'>,
  event: CaseEventInput,
  trx?: Trx,
): Promise<void> {
  const write = (t: Trx) =>
    insertCaseEvent(t, {
      organisation_id: caseRow.organisation_id,
      case_id: caseRow.id,
      at: deps.clock.now(),
      kind: event.kind,
      visibility: event.visibility,
      actor: event.actor,
      actor_user_id: event.actorUserId ?? null,
      data: event.data,
    });
  if (trx) await write(trx);
  else await deps.db.transaction().execute(write);
}

export async function wasRecorded(deps: Pick<Deps, 'db'>, caseId: string, kind: string): Promise<boolean> {
  return hasEvent(deps.db, caseId, kind);
}
