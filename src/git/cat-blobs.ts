import { catObjects } from "./cat-objects.js";

/** Reads many blobs in one `git cat-file --batch` process; returns their bytes by sha (missing ones left out). */
export async function catBlobs(dir: string, shas: readonly string[]): Promise<Map<string, Uint8Array>> {
  const unique = [...new Set(shas)];
  const objects = await catObjects(dir, unique);
  const blobs = new Map<string, Uint8Array>();
  unique.forEach((sha, index) => {
    const object = objects[index];
    if (object) blobs.set(sha, new Uint8Array(object.bytes)); // a copy: do not pin the whole batch output
  });
  return blobs;
}
