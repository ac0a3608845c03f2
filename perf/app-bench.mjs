// Measures the real release app against a bare Tauri window through WebDriver
// (tauri-driver → WebKitWebDriver), side by side in one run. Started by `scripts/perf app`,
// which builds both binaries and provides Xvfb, a private D-Bus session and a keyring.
//
//   node perf/app-bench.mjs --app BIN --bare BIN --world WORLD.json --out DIR [--runs N] [--only filter]
//                           [--baseline BIN]
// --baseline BIN: an older build of the app, measured in the same run the same way (cold
// starts alternating with the others, then its own listing and filtering under `current`),
// so a change is compared with what it replaced under the same machine load.
//   node perf/app-bench.mjs ... --only fleet --fleet-world WORLD-30K.json
//
// --dump-rows FILE (with --only fleet): writes the fleet's cached lists (the rows as the
// backend sends them) for perf/row-heap.py.
// --rounds N: measures the listings (and the baseline's) N times, alternating.
// --only fleet: the fleet view with 30,000 rows (the fleet world) beside the single-region
// 10,000-row list and the bare window's idle memory, all in the same run.
//   node perf/app-bench.mjs --app BIN --world WORLD.json --out DIR --only metrics
// --only metrics: the Cloud Monitor views (sparklines, filtering with the CPU column, charts).
//
// Every launch goes through a small wrapper script (the WebDriver session's "binary") that
// gives the app fresh XDG config/data/cache folders, records its pid and execs it, so the
// app runs unmodified: a 10,000-instance Sandbox is just a world file placed where the
// Sandbox keeps its world, and the `seed` budget is a profiles.json written beforehand.
//
// Times: t0 is taken just before the WebDriver session is requested (which launches the
// process); "ready" is an epoch time read in the page (performance.timeOrigin + the
// moment a requestAnimationFrame loop first sees the condition), so both sides pay the
// same WebDriver start-up. Memory: RSS and PSS summed over the app's process tree (the
// app, WebKitWebProcess, WebKitNetworkProcess and anything else it spawned).
import { spawn } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createServer, createConnection } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { opts, remote, root } from "./common.mjs";

const APP = resolve(opts.app);
const BARE = opts.bare ? resolve(opts.bare) : null;
const WORLD = resolve(opts.world);
const BASELINE = opts.baseline ? resolve(opts.baseline) : null;
const FLEET_WORLD = opts["fleet-world"] ? resolve(opts["fleet-world"]) : null;
const FLEET_N = Number(opts["fleet-n"] ?? 30000);
const OUT = resolve(opts.out ?? join(root, "target-crates/perf"));
const RUNS = Number(opts.runs ?? 5);
const IDENT = "com.cvmconsole.desktop";
const N = 10000;
mkdirSync(OUT, { recursive: true });
const work = mkdtempSync(join(tmpdir(), "cvm-perf-app-"));
const results = { runs: RUNS };

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const pct = (xs, p) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)];
const log = (...a) => console.error("app-bench:", ...a);

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
const portOpen = (port) =>
  new Promise((res) => {
    const s = createConnection({ host: "127.0.0.1", port });
    s.once("connect", () => (s.destroy(), res(true)));
    s.once("error", () => res(false));
  });

// ---- process tree memory ---------------------------------------------------------------
function procTable() {
  const kids = new Map();
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (!kids.has(ppid)) kids.set(ppid, []);
      kids.get(ppid).push(Number(d));
    } catch {
      /* gone */
    }
  }
  return kids;
}
function treeMemory(pid) {
  const kids = procTable();
  const pids = [];
  const stack = [pid];
  while (stack.length) {
    const p = stack.pop();
    pids.push(p);
    stack.push(...(kids.get(p) ?? []));
  }
  let rss = 0,
    pss = 0;
  const names = [];
  // RSS by process name (the app, WebKitWebProcess, WebKitNetworkProcess).
  const byProcess = {};
  for (const p of pids) {
    try {
      const status = readFileSync(`/proc/${p}/status`, "utf8");
      const own = Number(status.match(/VmRSS:\s+(\d+)/)?.[1] ?? 0);
      const name = status.match(/Name:\s+(\S+)/)?.[1];
      rss += own;
      names.push(name);
      if (name) byProcess[name] = (byProcess[name] ?? 0) + own;
      pss += Number(
        readFileSync(`/proc/${p}/smaps_rollup`, "utf8").match(/Pss:\s+(\d+)/)?.[1] ?? 0,
      );
    } catch {
      /* gone */
    }
  }
  return { rssKiB: rss, pssKiB: pss, processes: names.filter(Boolean), rssKiBByProcess: byProcess };
}

