import { randomUUID } from 'node:crypto';

/**
 * A new random id (a UUID v4) as a flat string. Node builds `randomUUID()` by
 * concatenation, and V8 keeps such a string as a tree of about fifteen pieces (some
 * 480 bytes) until something flattens it; a log keeps one id per event, so ids are
 * flattened once, here (56 bytes each).
 *
 * @example
 * ```ts
 * const id = newId(); // '3b241101-e2bb-4255-8caf-4136c566a962'
 * ```
 */
export function newId(): string {
  return randomUUID().normalize();
}
