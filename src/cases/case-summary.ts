import type { Deps } from '../deps.ts';
import { findOrganisationById } from '../orgs/organisation.repository.ts';
import { findCaseById, findReportOfCase, listAttachments } from './case.repository.ts';
import { openCaseKey, openReporter } from './case-key.ts';

/** A case as background work needs it (mail): the case, its first report, files, and who reported. */
export async function loadCaseSummary(deps: Pick<Deps, 'db' | 'keyring'>, caseId: string) {
  const caseRow = await findCaseById(deps.db, caseId);
  if (!caseRow) return undefined;
  const [organisation, report, attachments, key] = await Promise.all([
    findOrganisationById(deps.db, caseRow.organisation_id),
    findReportOfCase(deps.db, caseId),
    listAttachments(deps.db, caseId),
    openCaseKey(deps, caseRow),
  ]);
  if (!organisation) return undefined;
  return { caseRow, organisation, report, attachments, reporter: openReporter(key, caseRow) };
}
export type CaseSummary = NonNullable<Awaited<ReturnType<typeof loadCaseSummary>>>;
