import { queryOptions } from '@tanstack/react-query';
import { api, type PolicyDraft, type PolicyVersion, seg } from '../../api.ts';

export const policyKeys = {
  all: (org: string) => ['org', org, 'policy'] as const,
  draft: (org: string) => ['org', org, 'policy', 'draft'] as const,
  versions: (org: string) => ['org', org, 'policy', 'versions'] as const,
  compare: (org: string, from: number, to: number | 'draft') =>
    ['org', org, 'policy', 'compare', from, to] as const,
};

export const draftQuery = (org: string) =>
  queryOptions({
    queryKey: policyKeys.draft(org),
    queryFn: () => api.get<PolicyDraft>(`/api/v1/orgs/${seg(org)}/policy/draft`),
    // The editor keeps its own copy; a refetch behind its back would only confuse the status line.
    refetchOnWindowFocus: false,
    staleTime: Number.POSITIVE_INFINITY,
  });

export const versionsQuery = (org: string) =>
  queryOptions({
    queryKey: policyKeys.versions(org),
    queryFn: () => api.get<{ versions: PolicyVersion[] }>(`/api/v1/orgs/${seg(org)}/policy/versions`),
  });
