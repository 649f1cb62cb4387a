import { queryOptions, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { api, type Language, type Organisation, type Session, seg, setCsrfToken } from './api.ts';
import { changeLanguage } from './i18n.ts';

export const sessionQuery = queryOptions({
  queryKey: ['session'],
  queryFn: async () => {
    const session = await api.get<Session>('/api/v1/auth/session');
    setCsrfToken(session.csrfToken);
    return session;
  },
  staleTime: 60_000,
});

export const orgQuery = (slug: string) =>
  queryOptions({
    queryKey: ['org', slug],
    queryFn: () => api.get<Organisation>(`/api/v1/orgs/${seg(slug)}`),
  });

/** Switch language; when signed in, also remember it on the account (best effort). */
export function useSwitchLanguage(): (language: Language) => void {
  const queryClient = useQueryClient();
  return useCallback(
    (language: Language) => {
      changeLanguage(language);
      const session = queryClient.getQueryData(sessionQuery.queryKey);
      if (session && session.user.language !== language) {
        queryClient.setQueryData(sessionQuery.queryKey, { ...session, user: { ...session.user, language } });
        api.patch('/api/v1/me', { language }).catch(() => {
          // Best effort: the choice is kept on this device either way.
        });
      }
    },
    [queryClient],
  );
}
