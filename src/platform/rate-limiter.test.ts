import assert from 'node:assert/strict';
import { test } from 'node:test';
import { memoryRateLimiter } from './rate-limiter.ts';

test('allows up to the limit per window and key, then tells how long to wait', () => {
  const limiter = memoryRateLimiter({ limit: 2, windowMs: 60_000 });
  assert.equal(limiter.consume('a', 0).allowed, true);
  assert.equal(limiter.consume('a', 1000).allowed, true);
  const third = limiter.consume('a', 2000);
  assert.equal(third.allowed, false);
  assert.equal(third.retryAfterSeconds, 58);
  assert.equal(limiter.consume('b', 2000).allowed, true, 'keys are counted apart');
  assert.equal(limiter.consume('a', 60_000).allowed, true, 'a new window');
  limiter.reset('a');
  assert.equal(limiter.consume('a', 60_001).allowed, true);
});

test('does not grow without bound', () => {
  const limiter = memoryRateLimiter({ limit: 1, windowMs: 1000, maxKeys: 3 });
  for (const k of ['a', 'b', 'c']) assert.equal(limiter.consume(k, 0).allowed, true);
  assert.equal(limiter.consume('d', 10).allowed, false, 'full of live windows: new keys wait');
  assert.equal(limiter.consume('d', 2000).allowed, true, 'expired windows are dropped');
});
