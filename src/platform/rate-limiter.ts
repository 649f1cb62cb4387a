/**
 * Counts attempts per key in memory, in fixed windows. Kept per process on purpose: it holds client
 * addresses and e-mail addresses only for the length of a window and never writes them anywhere.
 */
export type RateLimiter = {
  consume(key: string, nowMs: number): { allowed: boolean; retryAfterSeconds: number };
  reset(key: string): void;
};

export function memoryRateLimiter(options: {
  limit: number;
  windowMs: number;
  maxKeys?: number;
}): RateLimiter {
  const windows = new Map<string, { count: number; resetAt: number }>();
  const maxKeys = options.maxKeys ?? 100_000;
  return {
    consume(key, nowMs) {
      let entry = windows.get(key);
      if (!entry || entry.resetAt <= nowMs) {
        if (windows.size >= maxKeys) {
          for (const [k, v] of windows) if (v.resetAt <= nowMs) windows.delete(k);
          // Still full of live windows: fail closed for new keys rather than grow without bound.
          if (windows.size >= maxKeys)
            return { allowed: false, retryAfterSeconds: Math.ceil(options.windowMs / 1000) };
        }
        entry = { count: 0, resetAt: nowMs + options.windowMs };
        windows.set(key, entry);
      }
      entry.count += 1;
      const allowed = entry.count <= options.limit;
      return {
        allowed,
        retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil((entry.resetAt - nowMs) / 1000)),
      };
    },
    reset(key) {
      windows.delete(key);
    },
  };
}

/** A limiter that never limits: for load tests and test suites that are not about limits. */
export const noRateLimit: RateLimiter = {
  consume: () => ({ allowed: true, retryAfterSeconds: 0 }),
  reset: () => {},
};
