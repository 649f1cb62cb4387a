/** Every error code Haven answers with. Codes are stable: clients and the web app translate by code. */
export const ERROR_STATUS = {
  'request.invalid': 422,
  'request.invalid_json': 400,
  'request.unsupported_media_type': 415,
  'request.too_large': 413,
  'request.not_found': 404,
  'request.method_not_allowed': 405,
  'request.rate_limited': 429,
  'request.csrf_failed': 403,
  'request.conflict': 409,
  'auth.required': 401,
  'auth.invalid_credentials': 401,
  'auth.token_invalid': 401,
  'auth.forbidden': 403,
  'auth.link_invalid': 410,
  'auth.password_too_weak': 422,
  'org.not_found': 404,
  'org.slug_taken': 409,
  'org.host_name_taken': 409,
  'user.not_found': 404,
  'user.email_taken': 409,
  'member.not_found': 404,
  'member.exists': 409,
  'member.last_owner': 409,
  'token.not_found': 404,
  'policy.not_published': 404,
  'policy.version_not_found': 404,
  'policy.unchanged': 409,
  'report.not_found': 404,
  'report.language_not_accepted': 422,
  'report.proof_of_work_required': 422,
  'report.proof_of_work_invalid': 422,
  'report.idempotency_conflict': 409,
  'report.withdrawn': 409,
  'policy.contact_required': 422,
  'policy.identity_not_allowed': 422,
  'attachment.type_not_allowed': 422,
  'attachment.too_large': 413,
  'attachment.too_many': 422,
  'attachment.unreadable': 422,
  'attachment.not_found': 404,
  'attachment.locked_not_accepted': 422,
  'attachment.not_locked': 409,
  'attachment.already_unlocked': 409,
  'attachment.cannot_unlock': 422,
  'attachment.wrong_password': 422,
  'attachment.unsafe_archive': 422,
  'reporter.no_phone': 409,
  'mail.imap_not_configured': 404,
  'mail.imap_failed': 502,
  'openpgp.invalid_message': 422,
  'openpgp.decryption_failed': 422,
  'setup.already_done': 409,
  'setup.link_invalid': 410,
  'internal.error': 500,
  'service.unavailable': 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export type ErrorDetail = { field?: string; code: string; message: string };

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetail[] | undefined;
  constructor(code: ErrorCode, message: string, details?: ErrorDetail[]) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
