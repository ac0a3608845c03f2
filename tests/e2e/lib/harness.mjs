// The end-to-end harness: starts tauri-driver, opens the real app through WebDriver,
// saves a screenshot of every test's final screen (and on failure), and stops every
// process it started by pid. Run it through ./run, which provides Xvfb, a private D-Bus
// session with an unlocked gnome-keyring and a fresh HOME.
import { spawn } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  writeFileSync,
} from "node:fs";
import { createConnection, createServer } from "node:net";
import { basename, dirname, join, resolve } from "node:path";
import { afterEach } from "node:test";
import { fileURLToPath } from "node:url";
import pixelmatch from "pixelmatch";
import { PNG } from "pngjs";
import { remote } from "webdriverio";

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, "../../..");
export const artifactsDir = process.env.CVM_E2E_ARTIFACTS ?? join(repoRoot, "tests/e2e/artifacts");
export const appPath = process.env.CVM_E2E_APP ?? join(repoRoot, "target/debug/cvm-console");
// Free ports picked per run (not tauri-driver's default 4444), so a second suite running
// on the same machine, or a driver left behind by a crash, cannot collide with this one.
let driverPort = Number(process.env.CVM_E2E_DRIVER_PORT ?? 0);

function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once("error", rej);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

function portOpen(port) {
  return new Promise((res) => {
    const s = createConnection({ host: "127.0.0.1", port });
    s.once("connect", () => {
      s.destroy();
      res(true);
    });
    s.once("error", () => res(false));
  });
}

async function waitFor(cond, what, timeoutMs = 30000) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The tauri-driver this process started last (its descendants include the app). */
let currentDriverPid = null;

/** Pids of `pid`'s descendants (Linux /proc; empty elsewhere). */
function descendants(pid) {
  let entries;
  try {
    entries = readdirSync("/proc").filter((d) => /^\d+$/.test(d));
  } catch {
    return [];
  }
  const parent = new Map();
  for (const d of entries) {
    try {
      const stat = readFileSync(`/proc/${d}/stat`, "utf8");
      // "pid (comm) state ppid …": comm may hold spaces and parentheses.
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      parent.set(Number(d), ppid);
    } catch {
      /* gone meanwhile */
    }
  }
  const out = [];
  const todo = [pid];
  while (todo.length) {
    const p = todo.pop();
    for (const [c, pp] of parent) if (pp === p) (out.push(c), todo.push(c));
  }
  return out;
}

