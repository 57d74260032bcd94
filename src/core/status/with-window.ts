import type { StatusReport } from "../model/status-report.js";

/** The report with another "expiring soon" window (serve's report, read by `grantops status --within D`). */
export function withWindow(report: StatusReport, withinMs: number): StatusReport {
  return {
    ...report,
    withinSeconds: Math.round(withinMs / 1000),
    organizations: report.organizations.map((org) => ({
      ...org,
      expiringSoon: org.active.filter((g) => g.secondsLeft * 1000 <= withinMs).map((g) => g.grantId),
    })),
  };
}
