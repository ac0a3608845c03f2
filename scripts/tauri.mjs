#!/usr/bin/env node
// The Tauri CLI for this repository, whatever the current directory (`npm --prefix ui run
// tauri -- build` runs in ui/, where the CLI would find no tauri.conf.json): the app is
// src-tauri/, and the front end is ui/, where its hooks (`npm run build`, `npm run dev`)
// run. Left to itself, the CLI searches the current folder for both and, from the
// repository root, picks tests/e2e/package.json as the front end.
import { createRequire } from "node:module";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
process.env.TAURI_APP_PATH ??= resolve(root, "src-tauri");
process.env.TAURI_FRONTEND_PATH ??= resolve(root, "ui");
const cli = createRequire(resolve(root, "ui/package.json"))("@tauri-apps/cli");
cli.run(process.argv.slice(2), "npm --prefix ui run tauri --").catch((err) => {
  cli.logError(err.message);
  process.exit(1);
});
