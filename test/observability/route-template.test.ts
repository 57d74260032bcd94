import { describe, expect, it } from "vitest";
import { routeTemplate } from "../../src/observability/route-template.js";

describe("routeTemplate", () => {
  it.each([
    ["/policies/v2/rules/123", "/policies/v2/rules/{id}"],
    ["/policies/v2/rules?page=2&limit=1000", "/policies/v2/rules"],
    ["/policies/v2/privateResources/183456", "/policies/v2/privateResources/{id}"],
    ["/reports/v2/identities", "/reports/v2/identities"],
    ["/x/0f8fad5b-d9cb-469f-a165-70867728950e/y", "/x/{id}/y"],
    ["/auth/v2/token", "/auth/v2/token"],
  ])("%s → %s", (path, expected) => {
    expect(routeTemplate(path)).toBe(expected);
  });
});
