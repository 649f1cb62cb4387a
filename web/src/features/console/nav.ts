/** The console's left navigation. Adding a section is one line here plus its route in routes/tree.tsx. */
export const CONSOLE_NAV = [
  { to: '/console/$org', label: 'web.nav.overview', exact: true },
  { to: '/console/$org/policy', label: 'web.nav.policy', exact: false },
  { to: '/console/$org/members', label: 'web.nav.members', exact: false },
  { to: '/console/$org/tokens', label: 'web.nav.tokens', exact: false },
] as const;
