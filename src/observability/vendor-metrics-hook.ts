import type { GrantopsMetrics } from "./create-metrics.js";
import { routeTemplate } from "./route-template.js";
import type { RequestInfo } from "../secure-access/client-settings.js";

/** The vendor client's onRequest hook: counts requests by route template and status, and retried requests. */
export function vendorMetricsHook(metrics: GrantopsMetrics): (info: RequestInfo) => void {
  return (info) => {
    const route = routeTemplate(info.route);
    metrics.vendorRequests.inc({ route, status: info.status === "error" ? "network" : String(info.status) });
    if (info.attempt > 1) metrics.vendorRetries.inc({ route });
  };
}
