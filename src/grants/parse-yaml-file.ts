import { Buffer, isUtf8 } from "node:buffer";
import { isAlias, isCollection, isMap, isNode, isSeq, LineCounter, parseDocument, type Document } from "yaml";
import type { Locate } from "../core/validate/validate-grant.js";
import type { Problem } from "../core/model/types.js";
import { errorMessage } from "../core/model/error-message.js";
import { yamlLocator } from "./yaml-locator.js";

/** Files larger than this are rejected before parsing. */
export const MAX_FILE_BYTES = 64 * 1024;

export interface ParsedYamlFile {
  /** The top-level mapping as plain data; undefined when the file has errors that make it unusable. */
  data: Record<string, unknown> | undefined;
  locate: Locate;
  problems: Problem[];
}

/** The signature of parseYamlFile (injected where a test counts the parses of a run). */
export type YamlParser = (file: string, bytes: Uint8Array) => ParsedYamlFile;

const noLocation: Locate = () => ({ line: 1, column: 1 });

/**
 * Decodes (strict UTF-8) and parses one YAML file. Errors, each with its position: size over 64 KiB, invalid
 * UTF-8, syntax errors, duplicate keys, unknown tags, any anchor or alias, non-scalar keys, several documents,
 * a top level that is not a mapping, flow brackets nested deeper than 64.
 */
export function parseYamlFile(file: string, bytes: Uint8Array): ParsedYamlFile {
  try {
    return parseUnsafe(file, bytes);
  } catch (error) {
    // Last line of defence: the parser must never take the whole validation down.
    const message = `could not parse the file: ${errorMessage(error)}`;
    return {
      data: undefined,
      locate: noLocation,
      problems: [{ severity: "error", code: "yaml-syntax", file, line: 1, column: 1, message }],
    };
  }
}

function parseUnsafe(file: string, bytes: Uint8Array): ParsedYamlFile {
  const problem = (code: string, line: number, column: number, message: string): Problem => ({
    severity: "error",
    code,
    file,
    line,
    column,
    message,
  });
  if (bytes.byteLength > MAX_FILE_BYTES) {
    const message = `file is larger than 64 KiB (${bytes.byteLength} bytes read)`;
    return { data: undefined, locate: noLocation, problems: [problem("file-too-large", 1, 1, message)] };
  }
  const text = decodeUtf8(bytes);
  if (typeof text !== "string") {
    const message = "file is not valid UTF-8";
    return {
      data: undefined,
      locate: noLocation,
      problems: [problem("file-not-utf8", text.line, text.column, message)],
    };
  }
  const tooDeep = flowDepthExceeded(text);
  if (tooDeep !== null) {
    const lines = text.slice(0, tooDeep).split("\n");
    const message = `collections nested deeper than ${MAX_FLOW_DEPTH} levels`;
    return {
      data: undefined,
      locate: noLocation,
      problems: [problem("yaml-too-deep", lines.length, (lines.at(-1)?.length ?? 0) + 1, message)],
    };
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter,
    prettyErrors: false,
    resolveKnownTags: false,
    uniqueKeys: true,
    logLevel: "error",
  });
  const locate = yamlLocator(doc, lineCounter);
  const at = (offset: number): { line: number; column: number } => {
    const { line, col } = lineCounter.linePos(offset);
    return { line: Math.max(1, line), column: Math.max(1, col) };
  };
  const problems = [...yamlProblems(doc, text, at), ...structureProblems(doc, at)].map((p) => ({
    ...p,
    file,
  }));
  if (problems.length > 0) return { data: undefined, locate, problems };
  if (!isMap(doc.contents)) {
    const { line, column } = locate([]);
    return {
      data: undefined,
      locate,
      problems: [
        problem("yaml-not-mapping", line, column, "the top level must be a mapping of keys to values"),
      ],
    };
  }
  const data = doc.toJS({ maxAliasCount: 0 }) as Record<string, unknown>;
  return { data, locate, problems };
}

/** Deeper flow nesting is rejected before parsing (the parser would recurse until the stack overflows). */
export const MAX_FLOW_DEPTH = 64;

/** A line opening more than MAX_FLOW_DEPTH block sequences or complex keys at once ("- - - - x"). */
const COMPACT_NESTING = new RegExp(`(?:[-?][ \\t]+){${MAX_FLOW_DEPTH + 1}}`);

