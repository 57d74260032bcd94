// Builds the GitHub Action's single-file entry point (action/dist/index.js) from src/action/action-entry.ts with
// esbuild, deterministically (same sources and lockfile → same bytes), so the committed bundle can be checked.
// Usage: npm run bundle [-- --outfile PATH]
import { build } from "esbuild";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const at = process.argv.indexOf("--outfile");
const outfile = at === -1 ? "action/dist/index.js" : process.argv[at + 1];

await build({
  absWorkingDir: root,
  entryPoints: ["src/action/action-entry.ts"],
  outfile,
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  // CommonJS dependencies bundled into an ES module still call require() for Node built-ins.
  banner: {
    js: 'import { createRequire as __grantopsCreateRequire } from "node:module";\nconst require = __grantopsCreateRequire(import.meta.url);',
  },
  legalComments: "eof",
  charset: "utf8",
  sourcemap: false,
  minify: false,
  logLevel: "warning",
});
