import type { SecurityRisk } from '../events/schema.js';

/** The risks that can be ordered, lowest first. `unknown` is not among them. */
export type KnownRisk = Exclude<SecurityRisk, 'unknown'>;

const RANK: Record<KnownRisk, number> = { low: 0, medium: 1, high: 2 };

/** Whether `risk` is a rated level (`low`, `medium` or `high`), not `unknown`. */
export function isKnownRisk(risk: SecurityRisk | undefined): risk is KnownRisk {
  return risk === 'low' || risk === 'medium' || risk === 'high';
}

/**
 * Whether `risk` is at or above `threshold`. An `unknown` risk is never "at or above"
 * anything: callers decide what unknown means for them.
 *
 * @example
 * ```ts
 * isRiskAtLeast('high', 'medium'); // true
 * isRiskAtLeast('unknown', 'low'); // false
 * ```
 */
export function isRiskAtLeast(risk: SecurityRisk, threshold: KnownRisk): boolean {
  return isKnownRisk(risk) && RANK[risk] >= RANK[threshold];
}

/**
 * The highest of some risks. `high` wins over everything; otherwise `unknown` wins over
 * `low` and `medium` (something could not be rated, so the total is not known).
 * No risks at all is `low`.
 */
export function maxRisk(risks: Iterable<SecurityRisk>): SecurityRisk {
  let best: SecurityRisk = 'low';
  for (const risk of risks) {
    if (risk === 'high') return 'high';
    if (risk === 'unknown') best = 'unknown';
    else if (best !== 'unknown' && RANK[risk] > RANK[best]) best = risk;
  }
  return best;
}
