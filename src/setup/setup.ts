import { consumeLinkToken, findLiveLinkToken, updateUser } from '../auth/auth.repository.ts';
import { ensureUser } from '../auth/ensure-user.ts';
import { issueLink } from '../auth/links.ts';
import { assertAcceptablePassword } from '../auth/password-policy.ts';
import { startSession } from '../auth/sessions.ts';
import type { Deps } from '../deps.ts';
import { createOrganisation, type NewOrganisation } from '../orgs/create-organisation.ts';
import { countOrganisations } from '../orgs/organisation.repository.ts';
import type { OrganisationRow } from '../orgs/organisation.table.ts';
import { hashPassword, hashToken } from '../platform/crypto.ts';
import { AppError } from '../platform/errors.ts';

/** Setup is needed while no organisation exists. */
export async function isSetupNeeded(deps: Pick<Deps, 'db'>): Promise<boolean> {
  return (await countOrganisations(deps.db)) === 0;
}

/** A fresh one-time setup link (earlier ones stop working), or nothing when setup is done. */
export async function issueSetupLink(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
): Promise<string | undefined> {
  if (!(await isSetupNeeded(deps))) return undefined;
  const link = await deps.db
    .transaction()
    .execute((trx) => issueLink(deps, trx, { purpose: 'setup', userId: null, organisationId: null }));
  return link.url;
}

/**
 * First run: spends the setup link, creates the first organisation and its owner, and signs the
 * owner in, all in one transaction.
 */
export async function completeSetup(
  deps: Deps,
  input: {
    token: string;
    organisation: NewOrganisation;
    owner: { name: string; email: string; password: string };
    language: 'nl' | 'en';
    clientKey: string;
  },
): Promise<{ organisation: OrganisationRow; session: { secret: string; idHash: Buffer } }> {
  if (!deps.limits.signInPerClient.consume(input.clientKey, deps.clock.now().getTime()).allowed) {
    throw new AppError('request.rate_limited', 'Too many attempts; try again later.');
  }
  // Cheap checks first: nobody without a live setup link gets the server to hash a password.
  if (!(await isSetupNeeded(deps)))
    throw new AppError('setup.already_done', 'Haven has already been set up.');
  if (!(await findLiveLinkToken(deps.db, hashToken(input.token), 'setup', deps.clock.now()))) {
    throw new AppError('setup.link_invalid', 'This setup link is invalid or already used.');
  }
  assertAcceptablePassword(input.owner.password, input.owner.email, 'owner.password');
  const passwordHash = await hashPassword(input.owner.password, deps.passwordParams);
  return deps.db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const link = await consumeLinkToken(trx, hashToken(input.token), ['setup'], now);
    if (!(await isSetupNeeded({ db: trx }))) {
      throw new AppError('setup.already_done', 'Haven has already been set up.');
    }
    if (!link) throw new AppError('setup.link_invalid', 'This setup link is invalid or already used.');
    const { user } = await ensureUser(trx, {
      email: input.owner.email,
      name: input.owner.name,
      language: input.language,
      now,
    });
    await updateUser(trx, user.id, {
      password_hash: passwordHash,
      password_changed_at: now,
      name: input.owner.name,
    });
    const organisation = await prefixFields('organisation', () =>
      createOrganisation(deps, trx, { ...input.organisation, ownerUserId: user.id }),
    );
    const session = await startSession(deps, trx, user.id);
    return { organisation, session };
  });
}

/** Field names in errors follow the request body: `slug` becomes `organisation.slug`. */
async function prefixFields<T>(prefix: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof AppError && error.details) {
      throw new AppError(
        error.code,
        error.message,
        error.details.map((d) => (d.field ? { ...d, field: `${prefix}.${d.field}` } : d)),
      );
    }
    throw error;
  }
}
