import type { TFunction } from 'i18next';

/** The top-level sections of the settings, in the order the editor and the diff show them. */
export const SECTIONS = [
  'introduction',
  'scope',
  'rules',
  'intake',
  'serviceLevels',
  'calendar',
  'firstAssessment',
  'progressUpdates',
  'rewards',
  'credit',
  'disclosure',
  'notifications',
] as const;
export type Section = (typeof SECTIONS)[number];

export const NATIVE_LANGUAGE_NAMES = { nl: 'Nederlands', en: 'English' } as const;

const F = 'web.policy.fields';

/** Label keys by normalised path (list indexes as `#`). */
const PATH_LABELS: Record<string, string> = {
  'scope.inScope': `${F}.inScope`,
  'scope.outOfScope': `${F}.outOfScope`,
  'scope.exclusions': `${F}.exclusions`,
  'scope.inScope.#.kind': `${F}.assetKind`,
  'scope.inScope.#.target': `${F}.assetTarget`,
  'scope.inScope.#.note': `${F}.assetNote`,
  'scope.outOfScope.#.kind': `${F}.assetKind`,
  'scope.outOfScope.#.target': `${F}.assetTarget`,
  'scope.outOfScope.#.note': `${F}.assetNote`,
  'rules.do': `${F}.do`,
  'rules.dont': `${F}.dont`,
  'rules.safeHarbour': `${F}.safeHarbour`,
  'rules.privacy': `${F}.privacy`,
  'rules.other': `${F}.other`,
  'intake.identities': `${F}.identities`,
  'intake.requiredContact': `${F}.requiredContact`,
  'intake.languages': `${F}.languages`,
  'intake.requestedDetails': `${F}.requestedDetails`,
  'intake.attachments': `${F}.attachments`,
  'intake.attachments.allowed': `${F}.attachmentKinds`,
  'intake.attachments.maxBytes': `${F}.maxSize`,
  'intake.attachments.maxFiles': `${F}.maxFiles`,
  'intake.attachments.passwordProtectedAccepted': `${F}.passwordProtected`,
  'intake.attachments.passwordChannel': `${F}.passwordChannel`,
  'intake.emails': `${F}.emails`,
  'serviceLevels.acknowledgement': `${F}.acknowledgement`,
  'serviceLevels.firstResponse': `${F}.firstResponse`,
  'serviceLevels.assessment': `${F}.assessment`,
  'serviceLevels.resolution': `${F}.resolution`,
  'serviceLevels.resolution.kind': `${F}.resolutionKind`,
  'serviceLevels.resolution.within': `${F}.resolutionWithin`,
  'serviceLevels.mayDependOnSuppliers': `${F}.mayDependOnSuppliers`,
  'calendar.workingDays': `${F}.workingDays`,
  'calendar.workingHours': `${F}.workingHours`,
  'calendar.workingHours.start': `${F}.hoursStart`,
  'calendar.workingHours.end': `${F}.hoursEnd`,
  'calendar.holidays': `${F}.holidays`,
  'calendar.holidays.country': `${F}.holidayCountry`,
  'calendar.holidays.region': `${F}.holidayRegion`,
  'firstAssessment.includesAssessment': `${F}.includesAssessment`,
  'firstAssessment.includesExpectedFixDate': `${F}.includesExpectedFixDate`,
  'progressUpdates.kind': `${F}.progressKind`,
  'progressUpdates.everyDays': `${F}.progressEveryDays`,
  'rewards.kind': `${F}.rewardKind`,
  'rewards.dependsOnSeverity': `${F}.dependsOnSeverity`,
  'rewards.dependsOnReportQuality': `${F}.dependsOnReportQuality`,
  'rewards.note': `${F}.rewardNote`,
  'rewards.currency': `${F}.currency`,
  'rewards.bySeverity': `${F}.rewardTable`,
  'credit.hallOfFame': `${F}.hallOfFame`,
  'credit.creditInAdvisories': `${F}.creditInAdvisories`,
  'disclosure.defaultEmbargoDays': `${F}.embargo`,
  'disclosure.publicationOnlyByAgreement': `${F}.publicationOnlyByAgreement`,
  'disclosure.requiresAllPartiesInformed': `${F}.requiresAllPartiesInformed`,
  'disclosure.requiresResolution': `${F}.requiresResolution`,
  'disclosure.mayAgreeNeverToPublish': `${F}.mayAgreeNeverToPublish`,
  'disclosure.confidential': `${F}.confidential`,
  'notifications.clearTextAllowed': `${F}.clearTextAllowed`,
};

/** Keys that mean the same wherever they appear. */
const GENERIC_LABELS: Record<string, string> = {
  amount: `${F}.amount`,
  unit: `${F}.unit`,
  min: `${F}.minimum`,
  max: `${F}.maximum`,
  critical: 'web.policy.options.severity.critical',
  high: 'web.policy.options.severity.high',
  medium: 'web.policy.options.severity.medium',
  low: 'web.policy.options.severity.low',
};

const isIndex = (key: string) => /^\d+$/.test(key);

export function sectionTitle(t: TFunction, section: string): string {
  return t(`web.policy.sections.${section}.title`, { defaultValue: section });
}

/**
 * A dotted path as readable steps: `rules.do.2.en` → Rules › What reporters should do › Item 3 › English.
 * Unknown keys show as they are, so a new field still reads as its path.
 */
export function pathCrumbs(t: TFunction, path: string): string[] {
  const keys = path.split('.');
  return keys.map((key, index) => {
    if (index === 0) return sectionTitle(t, key);
    if (isIndex(key)) return t('web.policy.diff.item', { n: Number(key) + 1 });
    if (key === 'nl' || key === 'en') return NATIVE_LANGUAGE_NAMES[key];
    const normal = keys
      .slice(0, index + 1)
      .map((k) => (isIndex(k) ? '#' : k))
      .join('.');
    const labelKey = PATH_LABELS[normal] ?? GENERIC_LABELS[key];
    return labelKey ? t(labelKey) : key;
  });
}

/** The label of a path without its section: what a row in a section's diff is called. */
export function fieldLabel(t: TFunction, path: string): string {
  const crumbs = pathCrumbs(t, path);
  return crumbs.length > 1 ? crumbs.slice(1).join(' › ') : (crumbs[0] ?? path);
}

export function pathLabel(t: TFunction, path: string): string {
  return pathCrumbs(t, path).join(' › ');
}
