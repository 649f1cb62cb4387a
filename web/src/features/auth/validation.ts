export const MIN_PASSWORD_LENGTH = 12;
const MAX_PASSWORD_LENGTH = 512;

/** A light check that catches typos; the server decides what an address is. */
export function isEmail(value: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value.trim());
}

/**
 * The same rules the server applies (length over composition, NIST SP 800-63B), checked here so
 * the reason can be told in the reader's language before anything is sent.
 */
export function passwordProblem(password: string, email?: string): string | undefined {
  const length = [...password].length;
  if (length === 0) return 'fields.required';
  if (length < MIN_PASSWORD_LENGTH) return 'errors.auth.password_too_weak';
  if (length > MAX_PASSWORD_LENGTH) return 'web.auth.passwordTooLong';
  if (email && password.toLowerCase() === email.trim().toLowerCase()) return 'web.auth.passwordIsEmail';
  if (new Set(password).size < 4) return 'web.auth.passwordRepetitive';
  return undefined;
}
