import { defineConfig } from "vitest/config";

export const config = defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
    reporters: ["default"],
  },
});

// vitest reads the config's default export; this is the one place a default export is allowed.
// eslint-disable-next-line no-restricted-syntax
export default config;
