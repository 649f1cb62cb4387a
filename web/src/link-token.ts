import { useLocation } from '@tanstack/react-router';
import { useEffect, useState } from 'react';

/**
 * The one-time token of a setup, invitation or reset link. Links carry it in the fragment
 * (`#token=…`), which browsers never send to a server; it is read once and then taken out of the
 * address bar and history entry, so it is not left behind for the next person at the screen.
 */
export function useLinkToken(): string | null {
  const { hash } = useLocation();
  const [token] = useState(() => new URLSearchParams(hash.replace(/^#/, '')).get('token') || null);
  useEffect(() => {
    if (window.location.hash) {
      window.history.replaceState(
        window.history.state,
        '',
        window.location.pathname + window.location.search,
      );
    }
  }, []);
  return token;
}
