import { createRequire } from "node:module";
import { Webhooks } from "@octokit/webhooks";

interface Definition {
  name: string;
  examples: Array<Record<string, unknown>>;
}

const definitions = createRequire(import.meta.url)("@octokit/webhooks-examples") as Definition[];

/** The first real GitHub example payload of an event that matches. */
export function example(
  name: string,
  match: (payload: Record<string, unknown>) => boolean = () => true,
): Record<string, unknown> {
  const found = definitions.find((d) => d.name === name)?.examples.find(match);
  if (!found) throw new Error(`no example for ${name}`);
  return structuredClone(found);
}

export const TEST_SECRET = "test-webhook-secret-0123456789";

let counter = 0;

/** Sends a payload to the server signed with the secret (or a given signature, or none). */
export async function deliver(
  url: string,
  name: string,
  payload: unknown,
  options: { id?: string; signature?: string | null; secret?: string } = {},
): Promise<{ status: number; body: unknown; id: string }> {
  const body = JSON.stringify(payload);
  const id = options.id ?? `delivery-${process.pid}-${++counter}`;
  const signature =
    options.signature === undefined
      ? await new Webhooks({ secret: options.secret ?? TEST_SECRET }).sign(body)
      : options.signature;
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "x-github-event": name,
    "x-github-delivery": id,
  };
  if (signature !== null) headers["x-hub-signature-256"] = signature;
  const response = await fetch(`${url}/webhook`, { method: "POST", headers, body });
  return { status: response.status, body: await response.json(), id };
}
