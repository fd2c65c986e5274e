import { CorruptLogError } from '../persistence/jsonl.js';
import type { ConversationEvent } from '../events/schema.js';

/** The key of an event stored as base64 JSON because `jsonb` cannot hold a NUL character. */
const ENCODED = '$steerable_json_base64';

/**
 * An event as the `payload` of its row. `jsonb` rejects the NUL character (`\u0000`,
 * which tool output may contain), so such an event is stored as its JSON text in base64
 * next to `kind`, `seq` and `id`; every other event is stored as is.
 */
export function encodeEvent(event: ConversationEvent): unknown {
  const json = JSON.stringify(event);
  if (!json.includes('\\u0000')) return event;
  return {
    kind: event.kind,
    seq: event.seq,
    id: event.id,
    [ENCODED]: Buffer.from(json, 'utf8').toString('base64'),
  };
}

/** The event a `payload` holds (see `encodeEvent`). */
export function decodeEvent(payload: unknown): ConversationEvent {
  const encoded = (payload as Record<string, unknown>)[ENCODED];
  if (typeof encoded === 'string') {
    return JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')) as ConversationEvent;
  }
  return payload as ConversationEvent;
}

/**
 * Checks that rows read from `steerable_events` run from `fromSeq` without a gap.
 *
 * @throws CorruptLogError naming the conversation and the seq.
 */
export function checkContiguous(
  conversationId: string,
  events: readonly ConversationEvent[],
  fromSeq: number,
): void {
  for (let i = 0; i < events.length; i++) {
    if (events[i]!.seq !== fromSeq + i) {
      throw new CorruptLogError(
        `steerable_events[${conversationId}]`,
        fromSeq + i,
        `expected seq ${fromSeq + i}, found ${events[i]!.seq}`,
      );
    }
  }
}
