import { domainToASCII } from 'node:url';
import type { Trx } from '../database.ts';
import type { Deps } from '../deps.ts';
import { type OrganisationAccess, requireScope } from '../orgs/organisation-access.ts';
import { AppError, type ErrorDetail } from '../platform/errors.ts';
import { claimDefaultIfNone, listHostNames, replaceHostNames } from './host-name.repository.ts';

export const MAX_HOST_NAMES = 10;

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/**
 * A host name as stored: lower-case ASCII (IDNs as punycode), no trailing dot; undefined when it is
 * not a DNS name of at least two labels (a bare IP address is not one).
 */
export function normaliseHostName(value: string): string | undefined {
  const trimmed = value.trim().replace(/\.$/, '');
  if (trimmed === '' || /[/:@\s]/.test(trimmed)) return undefined;
  const ascii = domainToASCII(trimmed.toLowerCase());
  if (!ascii || ascii.length > 253) return undefined;
  const labels = ascii.split('.');
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l))) return undefined;
  if (/^[0-9]+$/.test(labels.at(-1) ?? '')) return undefined;
  return ascii;
}

/** The host of a request, as the host names are stored: lower-case, without port or trailing dot. */
export function requestHost(hostname: string): string {
  return hostname.trim().toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '');
}

export async function getHostNames(deps: Pick<Deps, 'db'>, access: OrganisationAccess): Promise<string[]> {
  requireScope(access, 'org:read');
  return listHostNames(deps.db, access.organisation.id);
}

/**
 * Assigns the host names whose /.well-known/security.txt is this organisation's. The instance's
 * operator does this (`haven org host-names`), not the organisation: answering for a domain must
 * follow who controls its DNS, which Haven cannot check on its own. Haven's own host is the
 * default organisation's.
 */
export async function assignHostNames(
  deps: Pick<Deps, 'db' | 'config'>,
  organisationId: string,
  hostNames: string[],
): Promise<string[]> {
  const ownHost = new URL(deps.config.publicUrl).hostname.toLowerCase();
  const problems: ErrorDetail[] = [];
  const hosts: string[] = [];
  hostNames.forEach((value, index) => {
    const host = normaliseHostName(value);
    const field = `hostNames.${index}`;
    if (!host)
      problems.push({ field, code: 'invalid', message: 'Not a DNS host name such as security.example.org.' });
    else if (host === ownHost) {
      problems.push({
        field,
        code: 'invalid',
        message: "Haven's own host name serves the default organisation.",
      });
    } else if (!hosts.includes(host)) hosts.push(host);
  });
  if (hosts.length > MAX_HOST_NAMES) {
    problems.push({ field: 'hostNames', code: 'invalid', message: `At most ${MAX_HOST_NAMES} host names.` });
  }
  if (problems.length > 0) throw new AppError('request.invalid', 'Some host names are not valid.', problems);
  await deps.db.transaction().execute(async (trx) => {
    const taken = await replaceHostNames(trx, organisationId, hosts);
    if (taken.length > 0) {
      throw new AppError(
        'org.host_name_taken',
        `Another organisation already claims ${taken.join(', ')}.`,
        taken.map((host) => ({
          field: `hostNames.${hostNames.findIndex((v) => normaliseHostName(v) === host)}`,
          code: 'org.host_name_taken',
          message: `${host} is claimed by another organisation.`,
        })),
      );
    }
  });
  return [...hosts].sort();
}

/** The first organisation on an instance becomes its default (it answers /.well-known/security.txt). */
export async function claimDefaultOrganisation(trx: Trx, organisationId: string): Promise<boolean> {
  return claimDefaultIfNone(trx, organisationId);
}
