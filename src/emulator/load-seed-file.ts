import { readFile } from "node:fs/promises";
import { InvalidInputError } from "../core/model/grantops-error.js";
import type { EmulatorSeed } from "./emulator-seed.js";
import { validateSeed } from "./validate-seed.js";
import { errorMessage } from "../core/model/error-message.js";

/** Reads and validates a seed (or persisted state) JSON file; every problem is an InvalidInputError. */
export async function loadSeedFile(path: string): Promise<EmulatorSeed> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new InvalidInputError("EMULATOR_SEED_UNREADABLE", `cannot read seed file ${path}`, {
      cause: error,
    });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new InvalidInputError("EMULATOR_SEED_INVALID", `${path} is not valid JSON: ${errorMessage(error)}`);
  }
  return validateSeed(data, path);
}
