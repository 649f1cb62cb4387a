/**
 * The one-time token of a setup, invitation or reset link. Links carry it in the fragment
 * (`#token=…`) so it never reaches server logs; `?token=…` is accepted too.
 */
export function readLinkToken(): string | null {
  const fromHash = new URLSearchParams(window.location.hash.replace(/^#/, '')).get('token');
  if (fromHash) return fromHash;
  return new URLSearchParams(window.location.search).get('token') || null;
}
