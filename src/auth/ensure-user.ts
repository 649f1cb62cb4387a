import type { Trx } from '../database.ts';
import { findUserByEmail, insertUserIfAbsent } from './auth.repository.ts';
import type { UserRow } from './auth.table.ts';

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** The staff user with this e-mail address, created without a password if there is none yet. */
export async function ensureUser(
  trx: Trx,
  input: { email: string; name?: string; language?: 'nl' | 'en' | null; now: Date },
): Promise<{ user: UserRow; created: boolean }> {
  const email = normaliseEmail(input.email);
  const existing = await findUserByEmail(trx, email);
  if (existing) return { user: existing, created: false };
  // Two requests may create the same address at once: the second finds the first's row.
  const user = await insertUserIfAbsent(trx, {
    email,
    name: input.name?.trim() ?? '',
    language: input.language ?? null,
    password_hash: null,
    created_at: input.now,
    password_changed_at: null,
    disabled_at: null,
  });
  if (user) return { user, created: true };
  const raced = await findUserByEmail(trx, email);
  if (!raced) throw new Error('user vanished after a conflicting insert');
  return { user: raced, created: false };
}
