import { runGitHubAction } from "./run-github-action.js";

// The bundled entry point of action.yml (action/dist/index.js, built by `npm run bundle`).
process.exitCode = await runGitHubAction(process.env);
