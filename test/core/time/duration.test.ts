import { describe, expect, it } from "vitest";
import { formatDuration, parseDuration } from "../../../src/core/time/duration.js";

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe("parseDuration", () => {
  it.each([
    ["90s", 90 * S],
    ["30m", 30 * M],
    ["4h", 4 * H],
    ["2d", 2 * D],
    ["PT4H", 4 * H],
    ["P1DT2H", D + 2 * H],
    ["PT1H30M", H + 30 * M],
    ["PT45S", 45 * S],
    ["P2D", 2 * D],
    ["3650d", 3650 * D],
    ["1h30m", H + 30 * M],
    ["2d12h", 2 * D + 12 * H],
    ["1d2h3m4s", D + 2 * H + 3 * M + 4 * S],
    ["90m30s", 90 * M + 30 * S],
  ])("%s → %i ms", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each([
    "",
    "0s",
    "0h",
    "PT0H",
    "P",
    "PT",
    "P1DT",
    "4",
    "h",
    "4H",
    "4 h",
    "1.5h",
    "-1h",
    "1w",
    "P1Y",
    "PT4h",
    "3651d",
    "999999d",
    " 4h",
    "30m1h",
    "1h1h",
    "1h 30m",
    "1h05m",
    "1h0m",
    "3650d1s",
  ])("%j is invalid", (text) => {
    expect(parseDuration(text)).toBeNull();
  });
});

describe("formatDuration", () => {
  it.each([
    [2 * D, "2d"],
    [4 * H, "4h"],
    [90 * M, "90m"],
    [90 * S, "90s"],
    [1500, "PT2S"],
  ])("%i → %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
