import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
// Types only: the server's response schemas are the source of truth (erased from the bundle).
import type { z } from 'zod';
import type { caseListView, StaffCaseView } from '../../../../src/cases/case-views.ts';
import { api, seg } from '../../api.ts';

export type CaseList = z.infer<typeof caseListView>;
export type CaseSummary = CaseList['cases'][number];
export type StaffCase = StaffCaseView;
export type CaseAttachment = StaffCase['attachments'][number];
export type CaseMessage = StaffCase['messages'][number];
export type CaseNote = StaffCase['notes'][number];
export type CaseEvent = StaffCase['timeline'][number];
export type Deviation = NonNullable<StaffCase['report']>['deviations'][number];

export type CaseFilter = { state?: string; q?: string };

const PAGE_SIZE = 50;

export const caseKeys = {
  all: (org: string) => ['org', org, 'cases'] as const,
  list: (org: string, filter: CaseFilter) => ['org', org, 'cases', 'list', filter] as const,
  one: (org: string, reference: string) => ['org', org, 'cases', 'one', reference] as const,
};

export const caseListQuery = (org: string, filter: CaseFilter) =>
  infiniteQueryOptions({
    queryKey: caseKeys.list(org, filter),
    queryFn: ({ pageParam }) => {
      const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
      if (filter.state) params.set('state', filter.state);
      if (filter.q) params.set('q', filter.q);
      if (pageParam) params.set('cursor', pageParam);
      return api.get<CaseList>(`/api/v1/orgs/${seg(org)}/cases?${params}`);
    },
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });

export const caseQuery = (org: string, reference: string) =>
  queryOptions({
    queryKey: caseKeys.one(org, reference),
    queryFn: () => api.get<StaffCase>(`/api/v1/orgs/${seg(org)}/cases/${seg(reference)}`),
  });

/** Where the browser downloads a file of the case (the session cookie authorises a plain link). */
export function attachmentUrl(org: string, reference: string, id: string, original = false): string {
  const url = `/api/v1/orgs/${seg(org)}/cases/${seg(reference)}/attachments/${seg(id)}`;
  return original ? `${url}?variant=original` : url;
}