/** Offset of the bracket that exceeds MAX_FLOW_DEPTH, or null. Counts raw brackets: a cheap, conservative scan. */
function flowDepthExceeded(text: string): number | null {
  const compact = COMPACT_NESTING.exec(text);
  if (compact) return compact.index;
  let depth = 0;
  for (let index = 0; index < text.length; index += 1) {
    const ch = text.charCodeAt(index);
    if (ch === 0x5b || ch === 0x7b) {
      depth += 1;
      if (depth > MAX_FLOW_DEPTH) return index;
    } else if ((ch === 0x5d || ch === 0x7d) && depth > 0) {
      depth -= 1;
    }
  }
  return null;
}

type At = (offset: number) => { line: number; column: number };

function yamlProblems(doc: Document, source: string, at: At): Problem[] {
  const codes: Record<string, string> = {
    DUPLICATE_KEY: "yaml-duplicate-key",
    MULTIPLE_DOCS: "yaml-multiple-documents",
    TAG_RESOLVE_FAILED: "yaml-unknown-tag",
  };
  // The yaml library only warns about unknown tags; every warning is an error here.
  return [...doc.errors, ...doc.warnings].map((error) => ({
    severity: "error" as const,
    code: codes[error.code] ?? "yaml-syntax",
    file: "",
    ...at(error.pos[0]),
    message: yamlMessage(error.code, error.message, source.slice(error.pos[0]).split(/[:\n]/)[0] ?? ""),
  }));
}

function yamlMessage(code: string, message: string, excerpt: string): string {
  if (code === "MULTIPLE_DOCS") return "the file must hold exactly one YAML document";
  if (code === "DUPLICATE_KEY") return `duplicate key "${excerpt.trim()}"`;
  if (code === "TAG_RESOLVE_FAILED") return `unknown tag ${message.replace(/^Unresolved tag: /, "")}`;
  return message;
}

/** Anchors and aliases are rejected outright (no alias bombs, no hidden sharing); so are non-scalar keys. */
function structureProblems(doc: Document, at: At): Problem[] {
  const problems: Problem[] = [];
  const add = (code: string, offset: number | undefined, message: string): void => {
    problems.push({ severity: "error", code, file: "", ...at(offset ?? 0), message });
  };
  // A plain recursive walk: several times faster than yaml's visit() on small documents.
  const walk = (node: unknown, isKey: boolean): void => {
    if (isAlias(node)) {
      add("yaml-alias", node.range?.[0], `aliases are not allowed (*${node.source})`);
      return;
    }
    if (!isNode(node)) return;
    if (node.anchor) add("yaml-alias", node.range?.[0], `anchors are not allowed (&${node.anchor})`);
    if (isKey && isCollection(node))
      add("yaml-complex-key", node.range?.[0], "mapping keys must be plain scalars");
    if (isMap(node)) {
      for (const pair of node.items) {
        walk(pair.key, true);
        walk(pair.value, false);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) walk(item, false);
    }
  };
  walk(doc.contents, false);
  return problems;
}

/**
 * The text of strict UTF-8 bytes, a leading byte order mark dropped (as a fatal TextDecoder decodes), or where the
 * first invalid byte sits. Checked with isUtf8 and decoded by Buffer: several times faster than a fatal
 * TextDecoder, with the same answers (test/grants/decode-utf8.test.ts compares both on arbitrary bytes).
 */
export function decodeUtf8(bytes: Uint8Array): string | { line: number; column: number } {
  if (!isUtf8(bytes)) return firstInvalidPosition(bytes);
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function firstInvalidPosition(bytes: Uint8Array): { line: number; column: number } {
  // The longest prefix that streams without a definite decoding error (monotonic, so binary search works).
  let low = 0;
  let high = bytes.byteLength;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, mid), { stream: true });
      low = mid;
    } catch {
      high = mid - 1;
    }
  }
  const prefix = new TextDecoder("utf-8").decode(bytes.subarray(0, low));
  const lines = prefix.split("\n");
  const column = [...(lines.at(-1) ?? "")].length + 1;
  return { line: lines.length, column: Math.max(1, column) };
}
