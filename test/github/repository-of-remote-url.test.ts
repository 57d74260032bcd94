import { describe, expect, it } from "vitest";
import { repositoryOfRemoteUrl } from "../../src/github/repository-of-remote-url.js";

describe("repositoryOfRemoteUrl", () => {
  it.each([
    ["https://github.com/acme/grants.git", "acme/grants"],
    ["https://github.com/acme/grants", "acme/grants"],
    ["https://x-access-token@github.com/acme/grants.git", "acme/grants"],
    ["git@github.com:acme/grants.git", "acme/grants"],
    ["git@github.com:acme/grants", "acme/grants"],
    ["ssh://git@github.com/acme/grants.git", "acme/grants"],
    ["https://github.example.com/acme/access-grants.git/", "acme/access-grants"],
  ])("%s → %s", (url, expected) => {
    expect(repositoryOfRemoteUrl(url)).toBe(expected);
  });

  it.each([
    "/tmp/grants.git",
    "file:///tmp/grants.git",
    "https://gitlab.example.com/group/sub/grants.git",
    "",
  ])("%s names no GitHub repository", (url) => {
    expect(repositoryOfRemoteUrl(url)).toBeNull();
  });
});
