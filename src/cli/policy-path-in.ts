import path from "node:path";
import { DEFAULT_POLICY_PATH } from "../grants/validate-repository.js";

/** --policy is given relative to the current directory; the repository map keys it relative to the repository. */
export function policyPathIn(repo: string, cwd: string, policy: string | undefined): string {
  if (policy === undefined) return DEFAULT_POLICY_PATH;
  return path.relative(repo, path.resolve(cwd, policy)).split(path.sep).join("/");
}
