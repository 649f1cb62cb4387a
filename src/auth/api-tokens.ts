import type { Deps } from '../deps.ts';
import { type OrganisationAccess, requireSession } from '../orgs/organisation-access.ts';
import { hashToken, randomToken } from '../platform/crypto.ts';
import { AppError } from '../platform/errors.ts';
import {
  findApiToken,
  insertApiToken,
  listApiTokens as listTokenRows,
  revokeApiToken,
} from './auth.repository.ts';
import { API_TOKEN_PREFIX } from './authenticate-token.ts';
import { type Scope, scopesOfRole } from './permissions.ts';

export type ApiTokenView = {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  createdBy: string;
};

/** Owners and coordinators make tokens for themselves, never wider than their own role. */
function assertMayManageTokens(access: OrganisationAccess): void {
  requireSession(access);
  if (access.role === 'viewer') throw new AppError('auth.forbidden', 'Viewers cannot manage API tokens.');
}

/** Creates a token; its secret is returned once here and stored only as a hash. */
export async function createApiToken(
  deps: Pick<Deps, 'db' | 'clock'>,
  access: OrganisationAccess,
  input: { name: string; scopes: Scope[]; expiresInDays?: number },
): Promise<{ token: string; view: ApiTokenView }> {
  assertMayManageTokens(access);
  const allowed = scopesOfRole(access.role);
  const beyond = input.scopes.filter((s) => !allowed.includes(s));
  if (beyond.length > 0) {
    throw new AppError('request.invalid', 'A token cannot have more rights than your role.', [
      { field: 'scopes', code: 'auth.forbidden', message: `Not allowed for your role: ${beyond.join(', ')}` },
    ]);
  }
  const now = deps.clock.now();
  const token = `${API_TOKEN_PREFIX}${randomToken()}`;
  const expiresAt = input.expiresInDays ? new Date(now.getTime() + input.expiresInDays * 86_400_000) : null;
  const scopes = [...new Set(input.scopes)];
  const row = await insertApiToken(deps.db, {
    organisation_id: access.organisation.id,
    user_id: access.principal.userId,
    name: input.name.trim(),
    token_hash: hashToken(token),
    display_prefix: token.slice(0, API_TOKEN_PREFIX.length + 6),
    scopes,
    created_at: now,
    expires_at: expiresAt,
  });
  const view = (await listApiTokens(deps, access)).find((t) => t.id === row.id);
  if (!view) throw new Error('token vanished after insert');
  return { token, view };
}

/** Owners see every token of the organisation; coordinators see their own. */
export async function listApiTokens(
  deps: Pick<Deps, 'db'>,
  access: OrganisationAccess,
): Promise<ApiTokenView[]> {
  assertMayManageTokens(access);
  const rows = await listTokenRows(
    deps.db,
    access.organisation.id,
    access.role === 'owner' ? undefined : access.principal.userId,
  );
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    prefix: r.display_prefix,
    scopes: r.scopes,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    expiresAt: r.expires_at,
    createdBy: r.created_by,
  }));
}

export async function revokeToken(deps: Pick<Deps, 'db' | 'clock'>, access: OrganisationAccess, id: string) {
  assertMayManageTokens(access);
  const token = await findApiToken(deps.db, access.organisation.id, id);
  if (!token || (access.role !== 'owner' && token.user_id !== access.principal.userId)) {
    throw new AppError('token.not_found', 'No such API token.');
  }
  await revokeApiToken(deps.db, id, deps.clock.now());
}
