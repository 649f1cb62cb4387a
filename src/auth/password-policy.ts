import { AppError } from '../platform/errors.ts';

export const PASSWORD_MIN_LENGTH = 12;
const PASSWORD_MAX_LENGTH = 512;

/** Length over composition rules (NIST SP 800-63B); a long password is not hashed at all. */
export function assertAcceptablePassword(
  password: string,
  email: string | undefined,
  field = 'password',
): void {
  const length = [...password].length;
  let problem: string | undefined;
  if (length < PASSWORD_MIN_LENGTH) problem = `must be at least ${PASSWORD_MIN_LENGTH} characters`;
  else if (length > PASSWORD_MAX_LENGTH) problem = `must be at most ${PASSWORD_MAX_LENGTH} characters`;
  else if (email && password.toLowerCase() === email.toLowerCase())
    problem = 'must not be your e-mail address';
  else if (new Set(password).size < 4) problem = 'is too repetitive';
  if (problem) {
    throw new AppError('request.invalid', 'The password is too weak.', [
      { field, code: 'auth.password_too_weak', message: `The password ${problem}.` },
    ]);
  }
}
