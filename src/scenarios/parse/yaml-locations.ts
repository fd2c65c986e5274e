import { type Document, type LineCounter, type Node, isMap, isPair, isScalar, isSeq } from 'yaml';

/** Where a path of the parsed data is in the YAML text. */
export interface Location {
  line: number;
  column: number;
}

/**
 * Finds the line of a path (`['turns', 2, 'call', 'tool']`) in a parsed YAML document.
 * With `key: true` it points at the key of the last segment (for unknown keys); a path
 * that goes past what the file has points at the deepest part that exists.
 */
export function locate(
  doc: Document,
  lineCounter: LineCounter,
  path: readonly PropertyKey[],
  options: { key?: boolean } = {},
): Location | undefined {
  let node: unknown = doc.contents;
  let last: Node | undefined = isNode(node) ? node : undefined;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment),
      );
      if (!pair) break;
      const keyNode = isNode(pair.key) ? pair.key : undefined;
      const atEnd = i === path.length - 1;
      if (atEnd && options.key && keyNode) {
        last = keyNode;
        break;
      }
      node = pair.value;
      // `key:` with no value: point at the key.
      last = isNode(node) && node.range ? node : (keyNode ?? last);
    } else if (isSeq(node) && typeof segment === 'number') {
      node = node.items[segment];
      if (!isNode(node)) break;
      last = node;
    } else {
      break;
    }
  }
  const offset = last?.range?.[0];
  if (offset === undefined) return undefined;
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && 'range' in value;
}
