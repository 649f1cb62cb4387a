import type { Role } from '../orgs/organisation.table.ts';

/** What a caller may do inside one organisation. API tokens carry a subset; roles grant a set. */
export const SCOPES = [
  'org:read',
  'members:read',
  'members:write',
  'policy:write',
  'cases:read',
  'cases:write',
  'reports:write',
] as const;
export type Scope = (typeof SCOPES)[number];

const ROLE_SCOPES: Record<Role, readonly Scope[]> = {
  owner: SCOPES,
  coordinator: ['org:read', 'members:read', 'cases:read', 'cases:write', 'reports:write'],
  viewer: ['org:read', 'members:read', 'cases:read'],
};

export function scopesOfRole(role: Role): readonly Scope[] {
  return ROLE_SCOPES[role];
}

/** A token never exceeds the role its user holds now: a demoted user's tokens shrink with them. */
export function effectiveScopes(role: Role, tokenScopes?: readonly string[]): Scope[] {
  const granted = ROLE_SCOPES[role];
  return tokenScopes ? granted.filter((s) => tokenScopes.includes(s)) : [...granted];
}

/** What an API token may carry: managing members needs a signed-in person, never a token. */
export const TOKEN_SCOPES = SCOPES.filter((s) => s !== 'members:write');

export function isTokenScope(value: string): value is Scope {
  return (TOKEN_SCOPES as readonly string[]).includes(value);
}

/** Who is calling: a staff member signed in with a session cookie, or an API token. */
export type Principal =
  | { via: 'session'; userId: string; sessionIdHash: Buffer }
  | { via: 'token'; userId: string; tokenId: string; organisationId: string; scopes: readonly string[] };
