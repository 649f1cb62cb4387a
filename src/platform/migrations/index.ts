import type { Migration } from 'kysely/migration';
import * as foundation from './2026_11_23_0001_foundation.ts';
import * as policies from './2026_11_23_0003_policies.ts';
import * as organisationKeys from './2026_11_23_0004_organisation_keys.ts';
import * as intakeAndCases from './2026_11_23_0005_intake_and_cases.ts';
import * as mailIntake from './2026_11_23_0006_mail_intake.ts';
import * as lockedAttachments from './2026_11_23_0007_locked_attachments.ts';
import * as imapMailboxes from './2026_11_23_0008_imap_mailboxes.ts';
import * as memberNotifications from './2026_12_06_0002_member_notifications.ts';
import * as imapOauth from './2026_12_06_0003_imap_oauth.ts';

/** Every migration, in order. Names are timestamped; a landed migration is never edited. */
export const migrations: Record<string, Migration> = {
  '2026_11_23_0001_foundation': foundation,
  '2026_11_23_0003_policies': policies,
  '2026_11_23_0004_organisation_keys': organisationKeys,
  '2026_11_23_0005_intake_and_cases': intakeAndCases,
  '2026_11_23_0006_mail_intake': mailIntake,
  '2026_11_23_0007_locked_attachments': lockedAttachments,
  '2026_11_23_0008_imap_mailboxes': imapMailboxes,
  '2026_12_06_0002_member_notifications': memberNotifications,
  '2026_12_06_0003_imap_oauth': imapOauth,
};
