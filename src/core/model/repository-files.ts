/**
 * The files of a grants repository, by repository-relative path → bytes, plus the paths that are not regular files
 * (symbolic links and the like): those are reported at their own path and never read, so a link can neither leak a
 * file outside the repository nor make `validate` (disk) and `plan` (git objects) disagree.
 */
export class RepositoryFiles extends Map<string, Uint8Array> {
  /** Path → what it is instead of a regular file ("a symbolic link", ...). */
  readonly irregular = new Map<string, string>();
}

/** The irregular paths of `files` when it is a RepositoryFiles, else none. */
export function irregularPaths(files: ReadonlyMap<string, Uint8Array>): ReadonlyMap<string, string> {
  return files instanceof RepositoryFiles ? files.irregular : new Map();
}
