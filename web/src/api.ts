// Types only: the server's policy schema is the source of truth (erased from the bundle).
import type { PolicySettings } from '../../src/policies/policy-settings.ts';
/** The one way the web app talks to Haven's API: JSON, same-origin cookies, CSRF header, typed errors. */

export type ApiErrorDetail = { field?: string; code: string; message: string };

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: ApiErrorDetail[];
  readonly requestId: string | undefined;
  constructor(
    status: number,
    code: string,
    message: string,
    details: ApiErrorDetail[] = [],
    requestId?: string,
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
    this.requestId = requestId;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

let csrfToken: string | null = null;
let onAuthRequired: (() => void) | null = null;

/** Remember the CSRF token handed out by the session, sign-in and setup endpoints. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when the API answers 401 `auth.required` while the user is on a console page. */
export function setAuthRequiredHandler(handler: () => void): void {
  onAuthRequired = handler;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

async function parseError(response: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON (a proxy error page, say): fall through to a generic error.
  }
  const envelope = body as {
    error?: { code?: unknown; message?: unknown; details?: unknown };
    requestId?: unknown;
  } | null;
  const error = envelope?.error;
  const code =
    typeof error?.code === 'string'
      ? error.code
      : response.status >= 500
        ? 'internal.error'
        : 'request.invalid';
  const message = typeof error?.message === 'string' ? error.message : response.statusText;
  const details = Array.isArray(error?.details)
    ? (error.details as unknown[]).flatMap((d): ApiErrorDetail[] => {
        if (!d || typeof d !== 'object') return [];
        const detail = d as Record<string, unknown>;
        return [
          {
            ...(typeof detail.field === 'string' ? { field: detail.field } : {}),
            code: typeof detail.code === 'string' ? detail.code : 'invalid',
            message: typeof detail.message === 'string' ? detail.message : '',
          },
        ];
      })
    : [];
  const requestId = typeof envelope?.requestId === 'string' ? envelope.requestId : undefined;
  return new ApiError(response.status, code, message, details, requestId);
}

async function refreshCsrfToken(): Promise<void> {
  const response = await fetch('/api/v1/auth/session', {
    credentials: 'same-origin',
    headers: { Accept: 'application/json' },
  });
  if (response.ok) {
    const session = (await response.json()) as { csrfToken?: unknown };
    if (typeof session.csrfToken === 'string') csrfToken = session.csrfToken;
  }
}

async function request<T>(method: Method, path: string, body?: unknown, retried = false): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;

  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  } catch {
    throw new ApiError(0, 'network.unreachable', 'The server could not be reached.');
  }

  if (response.ok) {
    if (response.status === 204 || response.status === 202) return undefined as T;
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  const error = await parseError(response);
  // A rotated session means a stale CSRF token: fetch the current one and try once more.
  if (error.code === 'request.csrf_failed' && method !== 'GET' && !retried) {
    await refreshCsrfToken();
    return request<T>(method, path, body, true);
  }
  if (
    error.status === 401 &&
    error.code === 'auth.required' &&
    window.location.pathname.startsWith('/console')
  ) {
    onAuthRequired?.();
  }
  throw error;
}

export const api = {
  get: <T>(path: string) => request<T>('GET', path),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, body),
  patch: <T>(path: string, body?: unknown) => request<T>('PATCH', path, body),
  delete: <T = void>(path: string) => request<T>('DELETE', path),
};

/** Encode one path segment (an organisation slug, a user id). */
export function seg(value: string): string {
  return encodeURIComponent(value);
}

// ---- Shapes the API answers with -------------------------------------------------------------

export type Language = 'nl' | 'en';
export type Role = 'owner' | 'coordinator' | 'viewer';
export const ROLES: readonly Role[] = ['owner', 'coordinator', 'viewer'];

export type User = { id: string; email: string; name: string; language: Language | null };
export type Membership = { organisation: { slug: string; name: string }; role: Role };
export type Session = { user: User; memberships: Membership[]; csrfToken: string };

export type Organisation = {
  slug: string;
  name: string;
  defaultLanguage: Language;
  timezone: string;
  role: Role;
  /** What the signed-in user may do in this organisation (from their role). */
  scopes: string[];
};

export type Member = {
  userId: string;
  email: string;
  name: string;
  role: Role;
  joinedAt: string;
  pending: boolean;
  /** Whether the team's e-mail notices about cases reach them. */
  notifyByEmail: boolean;
};

export type ApiToken = {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  createdBy: string;
};

/** What an API token may carry (managing members needs a signed-in person). */
export const TOKEN_SCOPES = [
  'org:read',
  'members:read',
  'cases:read',
  'cases:write',
  'reports:write',
] as const;

// ---- Disclosure policy (src/policies/policy-settings.ts is the source of truth) ----------------

export {
  ASSET_KINDS,
  ATTACHMENT_KINDS,
  CONTACT_FIELDS,
  DURATION_UNITS,
  IDENTITY_MODES,
  MIN_ATTACHMENT_BYTES,
  PASSWORD_CHANNELS,
  PROGRESS_KINDS,
  REPORT_DETAILS,
  SEVERITIES,
} from '../../src/policies/policy-vocabulary.ts';
export type { PolicySettings };

/** The same text in Dutch and English; may contain {{organisation}}. */
export type BilingualText = PolicySettings['introduction'];
export type PolicyAsset = PolicySettings['scope']['inScope'][number];
export type AssetKind = PolicyAsset['kind'];
export type IdentityMode = PolicySettings['intake']['identities'][number];
export type ContactField = PolicySettings['intake']['requiredContact'][number];
export type ReportDetail = PolicySettings['intake']['requestedDetails'][number];
export type AttachmentKind = PolicySettings['intake']['attachments']['allowed'][number];
export type PasswordChannel = PolicySettings['intake']['attachments']['passwordChannel'];
export type PolicyDuration = NonNullable<PolicySettings['serviceLevels']['acknowledgement']>;
export type DurationUnit = PolicyDuration['unit'];
export type PolicyResolution = PolicySettings['serviceLevels']['resolution'];
export type Severity = Exclude<keyof Extract<PolicyResolution, { kind: 'by_severity' }>, 'kind'>;
export type PolicyRewards = PolicySettings['rewards'];
/** Money in minor units (cents). */
export type RewardRange = Extract<PolicyRewards, { kind: 'table' }>['bySeverity']['critical'];
/**
 * How the reporter hears how things stand while the case is open: not promised (`none`), at each
 * milestone, or at least every `everyDays` days (a whole number, 1…365).
 */
export type PolicyProgressUpdates = PolicySettings['progressUpdates'];

/** One difference at a dotted path such as `intake.languages` (lists compare whole). */
export type PolicyChange = { path: string; before?: unknown; after?: unknown };

export type PolicyDraft = {
  settings: PolicySettings;
  basedOnVersion: number | null;
  changes: PolicyChange[];
  updatedAt: string | null;
};

export type PolicyVersion = { version: number; publishedAt: string; publishedBy: string | null };

export const PRESET_NAMES = ['econnect', 'reconi', '9292', 'ncsc-nl', 'disclose-io'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];
export type PolicyPreset = { name: PresetName; settings: PolicySettings };
