import type { ApplyResult } from "../reconcile/apply-plan.js";
import { inertTerminal } from "../core/report/inert-terminal.js";

/** One line per applied step, then a summary line. */
export function formatOutcomes(results: Array<ApplyResult | null>): string {
  const lines: string[] = [];
  let ok = 0;
  let failed = 0;
  let skipped = 0;
  for (const applied of results) {
    for (const outcome of applied?.outcomes ?? []) {
      const step = outcome.step;
      const what =
        step.kind === "create" ? `create ${step.rule.ruleName}` : `delete ${step.ruleName} (${step.reason})`;
      const id = outcome.ruleId === undefined ? "" : ` rule ${outcome.ruleId}`;
      const error = outcome.error === undefined ? "" : `: ${outcome.error.message} [${outcome.error.code}]`;
      lines.push(inertTerminal(`${outcome.outcome.padEnd(7)} ${what}${id}${error}`));
    }
    ok += applied?.ok ?? 0;
    failed += applied?.failed ?? 0;
    skipped += applied?.skipped ?? 0;
    for (const step of applied?.unrecorded ?? []) {
      lines.push(`NOT RECORDED in the journal: ${step} happened without its journal entry`);
    }
  }
  lines.push(`applied: ${ok} ok, ${failed} failed, ${skipped} skipped`);
  return `${lines.join("\n")}\n`;
}
