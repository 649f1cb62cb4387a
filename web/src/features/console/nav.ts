/**
 * The console's left navigation. Adding a section is one line here plus its route in routes/tree.tsx.
 * `only` names a condition OrgLayout checks before showing the item.
 */
export const CONSOLE_NAV = [
  { to: '/console/$org', label: 'web.nav.overview', exact: true },
  { to: '/console/$org/cases', label: 'web.cases.nav', exact: false },
  { to: '/console/$org/policy', label: 'web.nav.policy', exact: false },
  { to: '/console/$org/members', label: 'web.nav.members', exact: false },
  { to: '/console/$org/tokens', label: 'web.nav.tokens', exact: false },
  { to: '/console/$org/mailbox', label: 'web.mailbox.nav', exact: false, only: 'owner' },
  // Owners only, and only while Haven writes mail to its outbox (no SMTP relay).
  { to: '/console/$org/dev-mailbox', label: 'web.devMailbox.nav', exact: false, only: 'devMailbox' },
] as const;

export type NavCondition = 'devMailbox' | 'owner';
