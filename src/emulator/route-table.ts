import type { ApiArea } from "./emulator-api-error.js";
import type { RouteReply, RouteRequest } from "./emulator-runtime.js";

/** One emulated vendor route. */
export interface RouteDef {
  method: string;
  /** Path pattern with {param} segments, e.g. "/policies/v2/rules/{ruleId}"; also the counters' route name. */
  pattern: string;
  area: ApiArea;
  /** OAuth scope the caller's key needs; undefined for the token route. */
  scope?: string;
  /** Fault route groups this route belongs to (see fault-spec routeGroups). */
  groups: string[];
  /** Rule writes hold the ruleset lock while they run. */
  ruleWrite?: boolean;
  handle(request: RouteRequest): Promise<RouteReply> | RouteReply;
}

export type RouteMatch =
  | { kind: "route"; route: RouteDef; params: Record<string, string> }
  | { kind: "wrongMethod"; area: ApiArea }
  | { kind: "none"; area: ApiArea };

/** Finds the route for a method and path (no trailing-slash tolerance, as the vendor). */
export function matchRoute(routes: readonly RouteDef[], method: string, path: string): RouteMatch {
  let wrongMethod: RouteDef | undefined;
  for (const route of routes) {
    const params = matchPattern(route.pattern, path);
    if (!params) continue;
    if (route.method === method) return { kind: "route", route, params };
    wrongMethod = route;
  }
  if (wrongMethod) return { kind: "wrongMethod", area: wrongMethod.area };
  return { kind: "none", area: areaOfPath(path) };
}

function matchPattern(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split("/");
  const got = path.split("/");
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const segment = want[i] ?? "";
    const actual = got[i] ?? "";
    if (segment.startsWith("{") && segment.endsWith("}")) {
      if (actual === "") return undefined;
      params[segment.slice(1, -1)] = safeDecode(actual);
    } else if (segment !== actual) return undefined;
  }
  return params;
}

function areaOfPath(path: string): ApiArea {
  if (path.startsWith("/policies/")) return "policies";
  return path.startsWith("/auth/") ? "auth" : "reports";
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
