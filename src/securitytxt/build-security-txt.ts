/** What an organisation's security.txt says; everything else in the file follows from it. */
export type SecurityTxtContent = {
  /** Haven's public URL (https in production: RFC 9116 requires https web URIs). */
  publicUrl: string;
  slug: string;
  organisationName: string;
  defaultLanguage: 'nl' | 'en';
  /** From the published policy; null when the organisation has not published one. */
  policy: { emails: readonly string[]; languages: readonly string[]; hallOfFame: boolean } | null;
  /** Every URL the file is served at (RFC 9116 §2.5.2). */
  canonical: readonly string[];
  fingerprint: string;
  now: Date;
};

export const EXPIRES_AFTER_DAYS = 180;

/**
 * Expires: 180 days after the start of today (UTC). Computed for each day, never stored, so the
 * file renews itself and stays well under RFC 9116's recommended year.
 */
export function expiresFor(now: Date): Date {
  const day = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return new Date(day + EXPIRES_AFTER_DAYS * 86_400_000);
}

/** RFC 3339 without fractional seconds: `2027-05-22T00:00:00Z`. */
export function rfc3339(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

/** A mailto: URI (RFC 6068) for an address: the local part percent-encoded where it must be. */
export function mailtoUri(email: string): string {
  const at = email.lastIndexOf('@');
  return `mailto:${encodeURIComponent(email.slice(0, at))}@${email.slice(at + 1).toLowerCase()}`;
}

/**
 * A comment holds no control or line-separator characters (they would end it, or hide text) and no
 * format characters (U+202E and other bidi controls reorder what a reader sees; zero-width ones
 * hide text), as in the key's user ID.
 */
const commentText = (text: string) =>
  text
    .replace(/\p{Cf}/gu, '')
    .replace(/[\p{Cc}\p{Zl}\p{Zp}]/gu, ' ')
    .trim();

/**
 * The unsigned security.txt (RFC 9116), LF line endings. Contacts in order of preference: the
 * report form (structured, encrypted at rest, a case link for the reporter), then the intake
 * mailboxes. Policy and Acknowledgments only point at what exists.
 */
export function buildSecurityTxt(c: SecurityTxtContent): string {
  const base = `${c.publicUrl}/o/${c.slug}`;
  const languages =
    c.policy && c.policy.languages.length > 0
      ? c.policy.languages
      : [c.defaultLanguage, c.defaultLanguage === 'nl' ? 'en' : 'nl'];
  const fingerprint = c.fingerprint.toUpperCase();
  const lines = [
    `# Security contact of ${commentText(c.organisationName)}; please report vulnerabilities to us here.`,
    `# Signed with OpenPGP key ${fingerprint}, which is at the Encryption URL below.`,
    `Contact: ${base}/report`,
    ...(c.policy?.emails ?? []).map((email) => `Contact: ${mailtoUri(email)}`),
    `Expires: ${rfc3339(expiresFor(c.now))}`,
    `Encryption: ${base}/pgp-key.asc`,
    ...(c.policy ? [`Policy: ${base}`] : []),
    ...(c.policy?.hallOfFame ? [`Acknowledgments: ${base}/hall-of-fame`] : []),
    `Preferred-Languages: ${languages.join(', ')}`,
    ...c.canonical.map((url) => `Canonical: ${url}`),
  ];
  return `${lines.join('\n')}\n`;
}
