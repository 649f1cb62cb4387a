import { useLocation } from '@tanstack/react-router';

/**
 * The one-time token of a setup, invitation or reset link. Links carry it in the fragment
 * (`#token=…`) so it never reaches server logs; `?token=…` is accepted too.
 */
export function useLinkToken(): string | null {
  const { hash, searchStr } = useLocation();
  const fromHash = new URLSearchParams(hash.replace(/^#/, '')).get('token');
  if (fromHash) return fromHash;
  return new URLSearchParams(searchStr).get('token') || null;
}
