import { effectiveScopes, type Principal, type Scope } from '../auth/permissions.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../platform/errors.ts';
import { findMembershipBySlug } from './organisation.repository.ts';
import type { OrganisationRow, Role } from './organisation.table.ts';

export type OrganisationAccess = Readonly<{
  organisation: OrganisationRow;
  role: Role;
  scopes: readonly Scope[];
  principal: Principal;
}>;

/**
 * The one gate into an organisation's data: the caller must be a member, and a token only opens the
 * organisation it was made for. Anything else is 404, so outsiders cannot learn which slugs exist.
 */
export async function getOrganisationAccess(
  deps: Pick<Deps, 'db'>,
  principal: Principal,
  slug: string,
): Promise<OrganisationAccess> {
  const found = await findMembershipBySlug(deps.db, slug, principal.userId);
  if (!found || (principal.via === 'token' && found.organisation.id !== principal.organisationId)) {
    throw new AppError('org.not_found', 'No such organisation.');
  }
  const scopes = effectiveScopes(found.role, principal.via === 'token' ? principal.scopes : undefined);
  return Object.freeze({ organisation: found.organisation, role: found.role, scopes, principal });
}

export function requireScope(access: OrganisationAccess, scope: Scope): void {
  if (!access.scopes.includes(scope)) {
    throw new AppError('auth.forbidden', `This needs the ${scope} permission.`, [
      { code: 'scope_missing', message: scope },
    ]);
  }
}

/** Session-only actions (managing tokens and members' roles) are never open to API tokens. */
export function requireSession(access: OrganisationAccess): void {
  if (access.principal.via !== 'session') {
    throw new AppError('auth.forbidden', 'This can only be done when signed in, not with an API token.');
  }
}
