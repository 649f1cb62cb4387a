/**
 * The fixed vocabulary of a disclosure policy: the values its settings choose from. Plain data with
 * no dependencies, so the web console uses the very same lists as the schema (policy-settings.ts).
 */

export const ASSET_KINDS = [
  'domain',
  'url',
  'ip_range',
  'application',
  'source_code',
  'hardware',
  'other',
] as const;
export const IDENTITY_MODES = ['named', 'alias', 'anonymous'] as const;
export const CONTACT_FIELDS = ['email', 'phone'] as const;
/** What the report form asks for, beyond a title and a description. */
export const REPORT_DETAILS = [
  'steps',
  'urls',
  'ip_addresses',
  'objects',
  'impact',
  'proof_of_concept',
  'screenshots',
  'cwe',
] as const;
/** Attachment types by family; the intake pipeline maps sniffed MIME types onto these. */
export const ATTACHMENT_KINDS = [
  'text',
  'image',
  'pdf',
  'video',
  'audio',
  'archive',
  'office',
  'other',
] as const;
/** How the password of a password-protected document reaches the team. */
export const PASSWORD_CHANNELS = ['none', 'sms', 'phone', 'email', 'any'] as const;
export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export const DURATION_UNITS = ['hours', 'business_days', 'calendar_days'] as const;
export const PROGRESS_KINDS = ['none', 'milestones', 'interval'] as const;

/** A file smaller than this is no use as an attachment: a limit below it is a typo for "no files". */
export const MIN_ATTACHMENT_BYTES = 1024;
