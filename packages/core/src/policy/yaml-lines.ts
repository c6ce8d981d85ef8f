/**
 * YAML with line numbers: js-yaml reports every node it opens and closes to a listener; keeping their spans lets
 * a problem found after parsing ("rules[2].match.rsik: unknown key") point at its line in the file.
 */
import yaml from 'js-yaml';

interface Span {
  start: number;
  end: number;
  depth: number;
  value: unknown;
}

/** The parts of js-yaml's parser state its (untyped) listener option receives. */
interface ParserState {
  position: number;
  depth: number;
  result: unknown;
}

export type PathSegment = string | number;

export interface LocatedYaml {
  doc: unknown;
  /** 1-based line of the node at `path` (for a key: the key's line), or undefined when it cannot be found. */
  lineOf(path: PathSegment[]): number | undefined;
}

export function loadWithLines(text: string): LocatedYaml {
  const spans: Span[] = [];
  const open: number[] = [];
  const options: yaml.LoadOptions & { listener: (event: 'open' | 'close', state: ParserState) => void } = {
    // JSON schema: no implicit dates or other surprises, only strings, numbers, booleans and null.
    schema: yaml.JSON_SCHEMA,
    listener(event, state) {
      if (event === 'open') open.push(state.position);
      else spans.push({ start: open.pop() ?? 0, end: state.position, depth: state.depth, value: state.result });
    },
  };
  const doc = yaml.load(text, options);
  const lineStarts: number[] = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);

  function lineAt(position: number): number {
    // Skip blank space and comments the parser had not consumed yet when it opened the node.
    let p = position;
    while (p < text.length) {
      const c = text[p];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') p++;
      else if (c === '#') while (p < text.length && text[p] !== '\n') p++;
      else break;
    }
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= p) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  function children(parent: Span): Span[] {
    return spans
      .filter((s) => s.depth === parent.depth + 1 && s.start >= parent.start && s.end <= parent.end)
      .sort((a, b) => a.start - b.start);
  }

  function lineOf(path: PathSegment[]): number | undefined {
    let node = spans.find((s) => s.depth === 1 && s.value === doc);
    if (!node) return undefined;
    let keyLine: number | undefined;
    for (const segment of path) {
      const kids = children(node);
      const value = node.value as Record<string, unknown> | unknown[] | null;
      if (typeof segment === 'number') {
        const kid = kids[segment];
        if (!kid) return lineAt(node.start);
        node = kid;
        keyLine = undefined;
        continue;
      }
      // A mapping's children alternate key, value: only even places hold keys.
      const keyIndex = kids.findIndex((k, i) => i % 2 === 0 && k.value === segment);
      if (keyIndex < 0 || value === null || typeof value !== 'object') return lineAt(node.start);
      keyLine = lineAt(kids[keyIndex]!.start);
      const next = kids[keyIndex + 1];
      if (!next) return keyLine;
      node = next;
    }
    return keyLine ?? lineAt(node.start);
  }

  return { doc, lineOf };
}