/** Instances of the app under the driver (started through it by WebKitWebDriver). */
function appPids(driverPid) {
  if (!driverPid) return [];
  const name = basename(appPath);
  return descendants(driverPid).filter((p) => {
    try {
      return basename(readlinkSync(`/proc/${p}/exe`).replace(/ \(deleted\)$/, "")) === name;
    } catch {
      return false;
    }
  });
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Waits for the apps this driver started to exit (a closed session should end its app);
 * ends any still running after `graceMs`, by pid. The app is single-instance: a
 * straggler would take over every later launch, so none may outlive its session.
 */
export async function reapApps(driverPid = currentDriverPid, graceMs = 10000) {
  let pids = appPids(driverPid);
  const end = Date.now() + graceMs;
  while (pids.some(alive) && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
  pids = pids.filter(alive);
  if (pids.length === 0) return;
  console.error(`e2e: the app (pid ${pids.join(", ")}) outlived its session; ending it`);
  for (const p of pids) process.kill(p, "SIGTERM");
  const hard = Date.now() + 3000;
  while (pids.some(alive) && Date.now() < hard) await new Promise((r) => setTimeout(r, 100));
  for (const p of pids.filter(alive)) process.kill(p, "SIGKILL");
}

/** Starts tauri-driver on its own ports; returns a handle whose stop() kills it by pid. */
export async function startDriver() {
  if (!process.env.CVM_E2E_DRIVER_PORT) driverPort = await freePort();
  const nativePort = await freePort();
  if (await portOpen(driverPort)) {
    throw new Error(
      `port ${driverPort} is taken: a tauri-driver from an earlier run is still alive?`,
    );
  }
  const child = spawn(
    "tauri-driver",
    ["--port", String(driverPort), "--native-port", String(nativePort)],
    { stdio: ["ignore", "inherit", "inherit"] },
  );
  const exited = new Promise((r) => child.once("exit", r));
  await waitFor(() => portOpen(driverPort), "tauri-driver to listen");
  currentDriverPid = child.pid;
  return {
    pid: child.pid,
    async stop() {
      // The app first: once the driver is gone it would be nobody's child.
      await reapApps(child.pid);
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        const t = setTimeout(() => child.kill("SIGKILL"), 3000);
        await exited;
        clearTimeout(t);
      }
    },
  };
}

/** Opens the app in a new WebDriver session (after any earlier one has exited). */
export async function openApp() {
  // A session start can fail before any app is launched when tauri-driver finds its
  // WebKitWebDriver not yet listening (connection refused, seen under load), or take more
  // than half a minute on a machine busy with builds: those cases are tried again, after
  // reaping whatever may have started; any other failure is final.
  for (let attempt = 1; ; attempt++) {
    await reapApps();
    try {
      const browser = await remote({
        hostname: "127.0.0.1",
        port: driverPort,
        logLevel: "warn",
        connectionRetryCount: 0,
        connectionRetryTimeout: 90000,
        // Only tauri:options: WebKitWebDriver fails to match when browserName is set.
        capabilities: { "tauri:options": { application: appPath } },
      });
      await browser.setTimeout({ implicit: 0, script: 30000 });
      return browser;
    } catch (e) {
      const transient = /UND_ERR_SOCKET|Request timed out/.test(String(e?.message ?? e));
      if (attempt >= 3 || !transient) throw e;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

/** Saves a PNG of the current window under artifacts/. */
export async function screenshot(browser, name) {
  mkdirSync(artifactsDir, { recursive: true });
  const file = join(artifactsDir, `${name.replace(/[^\w.-]+/g, "_")}.png`);
  writeFileSync(file, Buffer.from(await browser.takeScreenshot(), "base64"));
  return file;
}

// ------------------------------------------------------------ reference screenshots

/** The committed references every main screen is compared with (also the README's images). */
export const referencesDir = process.env.CVM_E2E_REFERENCES ?? join(repoRoot, "docs/screenshots");
/** CVM_E2E_UPDATE_REFERENCES=1: copy this run's screens over the references instead. */
const updateReferences = process.env.CVM_E2E_UPDATE_REFERENCES === "1";

/**
 * Parts of every screen that change from run to run, blanked in both images before the
 * diff: the status bar (call counters), RequestIds shown with errors, masked SecretIds,
 * instance expiry times and the Sandbox's clock.
 */
export const DYNAMIC = [
  '[data-testid="statusbar"]',
  '[data-testid="problem-request-id"]',
  ".error-box .selectable",
  // The Sandbox's SecretId is made per HOME, so its masked form differs in every run.
  '[data-testid="profile-masked-id"]',
  '[data-testid="masked-id"]',
  // An expiry's date and time: the Sandbox's seeded expiries count from its creation.
  ".cell-expiry > span:first-child",
  // Creation dates: the Sandbox seeds them relative to the day it is created.
  ".cell-date",
  // The Sandbox's clock, shown on its profile.
  '[data-testid="sandbox-time"]',
];

/**
 * Tolerance: a pixel counts as different when pixelmatch's perceptual distance is over
 * PIXEL_THRESHOLD (anti-aliased edges ignored); a screen fails when more than
 * MAX_DIFF_PERCENT of its pixels differ, or more than MAX_WINDOW_PIXELS of them fall in one
 * WINDOW×WINDOW square (1280×800: 205 px, 100 in one square). Calibrated on clean runs:
 * with the masks, screens differed from their references by at most 47 px (icon edges), 17
 * in one square, once 124 px (68 in one square: a dialog's radio buttons repainted); one
 * instance row's id drawn 3 px lower differs by 236 px (131 in one square), its id put
 * beside its name by 314, its Name/ID cell moved 20 px right by 529 (225): all fail.
 */
export const PIXEL_THRESHOLD = 0.1;
/** The overlay scrollbar's strip at the right edge, blanked in both images (px). */
const SCROLLBAR_WIDTH = 10;
export const MAX_DIFF_PERCENT = 0.02;
export const WINDOW = 32;
export const MAX_WINDOW_PIXELS = 100;

/**
 * Mismatches found during the running test: it goes on (a dialog left open would fail
 * every later test), and this hook then fails it, naming each screen.
 */
const mismatches = [];
afterEach(() => {
  if (mismatches.length === 0) return;
  const all = mismatches.splice(0);
  throw new Error(all.join("\n"));
});

const BLANK = [255, 0, 255, 255];

function readPng(file) {
  return PNG.sync.read(readFileSync(file));
}

/** Paints the rectangles (device pixels) in one colour, so both images agree there. */
function blank(png, rects) {
  for (const r of rects) {
    const x0 = Math.max(0, r.x);
    const y0 = Math.max(0, r.y);
    const x1 = Math.min(png.width, r.x + r.w);
    const y1 = Math.min(png.height, r.y + r.h);
    for (let y = y0; y < y1; y++)
      for (let x = x0; x < x1; x++) png.data.set(BLANK, (y * png.width + x) * 4);
  }
}

/**
 * Compares two PNG files after blanking `rects` in both. Returns { ok, percent, pixels,
 * window, diff (a PNG), actual, reference (both blanked) } or { ok: false, size } when the
 * sizes differ.
 */
export function compareImages(actualFile, referenceFile, rects = []) {
  const actual = readPng(actualFile);
  const reference = readPng(referenceFile);
  const { width, height } = actual;
  if (reference.width !== width || reference.height !== height)
    return {
      ok: false,
      size: `${width}x${height} against ${reference.width}x${reference.height}`,
    };
  blank(actual, rects);
  blank(reference, rects);
  const diff = new PNG({ width, height });
  const opts = { threshold: PIXEL_THRESHOLD };
  const pixels = pixelmatch(actual.data, reference.data, diff.data, width, height, opts);
  const window = pixelmatch(actual.data, reference.data, null, width, height, {
    ...opts,
    windowSize: WINDOW,
  });
  const percent = (100 * pixels) / (width * height);
  const ok = percent <= MAX_DIFF_PERCENT && window <= MAX_WINDOW_PIXELS;
  return { ok, percent, pixels, window, diff, actual, reference };
}

/** Rectangles (device pixels, rounded outwards) of the elements matching the selectors. */
async function rectsOf(browser, selectors) {
  if (selectors.length === 0) return [];
  return browser.execute((sels) => {
    const k = window.devicePixelRatio || 1;
    const out = [];
    for (const sel of sels)
      for (const e of document.querySelectorAll(sel)) {
        const r = e.getBoundingClientRect();
        if (r.width === 0 || r.height === 0) continue;
        const x = Math.floor(r.left * k) - 1;
        const y = Math.floor(r.top * k) - 1;
        out.push({
          x,
          y,
          w: Math.ceil(r.right * k) + 1 - x,
          h: Math.ceil(r.bottom * k) + 1 - y,
        });
      }
    return out;
  }, selectors);
}

/**
 * A screenshot of a main screen, compared with its reference docs/screenshots/<reference>.png
 * (`reference` defaults to `name`). `mask` lists selectors whose rectangles change from run
 * to run (times, ages, ids); they are blanked in both images, as DYNAMIC is; `clip` (a
 * selector) compares only its first match's rectangle. On a mismatch
 * the actual, the reference and a diff image are written to artifacts/ and the test fails
 * (after it ends) with the share of differing pixels. With CVM_E2E_UPDATE_REFERENCES=1 the screenshot
 * replaces the reference instead.
 */
export async function referenceShot(browser, name, { mask = [], clip, reference = name } = {}) {
  // No blinking caret in a focused field, no dialog caught mid-animation; then let
  // WebKitGTK paint (it can hand back an older frame right after a change).
  await browser.execute(() => {
    if (document.getElementById("e2e-still")) return;
    const s = document.createElement("style");
    s.id = "e2e-still";
    s.textContent =
      "*, *::before, *::after, ::backdrop { caret-color: transparent !important; " +
      "animation: none !important; transition: none !important; }";
    document.head.append(s);
  });
  await browser.pause(400);
  const file = await screenshot(browser, name);
  const rects = await rectsOf(browser, [...DYNAMIC, ...mask]);
  // WebKitGTK's overlay scrollbar shows at the window's right edge for a while after a
  // scroll or a change of height, so whether a screen catches it is timing (seen in clean
  // runs: 96 px in one square on screens that had not changed). It takes no layout space.
  const viewportWidth = await browser.execute(() => window.innerWidth);
  rects.push({ x: viewportWidth - SCROLLBAR_WIDTH, y: 0, w: SCROLLBAR_WIDTH, h: 1 << 16 });
  // The same overlay scrollbar shows inside any scroll box (the instance list's own).
  rects.push(
    ...(await browser.execute((w) => {
      const k = window.devicePixelRatio || 1;
      return [...document.querySelectorAll("*")]
        .filter(
          (e) =>
            e.scrollHeight > e.clientHeight && /auto|scroll/.test(getComputedStyle(e).overflowY),
        )
        .map((e) => e.getBoundingClientRect())
        .map((r) => ({
          x: Math.floor((r.right - w) * k),
          y: Math.floor(r.top * k),
          w: Math.ceil(w * k),
          h: Math.ceil(r.height * k),
        }));
    }, SCROLLBAR_WIDTH)),
  );
  if (clip) {
    // Only the first element matching `clip` is compared: everything around it is blanked.
    const [c] = await rectsOf(browser, [clip]);
    if (!c) throw new Error(`screenshot ${name}: nothing matches ${clip}`);
    const far = 1 << 16;
    rects.push(
      { x: 0, y: 0, w: far, h: c.y },
      { x: 0, y: c.y + c.h, w: far, h: far },
      { x: 0, y: 0, w: c.x, h: far },
      { x: c.x + c.w, y: 0, w: far, h: far },
    );
  }
  const refFile = join(referencesDir, `${reference}.png`);
  if (updateReferences) {
    mkdirSync(referencesDir, { recursive: true });
    copyFileSync(file, refFile);
    return file;
  }
  // The references are screens of the whole suite's shared Sandbox world, which earlier
  // specs change: a run of some specs only (CVM_E2E_SPECS) keeps its screenshots, unjudged.
  if (process.env.CVM_E2E_SPECS?.trim()) return file;
  if (!existsSync(refFile))
    throw new Error(
      `no reference ${refFile} for screenshot ${name}: CVM_E2E_UPDATE_REFERENCES=1 tests/e2e/run writes it`,
    );
  const r = compareImages(file, refFile, rects);
  // Logged for every screen, so the tolerance can be checked against real runs.
  if (!r.size)
    console.log(
      `reference ${reference}: ${r.percent.toFixed(4)}% differ (${r.pixels} px), ` +
        `${r.window} px in the worst ${WINDOW}x${WINDOW} square`,
    );
  if (r.ok) return file;
  const base = join(artifactsDir, `${name.replace(/[^\w.-]+/g, "_")}`);
  const written = [`${base}.actual.png`, `${base}.reference.png`, `${base}.diff.png`];
  copyFileSync(file, written[0]);
  copyFileSync(refFile, written[1]);
  if (r.diff) writeFileSync(written[2], PNG.sync.write(r.diff));
  const what = r.size
    ? `its size differs (${r.size})`
    : `${r.percent.toFixed(3)}% of its pixels differ (${r.pixels}; at most ${MAX_DIFF_PERCENT}%), ` +
      `${r.window} in one ${WINDOW}x${WINDOW} square (at most ${MAX_WINDOW_PIXELS})`;
  const message =
    `screenshot ${name} does not match docs/screenshots/${reference}.png: ${what}. ` +
    `See ${written.map((f) => basename(f)).join(", ")} in ${artifactsDir}; ` +
    `if the change is meant, CVM_E2E_UPDATE_REFERENCES=1 tests/e2e/run updates the references.`;
  console.error(message);
  mismatches.push(message);
  return file;
}

/** Text of the first element matching a data-testid, once it exists. */
export async function textOf(browser, testid, timeout = 15000) {
  const el = await browser.$(`[data-testid="${testid}"]`);
  await el.waitForExist({ timeout });
  return el.getText();
}

export async function click(browser, testid) {
  const el = await browser.$(`[data-testid="${testid}"]`);
  await el.waitForExist({ timeout: 15000 });
  // As a user would, scroll to it when something else covers it (a row at the edge of a
  // virtual list sits under the sticky header); a visible one is left where it is, so the
  // screens stay as they were.
  await browser.execute((e) => {
    const r = e.getBoundingClientRect();
    const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    if (r.width > 0 && !(top && (top === e || e.contains(top) || top.contains(e))))
      e.scrollIntoView({ block: "center", inline: "nearest" });
  }, el);
  await el.waitForClickable({ timeout: 15000 });
  await el.click();
}

/** Picks an option of a <select> by value (WebKitWebDriver rejects wdio text selectors). */
export async function selectValue(browser, testid, value) {
  const el = await browser.$(`[data-testid="${testid}"]`);
  await el.waitForExist({ timeout: 15000 });
  await el.selectByAttribute("value", value);
}

/** An argument for `invoke`: a fresh channel whose messages the page ignores. */
export const CHANNEL = "__CHANNEL__";

/**
 * Calls an app command over the real IPC path, as the UI does. Returns { ok, data } or
 * { ok: false, error } (WebKit sometimes reports a rejected IPC promise as a script
 * error instead of handing the value back; both end up here). An argument equal to
 * CHANNEL becomes a channel the page ignores (what `new Channel()` serialises to).
 */
export async function invoke(browser, cmd, args = {}) {
  try {
    return await browser.executeAsync(
      (cmd, args, done) => {
        try {
          const t = window.__TAURI_INTERNALS__;
          for (const [k, v] of Object.entries(args)) {
            if (v === "__CHANNEL__") args[k] = `__CHANNEL__:${t.transformCallback(() => {})}`;
          }
          t.invoke(cmd, args).then(
            (data) => done({ ok: true, data }),
            (error) =>
              done({ ok: false, error: typeof error === "string" ? error : JSON.stringify(error) }),
          );
        } catch (error) {
          done({ ok: false, error: String(error) });
        }
      },
      cmd,
      args,
    );
  } catch (e) {
    // WebKitWebDriver's message wraps the command's error: keep the AppError's JSON.
    const json = e.message.match(/\{".*\}/)?.[0];
    return { ok: false, error: json ?? e.message };
  }
}

/**
 * Wraps node:test hooks: one driver and one app session per suite, a screenshot after
 * every test (named after it, with a FAILED- prefix on failure).
 */
export function useApp(t) {
  const ctx = { browser: null, driver: null };
  t.before(async () => {
    ctx.driver = await startDriver();
    ctx.browser = await openApp();
  });
  t.afterEach(async (tc) => {
    if (!ctx.browser) return;
    const failed = tc?.passed === false;
    try {
      await screenshot(ctx.browser, `${failed ? "FAILED-" : ""}${tc?.name ?? "test"}`);
    } catch (e) {
      console.error("screenshot failed:", e.message);
    }
  });
  t.after(async () => {
    try {
      await ctx.browser?.deleteSession();
    } catch {
      /* the app may already be gone */
    }
    await ctx.driver?.stop();
  });
  return ctx;
}

/**
 * Starts the cvm-sim binary on a free loopback port (a second, "real cloud" endpoint
 * beside the app's embedded Sandbox). Returns its base URL and a stop() that kills it by pid.
 */
export async function startSim(args = []) {
  const bin = process.env.CVM_E2E_SIM ?? join(repoRoot, "target/debug/cvm-sim");
  const child = spawn(bin, ["--listen", "127.0.0.1:0", "--time-scale", "0", ...args], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise((r) => child.once("exit", r));
  const url = await new Promise((res, rej) => {
    let buf = "";
    const t = setTimeout(() => rej(new Error("cvm-sim did not report ready")), 15000);
    child.stdout.on("data", (d) => {
      buf += d;
      const m = buf.match(/cvm-sim listening on (http:\/\/\S+)/);
      if (m) {
        clearTimeout(t);
        res(m[1]);
      }
    });
    child.once("exit", (code) => rej(new Error(`cvm-sim exited with ${code}`)));
  });
  return {
    url,
    async stop() {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        const t = setTimeout(() => child.kill("SIGKILL"), 3000);
        await exited;
        clearTimeout(t);
      }
    },
  };
}

/** Sets an input's value the way a user would (clear, then type). */
export async function typeInto(browser, testid, value) {
  const el = await browser.$(`[data-testid="${testid}"]`);
  await el.waitForExist({ timeout: 15000 });
  await el.clearValue();
  await el.setValue(value);
}

/**
 * Records every IPC answer the page receives, so tests can search them (leak checks).
 * Tauri's IPC travels over fetch() to its ipc:// scheme (http://ipc.localhost on
 * Windows); the answers are read from clones of those responses.
 */
export async function captureIpc(browser) {
  await browser.execute(() => {
    if (window.__ipcCapture) return;
    window.__ipcCapture = [];
    const original = window.fetch.bind(window);
    window.fetch = async (input, init) => {
      const url = typeof input === "string" ? input : input.url;
      const res = await original(input, init);
      if (url.startsWith("ipc:") || url.startsWith("http://ipc.localhost")) {
        res
          .clone()
          .text()
          .then((body) => window.__ipcCapture.push(`${url} ${body}`));
      }
      return res;
    };
  });
}

export async function capturedIpc(browser) {
  return browser.execute(() => window.__ipcCapture ?? []);
}

/** Entries of the app's activity log (newest first) matching an ActivityFilter. */
export async function activity(browser, filter = {}) {
  const r = await invoke(browser, "activity_log", { filter: { limit: 1000, ...filter } });
  if (!r.ok) throw new Error(`activity_log failed: ${r.error}`);
  return r.data;
}

/**
 * The app's own confirmation dialog (components/ConfirmDialog), once open; `kind` is its
 * data-kind ("delete-profile", "reset-sandbox", …). Returns the dialog element.
 */
export async function confirmDialog(browser, kind, timeout = 15000) {
  const sel = kind
    ? `[data-testid="confirm-dialog"][data-kind="${kind}"]`
    : '[data-testid="confirm-dialog"]';
  const el = await browser.$(sel);
  await el.waitForExist({ timeout });
  return el;
}

/** Waits until no element with this data-testid is in the page. */
export async function gone(browser, testid, timeout = 15000) {
  // Asked in the page: a handle to an element that disappears mid-lookup goes stale.
  await browser.waitUntil(
    () => browser.execute((id) => !document.querySelector(`[data-testid="${id}"]`), testid),
    { timeout, interval: 200, timeoutMsg: `${testid} is still shown` },
  );
}
