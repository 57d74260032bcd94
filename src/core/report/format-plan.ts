// Plans as text (terminals), Markdown (pull-request comments) or JSON (machines; the schema is
// schemas/plan.schema.json).
import { formatPlanMarkdown } from "./format-plan-markdown.js";
import { formatPlanText } from "./format-plan-text.js";
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
  if (format === "json") return JSON.stringify({ version: 1, plans }, null, 2) + "\n";
  const separator = format === "markdown" ? "\n---\n\n" : "\n";
  return plans.map((p) => formatPlan(p, format)).join(separator);
}
