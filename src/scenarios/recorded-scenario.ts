import { isMap, parseDocument } from 'yaml';
import type { ScenarioTurn } from './schema/turn-schema.js';

/**
 * The text of a scenario file with its `turns` replaced by recorded ones. The rest of the
 * file (agent, messages, expectations, comments) stays as written; `turns` goes where it
 * was, or after `agent` when the file had none.
 *
 * @example
 * ```ts
 * await writeFile('seed.recorded.yaml', withRecordedTurns(source, result.recordedTurns, 'openai/gpt-4o'));
 * ```
 */
export function withRecordedTurns(source: string, turns: ScenarioTurn[], model?: string): string {
  const doc = parseDocument(source);
  const contents = doc.contents;
  const node = doc.createNode(turns);
  if (isMap(contents) && !contents.has('turns')) {
    const at = contents.items.findIndex(
      (pair) => String((pair.key as { value?: unknown })?.value) === 'agent',
    );
    contents.items.splice(at + 1, 0, doc.createPair('turns', node));
  } else {
    doc.set('turns', node);
  }
  const pair = isMap(contents)
    ? contents.items.find((item) => String((item.key as { value?: unknown })?.value) === 'turns')
    : undefined;
  if (pair && typeof pair.key === 'object' && pair.key !== null) {
    (pair.key as { commentBefore?: string }).commentBefore =
      ` Recorded${model ? ` from ${model}` : ''} on ${new Date().toISOString()}: replayed as is.`;
  }
  return doc.toString({ lineWidth: 0 });
}