// ---- launching -------------------------------------------------------------------------
let driverPort;
let driver;
async function startDriver() {
  driverPort = await freePort();
  const nativePort = await freePort();
  // The driver's, WebKit's and the apps' own output goes to a file, not the report.
  const logFd = openSync(join(OUT, "app-bench-driver.log"), "w");
  driver = spawn(
    "tauri-driver",
    ["--port", String(driverPort), "--native-port", String(nativePort)],
    {
      stdio: ["ignore", logFd, logFd],
    },
  );
  for (let i = 0; i < 300 && !(await portOpen(driverPort)); i++) await sleep(50);
}

let launchNo = 0;
/** A fresh XDG home, optionally seeded; returns { dir, pidFile, wrapper }. */
function prepare(bin, { world = false, budget = null, env = "", stderr = null } = {}) {
  const dir = join(work, `launch-${++launchNo}`);
  const data = join(dir, "data", IDENT);
  const config = join(dir, "config", IDENT);
  mkdirSync(join(data, "sandbox"), { recursive: true });
  mkdirSync(config, { recursive: true });
  mkdirSync(join(dir, "cache"), { recursive: true });
  if (world) copyFileSync(world === true ? WORLD : world, join(data, "sandbox", "world.json"));
  if (budget) {
    const profile = {
      id: "sandbox",
      name: "Sandbox",
      kind: "sandbox",
      site: { type: "custom", url: "http://127.0.0.1/" },
      defaultRegion: "ap-guangzhou",
      language: "en-US",
      budget: { type: budget },
      readOnly: false,
      maskedSecretId: null,
      hasToken: false,
      lastRegion: null,
    };
    writeFileSync(
      join(config, "profiles.json"),
      JSON.stringify({
        schemaVersion: 1,
        activeProfile: "sandbox",
        profiles: [profile],
      }),
    );
  }
  const pidFile = join(dir, "pid");
  const wrapper = join(dir, "launch.sh");
  if (stderr === true) stderr = join(dir, "stderr");
  writeFileSync(
    wrapper,
    `#!/bin/sh
export XDG_CONFIG_HOME='${dir}/config' XDG_DATA_HOME='${dir}/data' XDG_CACHE_HOME='${dir}/cache' ${env}
echo $$ > '${pidFile}'
exec '${bin}' "$@"${stderr ? ` 2>'${stderr}'` : ""}
`,
  );
  chmodSync(wrapper, 0o755);
  return { dir, pidFile, wrapper, stderr };
}

async function open(launch) {
  const t0 = Date.now();
  const browser = await remote({
    hostname: "127.0.0.1",
    port: driverPort,
    logLevel: "error",
    connectionRetryCount: 0,
    connectionRetryTimeout: 120000,
    capabilities: { "tauri:options": { application: launch.wrapper } },
  });
  const session = Date.now() - t0;
  await browser.setTimeout({ script: 180000 });
  const pid = Number(readFileSync(launch.pidFile, "utf8").trim());
  return { browser, t0, session, pid };
}

async function close(s) {
  try {
    await s.browser.deleteSession();
  } catch {
    /* already gone */
  }
  for (let i = 0; i < 40; i++) {
    try {
      process.kill(s.pid, 0);
    } catch {
      return;
    }
    await sleep(50);
  }
  try {
    process.kill(s.pid, "SIGKILL");
  } catch {
    /* gone */
  }
}

/**
 * Waits in the page, frame by frame, until the condition `kind` holds (the app's CSP
 * forbids eval, so the conditions are written out here); gives the epoch time of that
 * frame and whether it held at once.
 */
