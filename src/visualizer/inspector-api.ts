import { z } from 'zod';
import { Delivery } from '../events/schema.js';

/** `POST /api/send`: a message from the page. */
export const SendRequest = z.strictObject({
  text: z.string().trim().min(1, 'text must not be empty').max(100_000),
  delivery: Delivery.optional(),
  id: z.string().min(1).max(200).optional(),
});

/** `POST /api/retract`: withdraw a pending message. */
export const RetractRequest = z.strictObject({
  id: z.string().min(1, 'id must not be empty'),
});

/** `POST /api/run`, `/api/pause`, `/api/interrupt`: no parameters. */
export const EmptyRequest = z.strictObject({});

/** The controls the page can call, by path. */
export const CONTROL_PATHS = [
  '/api/send',
  '/api/retract',
  '/api/run',
  '/api/pause',
  '/api/interrupt',
] as const;

/** A zod error as one line naming each bad field: `text: text must not be empty; delivery: ...`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}`)
    .join('; ');
}
