import { sendLinkHandler } from './auth/auth.jobs.ts';
import type { Deps } from './deps.ts';
import type { JobHandler } from './platform/jobs.ts';

/** Every job handler Haven runs; each domain contributes its own. */
export function allJobHandlers(deps: () => Deps): JobHandler[] {
  return [sendLinkHandler(deps) as unknown as JobHandler];
}
