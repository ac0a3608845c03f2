// What the perf scripts share: the repository root, WebdriverIO (from the e2e suite's own
// node_modules) and the `--name value` options of the command line.
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

export const { remote } = await import(
  pathToFileURL(createRequire(join(root, "tests/e2e/package.json")).resolve("webdriverio")).href
);

/** `--app BIN --runs 3` → `{ app: "BIN", runs: "3" }`. */
export const opts = Object.fromEntries(
  process.argv
    .slice(2)
    .join(" ")
    .split("--")
    .filter(Boolean)
    .map((kv) => kv.trim().split(/\s+/)),
);
