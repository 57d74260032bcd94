// Plans as text (terminals), Markdown (pull-request comments) or JSON (machines; the schema is
// schemas/plan.schema.json).
import { formatPlanMarkdown } from "./format-plan-markdown.js";
import { formatPlanText } from "./format-plan-text.js";
import { jsonChunks } from "./json-chunks.js";
import type { Plan } from "../model/types.js";

export type PlanFormat = "text" | "markdown" | "json";

export const PLAN_FORMATS: readonly PlanFormat[] = ["text", "markdown", "json"];

export function formatPlan(plan: Plan, format: PlanFormat): string {
  switch (format) {
    case "json":
      return JSON.stringify(plan, null, 2) + "\n";
    case "markdown":
      return formatPlanMarkdown(plan);
    case "text":
      return formatPlanText(plan);
  }
}

/** Several organizations' plans: JSON is `{"version": 1, "plans": [...]}`; text and Markdown are concatenated. */
export function formatPlans(plans: readonly Plan[], format: PlanFormat): string {
  if (format === "json") return planSetJson(plans);
  const separator = format === "markdown" ? "\n---\n\n" : "\n";
  return plans.map((p) => formatPlan(p, format)).join(separator);
}

/** The JSON of several organizations' plans, `{"version": 1, "plans": [...]}` (schemas/plan.schema.json). */
function planSetJson(plans: readonly Plan[]): string {
  return JSON.stringify({ version: 1, plans }, null, 2) + "\n";
}

/**
 * The same text as `formatPlans(plans, "json")` in pieces (one per step), so a plan of many thousand steps is
 * written without ever being one string.
 */
export function* planSetJsonChunks(plans: readonly Plan[]): Generator<string> {
  yield* jsonChunks({ version: 1, plans });
  yield "\n";
}
