import { z } from 'zod';

/**
 * A `z.strictObject` whose unknown-key error lists the keys that are allowed, so a typo
 * in a scenario file reads `unknown key "sya" (allowed: say, call, …)`.
 */
export function strict<T extends z.core.$ZodLooseShape>(shape: T) {
  const allowed = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? `allowed: ${allowed}` : undefined),
  });
}

/** A string, or a list of strings, read as a list. */
export const OneOrMany = z.preprocess(
  (value) => (typeof value === 'string' ? [value] : value),
  z.array(z.string(), { error: 'expected a string or a list of strings' }),
);