function waitInPage(browser, kind, n = 0, timeoutMs = 170000) {
  return browser.executeAsync(
    (kind, n, timeoutMs, done) => {
      const test = () => {
        if (kind === "bare") return !!document.getElementById("ready");
        if (kind === "rows") return !!document.querySelector('[data-testid^="row-ins-"]');
        // "all": the count reads "N of N instances" (not "Loading … of N…"), N at least the
        // world's: the fleet adds the Sandbox's role accounts' own few instances.
        const el = document.querySelector('[data-testid="instance-count"]');
        if (!el || /…|\.\.\./.test(el.textContent)) return false;
        const nums = (el.textContent.replace(/[,.\u00a0\u202f]/g, "").match(/\d+/g) || []).map(
          Number,
        );
        return nums.length >= 2 && nums[0] === nums[1] && nums[0] >= n;
      };
      const start = performance.now();
      const already = test();
      const tick = () => {
        if (test()) {
          done({ at: performance.timeOrigin + performance.now(), already });
        } else if (performance.now() - start > timeoutMs) {
          done({ at: null, already });
        } else {
          requestAnimationFrame(tick);
        }
      };
      tick();
    },
    kind,
    n,
    timeoutMs,
  );
}

// For the bare page the element exists from the first parse: take the page's own
// load/paint time instead of the moment our script got in.
function paintedAt(browser) {
  return browser.execute(() => {
    const fcp = performance.getEntriesByName("first-contentful-paint")[0];
    const nav = performance.getEntriesByType("navigation")[0];
    const t = fcp?.startTime ?? nav?.loadEventEnd ?? nav?.domContentLoadedEventEnd ?? null;
    return t == null ? null : performance.timeOrigin + t;
  });
}

// ---- the measurements --------------------------------------------------------------------
// "app": a first start (no profiles.json yet); "app-returning": profiles.json exists,
// as on every later start. "bare-nocomp": the bare window with the WebKit setting the app
// picks for itself on a machine without a GPU (src-tauri/src/platform.rs), i.e. the bare
// window at its best here.
const isBare = (kind) => kind.startsWith("bare");
const binary = (kind) => (isBare(kind) ? BARE : kind.startsWith("baseline") ? BASELINE : APP);
async function coldStart(kind) {
  const launch = prepare(binary(kind), {
    budget: kind.endsWith("-returning") ? "current" : null,
    env: kind === "bare-nocomp" ? "WEBKIT_DISABLE_COMPOSITING_MODE=1" : "",
  });
  const s = await open(launch);
  let ready;
  if (!isBare(kind)) {
    const r = await waitInPage(s.browser, "rows");
    ready = r.already ? ((await paintedAt(s.browser)) ?? r.at) : r.at;
  } else {
    await waitInPage(s.browser, "bare");
    ready = await paintedAt(s.browser);
  }
  await sleep(3000); // settle: memory after start-up work is done
  const mem = treeMemory(s.pid);
  await close(s);
  return { ms: ready - s.t0, session: s.session, mem };
}

/**
 * The JavaScript heap of the web process, from JavaScriptCore's own GC log (`JSC_logGC=1`
 * in the app's environment, which WebKitWebProcess inherits): the live size after the last
 * full collection and after the last collection of any kind, and how many ran.
 */
function jsHeap(launch) {
  let text = "";
  try {
    text = readFileSync(launch.stderr, "utf8");
  } catch {
    return null;
  }
  // Each collection logs "… START <scope> <capacity>kb => EdenCollection|FullCollection …"
  // and ends with "… => <live size after it>kb, p=… END]", over several lines.
  const gcs = [];
  let kind = null;
  for (const m of text.matchAll(/=> (EdenCollection|FullCollection)|=> (\d+)kb, p=/g)) {
    if (m[1]) kind = m[1] === "FullCollection" ? "full" : "eden";
    else {
      gcs.push({ kind, afterKiB: Number(m[2]) });
      kind = null;
    }
  }
  const full = gcs.filter((g) => g.kind === "full");
  return {
    collections: gcs.length,
    full: full.length,
    lastKiB: gcs.at(-1)?.afterKiB ?? null,
    lastFullKiB: full.at(-1)?.afterKiB ?? null,
    maxKiB: gcs.length ? Math.max(...gcs.map((g) => g.afterKiB)) : null,
  };
}

