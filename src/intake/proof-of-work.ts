import { createHash } from 'node:crypto';
import { type Challenge, createChallenge, type Payload, randomInt, verifySolution } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/sha';
import { AppError } from '../platform/errors.ts';

/**
 * ALTCHA proof-of-work: a browser (or a script with altcha-lib) spends a moment of computation per
 * submission instead of a CAPTCHA that tracks people. A solution is single use: the caller records
 * `id` until `expiresAt` in the same transaction as the report.
 */
export type ProofOfWork = {
  challenge(): Promise<Challenge>;
  verify(payload: string): Promise<{ id: Buffer; expiresAt: Date }>;
};

export type ProofOfWorkOptions = {
  secret: Buffer;
  /** The counter the solver has to find lies in this range: the work is about `max` hashes. */
  counter: { min: number; max: number };
  ttlMs: number;
};

/** About half a second of hashing in a current browser. */
export const DEFAULT_PROOF_OF_WORK = { counter: { min: 50_000, max: 100_000 }, ttlMs: 20 * 60_000 };

const invalid = (message: string) =>
  new AppError('report.proof_of_work_invalid', message, [{ field: 'altcha', code: 'invalid', message }]);

export function altchaProofOfWork(options: ProofOfWorkOptions): ProofOfWork {
  const signing = createHash('sha256').update(options.secret).update('challenge').digest('hex');
  const keySigning = createHash('sha256').update(options.secret).update('key').digest('hex');
  return {
    async challenge() {
      return createChallenge({
        algorithm: 'SHA-256',
        cost: 1,
        counter: randomInt(options.counter.min, options.counter.max),
        deriveKey,
        // The library checks expiry against the wall clock, so the wall clock sets it too.
        expiresAt: new Date(Date.now() + options.ttlMs),
        hmacSignatureSecret: signing,
        hmacKeySignatureSecret: keySigning,
      });
    },
    async verify(encoded) {
      let payload: Payload;
      try {
        payload = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')) as Payload;
      } catch {
        throw invalid('The proof-of-work field is not an ALTCHA payload.');
      }
      if (
        typeof payload !== 'object' ||
        payload === null ||
        typeof payload.challenge?.signature !== 'string' ||
        typeof payload.challenge.parameters !== 'object' ||
        typeof payload.solution !== 'object' ||
        payload.solution === null
      ) {
        throw invalid('The proof-of-work field is not an ALTCHA payload.');
      }
      let result: Awaited<ReturnType<typeof verifySolution>>;
      try {
        result = await verifySolution({
          challenge: payload.challenge,
          solution: payload.solution,
          deriveKey,
          hmacSignatureSecret: signing,
          hmacKeySignatureSecret: keySigning,
        });
      } catch {
        throw invalid('The proof-of-work solution could not be checked.');
      }
      if (!result.verified) {
        throw invalid(
          result.expired ? 'The proof-of-work challenge expired.' : 'The proof-of-work solution is wrong.',
        );
      }
      const expires = payload.challenge.parameters.expiresAt;
      return {
        id: createHash('sha256').update(payload.challenge.signature).digest(),
        expiresAt: new Date((typeof expires === 'number' ? expires : Date.now() / 1000 + 3600) * 1000),
      };
    },
  };
}
