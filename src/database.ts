import type { Kysely, Transaction } from 'kysely';
import type { AuthTables } from './auth/auth.table.ts';
import type { CaseTables } from './cases/case.table.ts';
import type { TeamNotificationTables } from './cases/team-notifications.table.ts';
import type { IntakeTables } from './intake/report.table.ts';
import type { ImapTables } from './mail/imap-mailbox.table.ts';
import type { MailTables } from './mail/inbound-message.table.ts';
import type { OpenPgpTables } from './openpgp/organisation-key.table.ts';
import type { OrgTables } from './orgs/organisation.table.ts';
import type { PlatformTables } from './platform/keys.table.ts';
import type { PolicyTables } from './policies/policy.table.ts';
import type { SecurityTxtTables } from './securitytxt/host-name.table.ts';

/** Every table Haven has: each domain declares its own, this joins them for Kysely. */
export type Database = PlatformTables &
  OrgTables &
  AuthTables &
  PolicyTables &
  OpenPgpTables &
  SecurityTxtTables &
  CaseTables &
  TeamNotificationTables &
  IntakeTables &
  MailTables &
  ImapTables;

export type Db = Kysely<Database>;
export type Trx = Transaction<Database>;
