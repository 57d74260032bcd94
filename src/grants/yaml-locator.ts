import { isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from "yaml";
import type { Locate } from "../core/validate/validate-grant.js";
import type { SourcePosition } from "../core/model/types.js";

/** A Locate over a parsed YAML document: positions of values (or keys) by path, nearest ancestor as fallback. */
export function yamlLocator(doc: Document, lineCounter: LineCounter): Locate {
  const at = (offset: number | undefined): SourcePosition => {
    if (offset === undefined) return { line: 1, column: 1 };
    const { line, col } = lineCounter.linePos(offset);
    return { line: Math.max(1, line), column: Math.max(1, col) };
  };
  // A grant's positions are asked for item by item ("users", 0), ("users", 1)...: its top-level keys are found once.
  const topLevel = new Map<string | number, { key: unknown; value: unknown } | null>();
  const topChild = (segment: string | number): { key: unknown; value: unknown } | null => {
    let step = topLevel.get(segment);
    if (step === undefined) {
      step = child(doc.contents, segment);
      topLevel.set(segment, step);
    }
    return step;
  };
  return (path, part = "value") => {
    let node: unknown = doc.contents;
    let position = at(rangeStart(node));
    for (const [index, segment] of path.entries()) {
      const last = index === path.length - 1;
      const step = index === 0 ? topChild(segment) : child(node, segment);
      if (!step) break;
      if (last && part === "key" && step.key) return at(rangeStart(step.key) ?? rangeStart(step.value));
      node = step.value;
      position = at(rangeStart(step.value) ?? rangeStart(step.key)) ?? position;
    }
    return position;
  };
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range ? range[0] : undefined;
}

function child(node: unknown, segment: string | number): { key: unknown; value: unknown } | null {
  if (isMap(node)) {
    const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
    return pair ? { key: pair.key, value: pair.value } : null;
  }
  if (isSeq(node) && typeof segment === "number") {
    const item: unknown = node.items[segment];
    return item === undefined ? null : { key: null, value: item };
  }
  return null;
}
