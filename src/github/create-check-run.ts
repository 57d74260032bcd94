import type { Octokit } from "@octokit/rest";
import type { Problem } from "../core/model/types.js";
import { inertTerminal } from "../core/report/inert-terminal.js";
import { githubRequest } from "./github-api-error.js";
import type { GitHubLogger } from "./github-logger.js";
import { GITHUB_TEXT_LIMIT, cutMarkdown } from "./truncate-markdown.js";

export const CHECK_RUN_NAME = "grantops";
/** GitHub accepts at most 50 annotations per create/update request. */
export const ANNOTATIONS_PER_REQUEST = 50;
/** More annotations than this are summarised, not sent (20 requests at most). */
export const MAX_ANNOTATIONS = 1000;
const MAX_TITLE = 255;
const MAX_MESSAGE = 64_000;

export interface CheckRunInput {
  octokit: Octokit;
  owner: string;
  repo: string;
  headSha: string;
  title: string;
  markdown: string;
  problems: readonly Problem[];
  conclusion: "success" | "failure" | "neutral";
  logger: GitHubLogger;
}

export interface CheckAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: "failure" | "warning";
  message: string;
  title: string;
}

/**
 * Creates the completed `grantops` check run on the head commit with the first 50 annotations, then adds the
 * rest 50 at a time with updates (GitHub appends annotations). The plan goes in the summary, and what does not
 * fit the summary's 65,535 characters continues in the text.
 */
export async function createCheckRun(input: CheckRunInput): Promise<number> {
  const { octokit, owner, repo } = input;
  const annotations = input.problems.slice(0, MAX_ANNOTATIONS).map(toAnnotation);
  const batches = chunk(annotations, ANNOTATIONS_PER_REQUEST);
  const output = checkOutput(input);
  const created = await githubRequest(`creating the ${CHECK_RUN_NAME} check run`, () =>
    octokit.rest.checks.create({
      owner,
      repo,
      name: CHECK_RUN_NAME,
      head_sha: input.headSha,
      status: "completed",
      conclusion: input.conclusion,
      output: { ...output, annotations: batches[0] ?? [] },
    }),
  );
  const id = created.data.id;
  for (const batch of batches.slice(1)) {
    await githubRequest(`adding annotations to check run ${id}`, () =>
      octokit.rest.checks.update({
        owner,
        repo,
        check_run_id: id,
        output: { ...output, annotations: batch },
      }),
    );
  }
  if (input.problems.length > MAX_ANNOTATIONS)
    input.logger.warn(`check run ${id}: annotated ${MAX_ANNOTATIONS} of ${input.problems.length} problems`);
  return id;
}

function checkOutput(input: CheckRunInput): { title: string; summary: string; text?: string } {
  const extra = input.problems.length - MAX_ANNOTATIONS;
  const note =
    extra > 0 ? `\n\n${extra} more problems are not annotated; run \`grantops validate\` to see all.` : "";
  const cut = cutMarkdown(`${input.markdown}${note}`, GITHUB_TEXT_LIMIT, "… continued in the details below");
  const title = input.title.length > MAX_TITLE ? `${input.title.slice(0, MAX_TITLE - 1)}…` : input.title;
  if (cut.rest === "") return { title, summary: cut.head };
  return { title, summary: cut.head, text: cutMarkdown(cut.rest, GITHUB_TEXT_LIMIT, "… truncated").head };
}

/**
 * A validation problem as a check annotation on its file line. Annotation messages and titles are plain text on
 * GitHub (no Markdown, no mentions), so they get the plain-text neutraliser: controls, ANSI escapes, zero-width
 * and bidi characters shown escaped.
 */
export function toAnnotation(problem: Problem): CheckAnnotation {
  const line = Math.max(1, Math.trunc(problem.line) || 1);
  const message = inertTerminal(problem.message);
  return {
    path: problem.file,
    start_line: line,
    end_line: line,
    annotation_level: problem.severity === "error" ? "failure" : "warning",
    message: message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE - 1)}…` : message,
    title: inertTerminal(problem.code).slice(0, MAX_TITLE),
  };
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const batches: T[][] = [];
  for (let i = 0; i < items.length; i += size) batches.push(items.slice(i, i + size));
  return batches;
}
