import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, afterEach, before, describe, it } from "node:test";
import {
  appPath,
  click,
  invoke,
  repoRoot,
  referenceShot,
  screenshot,
  selectValue,
  textOf,
  useApp,
} from "../lib/harness.mjs";

const cargoVersion = readFileSync(join(repoRoot, "Cargo.toml"), "utf8").match(
  /\[workspace\.package\][^[]*?version\s*=\s*"([^"]+)"/,
)[1];

/** The About page's commit (each build's) and folders (under this run's HOME). */
const BUILD_AND_HOME = ['[data-testid="app-info"] dd.mono'];

describe("smoke", () => {
  const app = useApp({ before, after, afterEach });

  it("renders the shell with the app info from the backend", async () => {
    await click(app.browser, "nav-overview");
    assert.equal(await app.browser.getTitle(), "CVM Console");
    assert.equal(await textOf(app.browser, "app-version"), cargoVersion);
    assert.match(await textOf(app.browser, "app-platform"), /^linux \/ /);
    assert.ok(await textOf(app.browser, "statusbar"));
  });

  it("round-trips app_info over IPC", async () => {
    const r = await invoke(app.browser, "app_info");
    assert.equal(r.ok, true, JSON.stringify(r.error));
    assert.equal(r.data.version, cargoVersion);
    assert.equal(r.data.os, "linux");
    assert.match(r.data.logDir, /cvm/i);
    // The page shows what the command returned, not something of its own.
    assert.equal(await textOf(app.browser, "app-version"), r.data.version);
  });

  it("a second launch hands over to the running app and exits", async () => {
    // Same session bus, display and HOME as the running app: exactly what a user's second
    // click on the icon does. The second process must exit by itself, at once.
    const second = spawn(appPath, [], { stdio: ["ignore", "pipe", "pipe"] });
    let err = "";
    second.stderr.on("data", (d) => (err += d));
    const code = await new Promise((res, rej) => {
      const t = setTimeout(() => {
        second.kill("SIGKILL");
        rej(new Error(`the second launch was still running after 20 s: ${err}`));
      }, 20000);
      second.once("exit", (c) => {
        clearTimeout(t);
        res(c);
      });
    });
    assert.equal(code, 0, err);
    // The first app is untouched and still answers.
    const r = await invoke(app.browser, "app_info");
    assert.equal(r.ok, true, JSON.stringify(r.error));
    assert.equal(await app.browser.getTitle(), "CVM Console");
  });

  it("refuses a command it was not granted", async () => {
    // The capability grants no plugin: the ACL must refuse before anything runs. WebKit
    // may report the rejection as a script error rather than a resolved value.
    let refusal;
    try {
      const r = await invoke(app.browser, "plugin:clipboard-manager|read_text");
      refusal = r.ok ? "accepted" : r.error;
    } catch (e) {
      refusal = e.message;
    }
    assert.match(refusal, /not allowed/);
  });

  it("renders in Simplified Chinese", async () => {
    await click(app.browser, "nav-settings");
    await selectValue(app.browser, "language-select", "zh-CN");
    assert.equal(await textOf(app.browser, "app-name"), "CVM 控制台");
    await click(app.browser, "nav-overview");
    assert.equal(await textOf(app.browser, "nav-overview"), "关于");
    await textOf(app.browser, "app-version");
    await referenceShot(app.browser, "shell-zh-CN-light", { mask: BUILD_AND_HOME });
  });

  it("renders in dark theme, in both languages", async () => {
    await click(app.browser, "nav-settings");
    await selectValue(app.browser, "theme-select", "dark");
    const theme = await app.browser.execute(() => document.documentElement.dataset.theme);
    assert.equal(theme, "dark");
    await click(app.browser, "nav-overview");
    await textOf(app.browser, "app-version");
    await referenceShot(app.browser, "shell-zh-CN-dark", { mask: BUILD_AND_HOME });
    await click(app.browser, "nav-settings");
    await selectValue(app.browser, "language-select", "en");
    assert.equal(await textOf(app.browser, "app-name"), "CVM Console");
    await click(app.browser, "nav-overview");
    await textOf(app.browser, "app-version");
    await referenceShot(app.browser, "shell-en-dark", { mask: BUILD_AND_HOME });
    await click(app.browser, "nav-settings");
    await selectValue(app.browser, "theme-select", "light");
    await click(app.browser, "nav-overview");
    await textOf(app.browser, "app-version");
    await referenceShot(app.browser, "shell-en-light", { mask: BUILD_AND_HOME });
  });
});
