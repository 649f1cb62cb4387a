import type { Deps } from '../deps.ts';
import { deleteExpiredIntakeRecords } from './report.repository.ts';

/** How often a node clears expired idempotency answers and spent proofs. */
export const INTAKE_HOUSEKEEPING_MS = 10 * 60_000;

/**
 * Clears idempotency answers older than 24 hours and proof-of-work solutions whose challenge
 * expired, in bounded batches, until none are left. Runs on a timer, not in the submission path.
 */
export async function removeExpiredIntakeRecords(
  deps: Pick<Deps, 'db' | 'clock'>,
  now = deps.clock.now(),
): Promise<number> {
  let total = 0;
  for (;;) {
    const removed = await deleteExpiredIntakeRecords(deps.db, now);
    total += removed;
    if (removed === 0) return total;
  }
}
