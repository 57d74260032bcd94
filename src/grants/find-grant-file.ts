import { InvalidInputError } from "../core/model/grantops-error.js";
import { checkGrantId } from "../core/validate/check-grant-id.js";

/** The repository path of grant `id` among `files` (`grants/<id>.yaml` or `.yml`); refuses an unknown or bad id. */
export function findGrantFile(files: ReadonlyMap<string, Uint8Array>, id: string): string {
  const problem = checkGrantId(id);
  if (problem) throw new InvalidInputError("bad-grant-id", problem);
  const found = [`grants/${id}.yaml`, `grants/${id}.yml`].filter((file) => files.has(file));
  if (found.length === 0)
    throw new InvalidInputError(
      "grant-not-found",
      `no grant ${id}: neither grants/${id}.yaml nor .yml exists`,
    );
  if (found.length > 1)
    throw new InvalidInputError("bad-grant-id", `grant ${id} is both ${found.join(" and ")}: fix that first`);
  return found[0] ?? "";
}
