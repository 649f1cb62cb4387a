import { createRootRoute, createRoute, createRouter, Outlet, redirect } from '@tanstack/react-router';
import { AcceptInvitationPage } from '../features/auth/AcceptInvitationPage.tsx';
import { ForgotPasswordPage } from '../features/auth/ForgotPasswordPage.tsx';
import { SetPasswordPage } from '../features/auth/SetPasswordPage.tsx';
import { SignInPage } from '../features/auth/SignInPage.tsx';
import { CasePage } from '../features/cases/CasePage.tsx';
import { CasesPage } from '../features/cases/CasesPage.tsx';
import { ConsoleIndex } from '../features/console/ConsoleIndex.tsx';
import { ConsoleLayout } from '../features/console/ConsoleLayout.tsx';
import { OrgLayout } from '../features/console/OrgLayout.tsx';
import { DevMailboxPage } from '../features/dev-mailbox/DevMailboxPage.tsx';
import { MailboxPage } from '../features/mailbox/MailboxPage.tsx';
import { MembersPage } from '../features/members/MembersPage.tsx';
import { OverviewPage } from '../features/orgs/OverviewPage.tsx';
import { PolicyPage } from '../features/policy/PolicyPage.tsx';
import { SetupPage } from '../features/setup/SetupPage.tsx';
import { TokensPage } from '../features/tokens/TokensPage.tsx';
import { ErrorPage } from './ErrorPage.tsx';
import { InlineNotFound, NotFoundPage } from './NotFoundPage.tsx';

function RootLayout() {
  return <Outlet />;
}

const rootRoute = createRootRoute({ component: RootLayout, notFoundComponent: NotFoundPage });

const indexRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/',
  beforeLoad: () => {
    throw redirect({ to: '/console', replace: true });
  },
});

const setupRoute = createRoute({ getParentRoute: () => rootRoute, path: '/setup', component: SetupPage });

/** Where to return after signing in: only a console path, so the parameter cannot send anyone off-site. */
function safeRedirect(value: unknown): string | undefined {
  return typeof value === 'string' && /^\/console(\/|$)/.test(value) ? value : undefined;
}

const signInRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/sign-in',
  validateSearch: (search: Record<string, unknown>): { redirect?: string } => {
    const target = safeRedirect(search.redirect);
    return target ? { redirect: target } : {};
  },
  component: function SignInRoute() {
    const { redirect: target } = signInRoute.useSearch();
    return <SignInPage redirect={target} />;
  },
});

const forgotPasswordRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/forgot-password',
  component: ForgotPasswordPage,
});

const setPasswordRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/set-password',
  component: SetPasswordPage,
});

const acceptInvitationRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/accept-invitation',
  component: AcceptInvitationPage,
});

const consoleRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/console',
  component: ConsoleLayout,
});
const consoleIndexRoute = createRoute({
  getParentRoute: () => consoleRoute,
  path: '/',
  component: ConsoleIndex,
});
const orgRoute = createRoute({ getParentRoute: () => consoleRoute, path: '$org', component: OrgLayout });
const overviewRoute = createRoute({ getParentRoute: () => orgRoute, path: '/', component: OverviewPage });
const membersRoute = createRoute({ getParentRoute: () => orgRoute, path: 'members', component: MembersPage });
const tokensRoute = createRoute({ getParentRoute: () => orgRoute, path: 'tokens', component: TokensPage });
const policyRoute = createRoute({ getParentRoute: () => orgRoute, path: 'policy', component: PolicyPage });
const mailboxRoute = createRoute({ getParentRoute: () => orgRoute, path: 'mailbox', component: MailboxPage });

/** A bounded, printable search parameter, or nothing (the address bar is not to be trusted). */
function searchText(value: unknown, max: number): string | undefined {
  return typeof value === 'string' && value.trim() && value.length <= max ? value : undefined;
}

const casesRoute = createRoute({
  getParentRoute: () => orgRoute,
  path: 'cases',
  validateSearch: (search: Record<string, unknown>): { state?: string; q?: string } => {
    const state = searchText(search.state, 40);
    const q = searchText(search.q, 200);
    return {
      ...(state && /^[a-z_]+$/.test(state) ? { state } : {}),
      ...(q ? { q } : {}),
    };
  },
  component: CasesPage,
});
const caseRoute = createRoute({
  getParentRoute: () => orgRoute,
  path: 'cases/$reference',
  component: CasePage,
});
const devMailboxRoute = createRoute({
  getParentRoute: () => orgRoute,
  path: 'dev-mailbox',
  validateSearch: (search: Record<string, unknown>): { id?: string } => {
    const id = searchText(search.id, 120);
    return id ? { id } : {};
  },
  component: DevMailboxPage,
});

const routeTree = rootRoute.addChildren([
  indexRoute,
  setupRoute,
  signInRoute,
  forgotPasswordRoute,
  setPasswordRoute,
  acceptInvitationRoute,
  consoleRoute.addChildren([
    consoleIndexRoute,
    orgRoute.addChildren([
      overviewRoute,
      casesRoute,
      caseRoute,
      policyRoute,
      membersRoute,
      tokensRoute,
      mailboxRoute,
      devMailboxRoute,
    ]),
  ]),
]);

export const router = createRouter({
  routeTree,
  defaultNotFoundComponent: InlineNotFound,
  defaultErrorComponent: ErrorPage,
  defaultPreload: false,
  scrollRestoration: true,
});

declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router;
  }
}
