import { updateUser } from '../auth/auth.repository.ts';
import { ensureUser } from '../auth/ensure-user.ts';
import type { Deps } from '../deps.ts';
import { createOrganisation } from '../orgs/create-organisation.ts';
import { findOrganisationBySlug, insertMembership } from '../orgs/organisation.repository.ts';
import type { Role } from '../orgs/organisation.table.ts';
import { hashPassword, randomToken } from '../platform/crypto.ts';

export const DEMO_SLUG = 'demo';

/**
 * Demo data, so a newcomer sees a living system: an organisation with an owner, a coordinator and a
 * viewer. Passwords are random and returned once; running it again changes nothing.
 */
export async function loadDemo(
  deps: Deps,
): Promise<{ created: boolean; slug: string; accounts: { email: string; role: Role; password?: string }[] }> {
  const people: { email: string; name: string; role: Role }[] = [
    { email: 'owner@demo.haven.invalid', name: 'Olivia Owner', role: 'owner' },
    { email: 'coordinator@demo.haven.invalid', name: 'Cas Coordinator', role: 'coordinator' },
    { email: 'viewer@demo.haven.invalid', name: 'Vera Viewer', role: 'viewer' },
  ];
  if (await findOrganisationBySlug(deps.db, DEMO_SLUG)) {
    return { created: false, slug: DEMO_SLUG, accounts: people.map(({ email, role }) => ({ email, role })) };
  }
  const withPasswords = await Promise.all(
    people.map(async (p) => {
      const password = randomToken(12);
      return { ...p, password, hash: await hashPassword(password, deps.passwordParams) };
    }),
  );
  await deps.db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const organisation = await createOrganisation(deps, trx, {
      slug: DEMO_SLUG,
      name: 'Haven Demo',
      defaultLanguage: 'nl',
      timezone: 'Europe/Amsterdam',
    });
    for (const person of withPasswords) {
      const { user } = await ensureUser(trx, { email: person.email, name: person.name, now });
      await updateUser(trx, user.id, { password_hash: person.hash, password_changed_at: now });
      await insertMembership(trx, {
        organisation_id: organisation.id,
        user_id: user.id,
        role: person.role,
        created_at: now,
        accepted_at: now,
      });
    }
  });
  return {
    created: true,
    slug: DEMO_SLUG,
    accounts: withPasswords.map(({ email, role, password }) => ({ email, role, password })),
  };
}
