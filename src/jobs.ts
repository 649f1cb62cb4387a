import { sendLinkHandler } from './auth/auth.jobs.ts';
import { notifyReporterHandler, sendRecoveryLinkHandler } from './cases/cases.jobs.ts';
import { notifyTeamHandler } from './cases/team-notifications.ts';
import type { Deps } from './deps.ts';
import { acknowledgeHandler } from './intake/intake.jobs.ts';
import type { JobHandler } from './platform/jobs.ts';

/** Every job handler Haven runs; each domain contributes its own. */
export function allJobHandlers(deps: () => Deps): JobHandler[] {
  return [
    sendLinkHandler(deps),
    acknowledgeHandler(deps),
    notifyReporterHandler(deps),
    sendRecoveryLinkHandler(deps),
    notifyTeamHandler(deps),
  ] as unknown as JobHandler[];
}
