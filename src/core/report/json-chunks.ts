// JSON text in pieces, for documents too large to build as one string (a plan of 50,000 creates is about 90 MB).
// The pieces joined are `JSON.stringify(value, null, 2)` byte for byte: arrays and plain objects near the top are
// written element by element, every element below `depth` by JSON.stringify itself, re-indented (JSON.stringify
// only breaks lines between tokens: a line break inside a string is escaped). One difference, irrelevant to plain
// data: a toJSON method of a value written whole is called with the key "".

const INDENT = "  ";

/** `JSON.stringify(value, null, 2)` as a sequence of pieces (one per element down to `depth` levels). */
export function* jsonChunks(value: unknown, depth = 4): Generator<string> {
  const text = leafText(value, "", depth);
  if (text === undefined) yield* containerChunks(value as unknown[] | Record<string, unknown>, depth, "");
  else if (text !== OMITTED) yield text;
}

/** Joins small pieces into pieces of at least `size` characters (the last one may be shorter). */
export function* batchChunks(chunks: Iterable<string>, size = 64 * 1024): Generator<string> {
  let pending: string[] = [];
  let length = 0;
  for (const chunk of chunks) {
    pending.push(chunk);
    length += chunk.length;
    if (length >= size) {
      yield pending.join("");
      pending = [];
      length = 0;
    }
  }
  if (length > 0) yield pending.join("");
}

/** Written in pieces: a non-empty array or plain object (without toJSON) above the depth limit. */
function isContainer(value: unknown, depth: number): value is unknown[] | Record<string, unknown> {
  if (depth <= 0 || typeof value !== "object" || value === null) return false;
  if (typeof (value as { toJSON?: unknown }).toJSON === "function") return false;
  if (Array.isArray(value)) return value.length > 0;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** The JSON text of a value written whole, re-indented; undefined for a container written in pieces. */
function leafText(value: unknown, indent: string, depth = 0): string | undefined {
  if (isContainer(value, depth)) return undefined;
  if (isContainer(value, 1)) return nestedText(value, indent.length / INDENT.length);
  return JSON.stringify(value, null, 2)?.replace(/\n/g, `\n${indent}`) ?? OMITTED;
}

/**
 * A plain array or object indented `levels` deep by JSON.stringify itself: written inside `levels` arrays, then the
 * wrapping lines cut off (a third faster than re-indenting the text of a plan's 10,000 steps with a replace).
 */
function nestedText(value: unknown, levels: number): string {
  let wrapped = value;
  for (let level = 0; level < levels; level += 1) wrapped = [wrapped];
  const text = JSON.stringify(wrapped, null, 2);
  return text.slice(wrapperLength(levels, true), text.length - wrapperLength(levels, false));
}

/**
 * The length of the text that opens `levels` arrays (each `[` on its line, indented, then the value's indent) or
 * closes them (a line break, the indent and `]` each).
 */
function wrapperLength(levels: number, opening: boolean): number {
  const lines = levels * (levels - 1) + 2 * levels;
  return opening ? lines + levels * INDENT.length : lines;
}

/** What JSON.stringify gives undefined for (undefined, a function, a symbol): left out of objects, null in arrays. */
const OMITTED = "\u0000omitted";

function* containerChunks(
  value: unknown[] | Record<string, unknown>,
  depth: number,
  indent: string,
): Generator<string> {
  const inner = indent + INDENT;
  const isArray = Array.isArray(value);
  const keys = isArray ? Array.from(value.keys()) : Object.keys(value);
  let written = 0;
  for (const key of keys) {
    const item: unknown = isArray ? value[key as number] : value[key as string];
    const text = leafText(item, inner, depth - 1);
    if (text === OMITTED && !isArray) continue;
    const name = isArray ? "" : `${JSON.stringify(key)}: `;
    yield `${written === 0 ? (isArray ? "[" : "{") : ","}\n${inner}${name}`;
    written += 1;
    if (text === undefined) yield* containerChunks(item as unknown[], depth - 1, inner);
    else yield text === OMITTED ? "null" : text;
  }
  yield written === 0 ? "{}" : `\n${indent}${isArray ? "]" : "}"}`;
}
