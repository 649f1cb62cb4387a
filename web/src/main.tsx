import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { isApiError, setAuthRequiredHandler } from './api.ts';
import { initI18n } from './i18n.ts';
import { router } from './routes/tree.tsx';
import './styles.css';

const i18n = initI18n();

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      // A 4xx will not get better by asking again; network trouble and 5xx might.
      retry: (failures, error) =>
        !(isApiError(error) && error.status >= 400 && error.status < 500) && failures < 2,
    },
  },
});

// The session ended (expired, revoked, signed out elsewhere): back to sign-in, then back here.
setAuthRequiredHandler(() => {
  const here = window.location.pathname;
  if (router.state.location.pathname === '/sign-in') return;
  void router.navigate({ to: '/sign-in', search: { redirect: here }, replace: true });
});

const root = document.getElementById('root');
if (!root) throw new Error('#root is missing from index.html');

createRoot(root).render(
  <StrictMode>
    <I18nextProvider i18n={i18n}>
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </I18nextProvider>
  </StrictMode>,
);
