import { access, rename, writeFile } from "node:fs/promises";
import type { EmulatorSeed } from "./emulator-seed.js";
import { stateToSeed, type EmulatorState } from "./emulator-state.js";
import { loadSeedFile } from "./load-seed-file.js";

/** Loads a persisted state file (a seed document) when it exists; undefined when it does not. */
export async function loadPersistedState(path: string): Promise<EmulatorSeed | undefined> {
  try {
    await access(path);
  } catch {
    return undefined;
  }
  return loadSeedFile(path);
}

/** Writes the state as a seed document, atomically (temp file + rename). */
export async function savePersistedState(path: string, state: EmulatorState): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(stateToSeed(state), null, 2)}\n`);
  await rename(temp, path);
}