async function listing(budget, { world = true, n = N, page = null, bin = APP } = {}) {
  // JavaScriptCore logs each collection with the heap's size after it (read by jsHeap).
  const launch = prepare(bin, { world, budget, env: "JSC_logGC=1", stderr: true });
  const s = await open(launch);
  if (page) {
    const nav = await s.browser.$(`[data-testid="nav-${page}"]`);
    await nav.waitForExist({ timeout: 60000 });
    await nav.click();
  }
  const first = await waitInPage(s.browser, "rows");
  const all = await waitInPage(s.browser, "all", n);
  const out = {
    budget,
    firstRowsMs: first.at - s.t0,
    allRowsMs: all.at == null ? null : all.at - s.t0,
    firstToAllMs: all.at == null ? null : all.at - first.at,
  };
  return { s, out, launch };
}

async function filterLatency(browser) {
  const input = await browser.$('[data-testid="instance-filter"]');
  await input.waitForExist({ timeout: 10000 });
  await input.click();
  await browser.execute(() => {
    // Listeners once per page: a second measurement in the same page only resets the samples.
    if (window.__perf) {
      window.__perf = { samples: [], dom: [] };
      return;
    }
    // Per keystroke: from keydown to the end of the first frame in which the rows shown
    // answer the new filter text (the count's data-filter follows the table's deferred
    // filter), and to the moment React's synchronous update reached the DOM.
    window.__perf = { samples: [], dom: [] };
    let key = null;
    const count = () => document.querySelector('[data-testid="instance-count"]');
    addEventListener("keydown", (e) => (key = e.timeStamp), true);
    addEventListener(
      "input",
      (e) => {
        const start = key ?? e.timeStamp;
        const want = e.target.value;
        key = null;
        // Runs after React's own input listener (bubble phase on window, last).
        addEventListener("input", () => window.__perf.dom.push(performance.now() - start), {
          once: true,
        });
        const check = () => {
          if (e.target.value !== want) return; // a later keystroke took over
          // A front end without data-filter renders the filter synchronously: the first
          // frame after the input event is the answer.
          const shows = count()?.dataset.filter;
          if (shows === undefined || shows === want)
            setTimeout(() => window.__perf.samples.push(performance.now() - start), 0);
          else requestAnimationFrame(check);
        };
        requestAnimationFrame(check);
      },
      true,
    );
  });
  const word = "web-prod";
  for (let round = 0; round < 3; round++) {
    for (const ch of word) {
      await browser.keys(ch);
      await sleep(120);
    }
    for (let i = 0; i < word.length; i++) {
      await browser.keys("Backspace");
      await sleep(120);
    }
  }
  await sleep(500);
  const samples = await browser.execute(() => window.__perf.samples);
  const dom = await browser.execute(() => window.__perf.dom);
  const counts = await browser.execute(
    () => document.querySelector('[data-testid="instance-count"]')?.textContent,
  );
  return {
    keystrokes: samples.length,
    p50: median(samples),
    p95: pct(samples, 95),
    max: Math.max(...samples),
    domP50: median(dom),
    domP95: pct(dom, 95),
    countAfter: counts,
    // Every sample, so rounds can be pooled.
    samples,
  };
}

// ---- Cloud Monitor: sparklines over 10,000 rows, detail charts ---------------------------

/** GetMonitorData calls so far (the app's activity log, over the real IPC path). */
function monitorCalls(browser) {
  return browser.executeAsync((done) => {
    window.__TAURI_INTERNALS__
      .invoke("activity_log", {
        filter: {
          profileId: null,
          region: null,
          result: null,
          text: "GetMonitorData",
          limit: 100000,
        },
      })
      .then(
        (entries) => done(entries.filter((e) => e.action === "GetMonitorData").length),
        (e) => done(`error: ${JSON.stringify(e)}`),
      );
  });
}

/**
 * Scrolls the list to `top` and waits, frame by frame, until every row in view has its
 * sparkline (or "no data"); gives the time from the scroll to that frame.
 */
