import { queryOptions } from '@tanstack/react-query';
// Types only: the server's use case is the source of truth (erased from the bundle).
import type { DevMail, DevMailSummary } from '../../../../src/mail/dev-mailbox.ts';
import { api, seg } from '../../api.ts';

export type { DevMail, DevMailSummary };

export const devMailboxQuery = (org: string) =>
  queryOptions({
    queryKey: ['org', org, 'dev-mailbox'] as const,
    queryFn: () =>
      api.get<{ messages: DevMailSummary[]; truncated: boolean }>(`/api/v1/orgs/${seg(org)}/dev-mailbox`),
    // Mail is written in the background after the action that causes it: look again on every visit.
    staleTime: 0,
  });

export const devMailQuery = (org: string, id: string) =>
  queryOptions({
    queryKey: ['org', org, 'dev-mailbox', id] as const,
    queryFn: () => api.get<DevMail>(`/api/v1/orgs/${seg(org)}/dev-mailbox/${seg(id)}`),
    staleTime: Number.POSITIVE_INFINITY,
  });
