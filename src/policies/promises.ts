import type { PolicyDuration, PolicySettings } from './policy-settings.ts';

/** One promise of a policy, as a `public.promise.*` catalogue key and the values it needs. */
export type PolicyPromise = { key: string; duration?: PolicyDuration; count?: number };

export function sameDuration(a: PolicyDuration, b: PolicyDuration): boolean {
  return a.amount === b.amount && a.unit === b.unit;
}

/**
 * What an organisation promises about its answers and the solution, in the order the policy page,
 * the acknowledgement and the reporter's case page state them. A policy that promises nothing gives [].
 */
export function promiseItems(s: PolicySettings): PolicyPromise[] {
  const sl = s.serviceLevels;
  const fa = s.firstAssessment;
  const items: PolicyPromise[] = [];
  if (sl.acknowledgement) items.push({ key: 'promise.acknowledgement', duration: sl.acknowledgement });
  if (sl.firstResponse && sl.assessment && sameDuration(sl.firstResponse, sl.assessment)) {
    // One answer that is both the first response and the assessment: say it once.
    items.push({ key: 'promise.responseWithAssessment', duration: sl.assessment });
    if (fa.includesExpectedFixDate) items.push({ key: 'promise.includesFixDate' });
  } else {
    if (sl.firstResponse) items.push({ key: 'promise.firstResponse', duration: sl.firstResponse });
    if (fa.includesAssessment && fa.includesExpectedFixDate) items.push({ key: 'promise.firstIncludesBoth' });
    else if (fa.includesAssessment) items.push({ key: 'promise.firstIncludesAssessment' });
    else if (fa.includesExpectedFixDate) items.push({ key: 'promise.firstIncludesFixDate' });
    if (sl.assessment) items.push({ key: 'promise.assessment', duration: sl.assessment });
  }
  // Resolution `none` promises nothing about a solution, so nothing is said about one.
  if (sl.resolution.kind === 'fixed')
    items.push({ key: 'promise.resolutionFixed', duration: sl.resolution.within });
  else if (sl.resolution.kind === 'by_severity') items.push({ key: 'promise.resolutionBySeverity' });
  if (sl.mayDependOnSuppliers) items.push({ key: 'promise.suppliers' });
  const progress = s.progressUpdates;
  if (progress.kind === 'milestones') items.push({ key: 'promise.progressMilestones' });
  if (progress.kind === 'interval') items.push({ key: 'promise.progressEvery', count: progress.everyDays });
  return items;
}

/** The promises as plain sentences (mail, text receipts); `t` looks up `public.*` keys. */
export function promiseSentences(
  s: PolicySettings,
  t: (key: string, values?: Record<string, unknown>) => string,
): string[] {
  return promiseItems(s).map((item) =>
    t(item.key, {
      ...(item.duration
        ? { duration: t(`duration.${item.duration.unit}`, { count: item.duration.amount }) }
        : {}),
      ...(item.count !== undefined ? { count: item.count } : {}),
    }),
  );
}
