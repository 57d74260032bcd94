/** Pairs of [schema path, generated TypeScript path], relative to the repository root. */
export declare const targets: ReadonlyArray<readonly [string, string]>;
/** The TypeScript source generated from one schema (run with the repository root as the working directory). */
export declare function generate(schemaPath: string): Promise<string>;