function scrollAndWaitSparks(browser, top) {
  return browser.executeAsync((top, done) => {
    const box = document.querySelector(".itable-scroll");
    const t0 = performance.now();
    box.scrollTop = top;
    const inView = () => {
      const r = box.getBoundingClientRect();
      const head = box.querySelector(".itable-head")?.getBoundingClientRect().bottom ?? r.top;
      return [...box.querySelectorAll('[data-testid^="row-ins-"]')].filter((row) => {
        const b = row.getBoundingClientRect();
        return b.top >= head - 1 && b.bottom <= r.bottom + 1;
      });
    };
    const tick = () => {
      const rows = inView();
      const pending = rows.filter(
        (row) => row.querySelector('[data-testid^="spark-"]')?.hasAttribute("aria-busy") !== false,
      );
      if (rows.length > 0 && pending.length === 0)
        done({ ms: performance.now() - t0, rows: rows.length });
      else if (performance.now() - t0 > 30000) done({ ms: null, rows: rows.length });
      else requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  }, top);
}

async function toggleCpuColumn(browser) {
  await (await browser.$('[data-testid="columns-button"]')).click();
  await (await browser.$('[data-testid="column-toggle-cpu"]')).click();
  await (await browser.$('[data-testid="columns-button"]')).click();
}

async function sparklineBench(browser) {
  const out = { screens: [], filter: { without: [], with: [] } };
  // Keystroke filtering without the column, then with it, twice each (same page, same run).
  for (let round = 0; round < 2; round++) {
    out.filter.without.push(await filterLatency(browser));
    await toggleCpuColumn(browser); // on
    await sleep(1500);
    out.filter.with.push(await filterLatency(browser));
    await toggleCpuColumn(browser); // off
    await sleep(500);
  }
  await toggleCpuColumn(browser); // on, for the scrolling below
  const height = await browser.execute(() => document.querySelector(".itable-scroll").clientHeight);
  // Screen by screen, resting on each: calls made for it and time until its sparklines show.
  for (let i = 1; i <= 20; i++) {
    const before = await monitorCalls(browser);
    const r = await scrollAndWaitSparks(browser, i * 3 * height);
    await sleep(400); // calls still arriving for this screen are counted with it
    out.screens.push({ ...r, calls: (await monitorCalls(browser)) - before });
  }
  // A fling: 30 screens, one per frame (in the page, so no WebDriver round trip between
  // steps; the list waits 150 ms of rest before asking), then rest.
  const before = await monitorCalls(browser);
  const start = 200 * height;
  await browser.executeAsync(
    (start, height, done) => {
      const box = document.querySelector(".itable-scroll");
      let i = 0;
      const step = () => {
        box.scrollTop = start + i * height;
        if (++i < 30) requestAnimationFrame(step);
        else done();
      };
      requestAnimationFrame(step);
    },
    start,
    height,
  );
  const fling = await scrollAndWaitSparks(browser, start + 30 * height);
  await sleep(400);
  out.fling = { screens: 30, ...fling, calls: (await monitorCalls(browser)) - before };
  await toggleCpuColumn(browser); // off again
  return out;
}

/** Clicks an instance's name and gives the time until its CPU chart's first paint. */
function openToFirstChart(browser, id) {
  return browser.executeAsync((id, done) => {
    const t0 = performance.now();
    document.querySelector(`[data-testid="open-${id}"]`).click();
    const tick = () => {
      const el = document.querySelector(
        '[data-testid="chart-CPUUsage"] .metric-plot[data-painted-at]',
      );
      if (el) done({ ms: Number(el.dataset.paintedAt) - t0, drawMs: Number(el.dataset.drawMs) });
      else if (performance.now() - t0 > 60000) done({ ms: null });
      else requestAnimationFrame(tick);
    };
    tick();
  }, id);
}

/**
 * uPlot drawing 10,080 points (7 days at one minute) in this WebKit, with the app's own
 * chart module (the chunk the detail view loaded) and stylesheet: building the chart and
 * its first paint, and repaints after a resize (paths rebuilt, as the app repaints), each
 * timed in the page. The app's way alternates, chart by chart, with the alternatives the
 * chart module can draw (`variant`), so all are measured under the same load.
 */
function drawBench(browser, points, runs) {
  return browser.executeAsync(
    (points, runs, done) => {
      const link = [...document.querySelectorAll('link[rel="modulepreload"]')].find((l) =>
        /uplotChart-/.test(l.href),
      );
      if (!link) return done({ error: "the chart module is not loaded" });
      import(link.href).then(
        async ({ drawChart }) => {
          const host = document.createElement("div");
          host.style.width = "800px";
          document.body.append(host);
          const to = Math.floor(Date.now() / 60000) * 60;
          const from = to - (points - 1) * 60;
          const ts = Array.from({ length: points }, (_, i) => from + i * 60);
          const wave = (k) =>
            ts.map((_, i) => 50 + 35 * Math.sin((i + k) / 200) + 8 * Math.sin(i * 1.7 + k));
          // "app": what the app draws (the defaults; for this dense series a 1-pixel line
          // through what each pixel column can show, no area under it). The others change
          // one thing each, and the last is the way before: every point handed to uPlot,
          // a 1.5-pixel line, the area under it.
          const modes = {
            app: {},
            "with the area": { area: true },
            "1.5 px line": { lineWidth: 1.5 },
            "before: every point, 1.5 px line, the area": {
              pixelColumns: false,
              lineWidth: 1.5,
              area: true,
            },
          };
          const names = Object.keys(modes);
          const res = {};
          // `layout`: the app's way paints the laid-out chart without its points first.
          for (const m of names) res[m] = { build: [], paint: [], repaint: [], layout: [] };
          // Where a paint's time goes: the canvas calls timed in place (rasterising the
          // line, filling, drawing text), the rest being uPlot's own JavaScript (scales,
          // ticks, building the path). Summed over every paint and repaint of each mode.
          const canvasMs = { stroke: 0, fill: 0, fillText: 0, clearRect: 0, other: 0 };
          const proto = CanvasRenderingContext2D.prototype;
          const originals = {};
          for (const name of [
            "stroke",
            "fill",
            "fillText",
            "clearRect",
            "fillRect",
            "measureText",
          ]) {
            originals[name] = proto[name];
            const bucket = name in canvasMs ? name : "other";
            proto[name] = function (...args) {
              const t = performance.now();
              try {
                return originals[name].apply(this, args);
              } finally {
                canvasMs[bucket] += performance.now() - t;
              }
            };
          }
          const profile = {};
          for (const m of names) profile[m] = { paintMs: 0, paints: 0, canvas: {} };
          const settle = () => new Promise((res) => setTimeout(res, 0));
          for (let r = 0; r < runs; r++) {
            for (let j = 0; j < names.length; j++) {
              // Each round starts with the next mode, so none is always first after a pause.
              const mode = names[(j + r) % names.length];
              const { build, paint, repaint, layout } = res[mode];
              host.replaceChildren();
              const paints = [];
              for (const k of Object.keys(canvasMs)) canvasMs[k] = 0;
              const t0 = performance.now();
              const chart = drawChart(host, {
                variant: modes[mode],
                timestamps: ts,
                values: wave(r),
                period: 60,
                unit: "%",
                label: "CPU",
                timeLabel: "Time",
                locale: "en",
                withDate: true,
                from,
                to,
                width: 800,
                height: 200,
                onDraw: (ms, n) => {
                  paints.push(ms);
                  if (n === 0) layout.push(ms);
                },
              });
              // uPlot lays out and paints in microtasks after construction.
              await settle();
              build.push(performance.now() - t0);
              // Every paint of the task counts (the app's way paints the layout, then the
              // line, before the frame is shown).
              const sum = () => (paints.length ? paints.reduce((a, b) => a + b, 0) : null);
              paint.push(sum());
              for (let k = 1; k <= 3; k++) {
                paints.length = 0;
                chart.resize(k % 2 ? 799 : 800, 200);
                await settle();
                repaint.push(sum());
              }
              chart.destroy();
              const p = profile[mode];
              const mine = [paint.at(-1), ...repaint.slice(-3)];
              p.paintMs += mine.reduce((a, b) => a + (b ?? 0), 0);
              p.paints += mine.length;
              for (const [k, v] of Object.entries(canvasMs)) p.canvas[k] = (p.canvas[k] ?? 0) + v;
            }
          }
          for (const [name, f] of Object.entries(originals)) proto[name] = f;
          host.remove();
          done({ points, modes: res, profiles: profile });
        },
        (e) => done({ error: String(e) }),
      );
    },
    points,
    runs,
  );
}

async function chartBench(browser) {
  const open = [];
  const seen = [];
  for (let i = 0; i < 6; i++) {
    // A running instance in view that was not opened yet (each has its own query).
    const id = await browser.execute(
      (seen) =>
        [...document.querySelectorAll('[data-testid^="row-ins-"][data-state="RUNNING"]')]
          .map((r) => r.dataset.testid.slice(4))
          .find((x) => !seen.includes(x)),
      seen,
    );
    if (!id) break;
    seen.push(id);
    open.push({ id, ...(await openToFirstChart(browser, id)) });
    await (await browser.$('[data-testid="detail-back"]')).click();
    await browser.$('[data-testid^="row-ins-"]').waitForExist({ timeout: 60000 });
  }
  // The chart module is loaded now (the detail views above).
  const draw = await drawBench(browser, 10080, 15);
  return { open, draw };
}

async function metricsRun() {
  const launch = prepare(APP, { world: true, budget: "current" });
  const s = await open(launch);
  try {
    await waitInPage(s.browser, "all", N);
    const sparklines = await sparklineBench(s.browser);
    log("sparklines:", JSON.stringify(sparklines));
    await s.browser.execute(() => (document.querySelector(".itable-scroll").scrollTop = 0));
    const charts = await chartBench(s.browser);
    log("charts:", JSON.stringify(charts));
    return { sparklines, charts, loadAverage: readFileSync("/proc/loadavg", "utf8").trim() };
  } finally {
    await close(s);
  }
}

// ---- the run -----------------------------------------------------------------------------
await startDriver();
if (opts.only === "metrics") {
  try {
    results.metrics = await metricsRun();
  } finally {
    driver?.kill("SIGTERM");
    rmSync(work, { recursive: true, force: true });
  }
  writeFileSync(join(OUT, "metrics.json"), JSON.stringify(results.metrics, null, 2));
  console.log(JSON.stringify(results.metrics, null, 2));
  process.exit(0);
}
try {
  // --only filter: the 10,000-row listing and filtering alone (no cold starts, no seed).
  // --only fleet: the same, the bare window's cold start, and the 30,000-row fleet.
  const ONLY_FLEET = opts.only === "fleet";
  const ONLY_FILTER = opts.only === "filter" || ONLY_FLEET;
  // Cold start and idle memory, alternating so load drifts hit both alike.
  const kinds = ONLY_FLEET ? ["bare"] : ["bare", "app", "app-returning", "bare-nocomp"];
  if (BASELINE && !ONLY_FILTER) kinds.push("baseline", "baseline-returning");
  const cold = Object.fromEntries(kinds.map((k) => [k, []]));
  for (let i = 0; i < (ONLY_FILTER && !ONLY_FLEET ? 0 : RUNS); i++) {
    for (const kind of kinds) {
      const r = await coldStart(kind);
      cold[kind].push(r);
      log(
        `cold start ${kind} #${i + 1}: ${r.ms.toFixed(0)} ms (session ${r.session} ms), RSS ${r.mem.rssKiB} KiB, PSS ${r.mem.pssKiB} KiB`,
      );
    }
  }
  results.cold = {};
  for (const kind of ONLY_FILTER && !ONLY_FLEET ? [] : kinds) {
    results.cold[kind] = {
      medianMs: median(cold[kind].map((r) => r.ms)),
      minMs: Math.min(...cold[kind].map((r) => r.ms)),
      maxMs: Math.max(...cold[kind].map((r) => r.ms)),
      medianSessionMs: median(cold[kind].map((r) => r.session)),
      idleRssKiB: median(cold[kind].map((r) => r.mem.rssKiB)),
      idlePssKiB: median(cold[kind].map((r) => r.mem.pssKiB)),
      processes: cold[kind][0].mem.processes,
      idleRssKiBByProcess: cold[kind].at(-1).mem.rssKiBByProcess,
    };
  }

  // 10,000 instances under the `current` budget: listing, memory, then filtering; with
  // --only fleet, also the fleet view over a world of FLEET_N instances (several regions).
  // A baseline build is measured the same way, alternating with the app (which goes first
  // changes round by round), `--rounds N` times (1).
  const ROUNDS = Number(opts.rounds ?? 1);
  const measured = async (key, bin, fleet) => {
    const { s, out, launch } = await listing(
      "current",
      fleet ? { world: FLEET_WORLD, n: FLEET_N, page: "fleet", bin } : { bin },
    );
    out.countText = await s.browser.execute(
      () => document.querySelector('[data-testid="instance-count"]')?.textContent ?? "",
    );
    log(
      `${key}: listing first rows ${out.firstRowsMs?.toFixed(0)} ms, all ${out.allRowsMs?.toFixed(0)} ms (${out.countText})`,
    );
    await sleep(3000);
    out.memory = treeMemory(s.pid);
    out.jsHeap = jsHeap(launch);
    // --trim-probe: how much of the app process's RSS is memory its allocator holds but
    // no longer uses (glibc's malloc_trim, called through gdb after the reading above).
    if (opts["trim-probe"]) {
      await new Promise((res) =>
        spawn("gdb", ["-p", String(s.pid), "-batch", "-ex", "call (int)malloc_trim(0)"], {
          stdio: "ignore",
        }).once("exit", res),
      );
      await sleep(500);
      out.memoryAfterTrim = treeMemory(s.pid);
      log(`${key}: after malloc_trim in the app process: ${JSON.stringify(out.memoryAfterTrim)}`);
    }
    // The rows as the backend sends them (the cached lists, InstanceView per row), for
    // perf/row-heap.py to measure in JavaScriptCore outside the app.
    if (fleet && opts["dump-rows"] && key === "fleet") {
      const lists = await s.browser.executeAsync((done) =>
        window.__TAURI_INTERNALS__.invoke("cached_fleet", { targets: null }).then(
          (l) => done(JSON.stringify(l)),
          (e) => done(`error: ${JSON.stringify(e)}`),
        ),
      );
      writeFileSync(resolve(opts["dump-rows"]), lists);
    }
    log(
      `${key}: memory listed: RSS ${out.memory.rssKiB} KiB (${JSON.stringify(out.memory.rssKiBByProcess)}), PSS ${out.memory.pssKiB} KiB, JS heap ${JSON.stringify(out.jsHeap)}`,
    );
    out.filter = await filterLatency(s.browser);
    await sleep(2000);
    out.jsHeapAfterFilter = jsHeap(launch);
    copyFileSync(launch.stderr, join(OUT, `${key}-${(results.rounds[key] ?? []).length}.stderr`));
    log(
      `${key}: JS heap after filtering ${JSON.stringify(out.jsHeapAfterFilter)}; filter p50 ${out.filter.p50.toFixed(1)} ms, p95 ${out.filter.p95.toFixed(1)} ms over ${out.filter.keystrokes}`,
    );
    await close(s);
    return fleet ? { rows: FLEET_N, ...out } : out;
  };
  const builds = [
    ["current", APP, false],
    ...(BASELINE ? [["baselineCurrent", BASELINE, false]] : []),
    ...(ONLY_FLEET && FLEET_WORLD
      ? [["fleet", APP, true], ...(BASELINE ? [["baselineFleet", BASELINE, true]] : [])]
      : []),
  ];
  results.rounds = {};
  for (let round = 0; round < ROUNDS; round++) {
    // Pairs (app, baseline) in turn; inside a pair, the first changes each round.
    for (let b = 0; b < builds.length; b += BASELINE ? 2 : 1) {
      const pair = builds.slice(b, b + (BASELINE ? 2 : 1));
      if (round % 2 === 1) pair.reverse();
      for (const [key, bin, fleet] of pair) {
        const out = await measured(key, bin, fleet);
        (results.rounds[key] ??= []).push(out);
        results[key] = out;
      }
    }
  }
  // And under `seed` (a minute, by design).
  if (!ONLY_FILTER) {
    const { s, out } = await listing("seed");
    log(
      `listing (seed): first rows ${out.firstRowsMs?.toFixed(0)} ms, all ${out.allRowsMs?.toFixed(0)} ms`,
    );
    results.seed = out;
    await close(s);
  }
} finally {
  driver?.kill("SIGTERM");
  rmSync(work, { recursive: true, force: true });
}
writeFileSync(
  join(OUT, opts.only === "fleet" ? "fleet.json" : "app.json"),
  JSON.stringify(results, null, 2),
);
console.log(JSON.stringify(results, null, 2));
