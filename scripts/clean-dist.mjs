// Empties dist/ before a build, so files of deleted or moved sources never ship in the package.
import { rm } from "node:fs/promises";

await rm(new URL("../dist", import.meta.url), { recursive: true, force: true });
