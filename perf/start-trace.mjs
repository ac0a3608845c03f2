// Where a cold start's time goes, from the process's first instruction to the first rows:
// the app is launched through WebDriver as app-bench.mjs launches it, but under
// `strace -f` (process starts, connections, file opens, on the wall clock), and the page's
// own timings (navigation, paint, first row) are read on the same clock.
//
//   node perf/start-trace.mjs --app BIN --out DIR [--runs N] [--returning 1]
//
// Run it inside the same private display, D-Bus session and keyring as app-bench.mjs
// (`scripts/perf trace` does). Prints one timeline per launch, in ms after the exec.
import { spawn } from "node:child_process";
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createConnection, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { opts, remote, root } from "./common.mjs";

const APP = resolve(opts.app);
const OUT = resolve(opts.out ?? join(root, "target-crates/perf"));
const RUNS = Number(opts.runs ?? 3);
const RETURNING = opts.returning === "1";
const IDENT = "com.cvmconsole.desktop";
mkdirSync(OUT, { recursive: true });
const work = mkdtempSync(join(tmpdir(), "cvm-start-trace-"));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const freePort = () =>
  new Promise((res, rej) => {
    const srv = createServer();
    srv.once("error", rej);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
const portOpen = (port) =>
  new Promise((res) => {
    const s = createConnection({ host: "127.0.0.1", port });
    s.once("connect", () => (s.destroy(), res(true)));
    s.once("error", () => res(false));
  });

const driverPort = await freePort();
const driver = spawn(
  "tauri-driver",
  ["--port", String(driverPort), "--native-port", String(await freePort())],
  {
    stdio: ["ignore", openSync(join(OUT, "start-trace-driver.log"), "w"), "inherit"],
  },
);
for (let i = 0; i < 300 && !(await portOpen(driverPort)); i++) await sleep(50);

/** Milestones in an `strace -f -ttt` log: [epoch ms, label]. */
function milestones(log) {
  const out = [];
  const seen = new Set();
  const once = (key, t, label) => {
    if (seen.has(key)) return;
    seen.add(key);
    out.push([t, label]);
  };
  let execs = 0;
  for (const line of log.split("\n")) {
    const m = /^(\d+)\s+(\d+\.\d+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const pid = m[1];
    const t = Number(m[2]) * 1000;
    const call = m[3];
    let x;
    if ((x = /^execve\("([^"]+)"/.exec(call)) && !call.includes("ENOENT")) {
      const name = x[1].split("/").pop();
      if (name === "cvm-console" || name === "bare-window") {
        execs++;
        out.push([t, execs === 1 ? `exec ${name}` : `re-exec ${name} (#${execs})`]);
      } else out.push([t, `exec ${name} (pid ${pid})`]);
    } else if ((x = /^connect\(\d+, \{sa_family=AF_UNIX, sun_path=@?"([^"]+)"/.exec(call))) {
      once(`connect ${pid} ${x[1]}`, t, `connect ${x[1]} (pid ${pid})`);
    } else if ((x = /^connect\(\d+, \{sa_family=AF_INET, sin_port=htons\((\d+)\)/.exec(call))) {
      once(`tcp ${pid} ${x[1]}`, t, `connect 127.0.0.1:${x[1]} (pid ${pid})`);
    } else if ((x = /^openat\([^,]+, "([^"]+)"/.exec(call))) {
      const p = x[1];
      if (/libwebkit2gtk/.test(p)) once(`webkit ${pid}`, t, `open libwebkit2gtk (pid ${pid})`);
      else if (
        /profiles\.json|world\.json|instances-cache|\.log$|cache\//.test(p) &&
        !/ENOENT/.test(call)
      )
        once(`file ${p}`, t, `open ${p.replace(work, "…")} (pid ${pid})`);
      else if (/at-spi|a11y/.test(p)) once(`a11y ${pid}`, t, `open ${p} (pid ${pid})`);
    } else if (/^exit_group/.test(call)) {
      // ignored: exits after the page are not part of the start
    }
  }
  return out.sort((a, b) => a[0] - b[0]);
}

const runs = [];
try {
  for (let i = 1; i <= RUNS; i++) {
    const dir = join(work, `launch-${i}`);
    const config = join(dir, "config", IDENT);
    mkdirSync(config, { recursive: true });
    mkdirSync(join(dir, "data", IDENT), { recursive: true });
    mkdirSync(join(dir, "cache"), { recursive: true });
    if (RETURNING)
      writeFileSync(
        join(config, "profiles.json"),
        JSON.stringify({
          schemaVersion: 1,
          activeProfile: "sandbox",
          profiles: [
            {
              id: "sandbox",
              name: "Sandbox",
              kind: "sandbox",
              site: { type: "custom", url: "http://127.0.0.1/" },
              defaultRegion: "ap-guangzhou",
              language: "en-US",
              budget: { type: "current" },
              readOnly: false,
              maskedSecretId: null,
              hasToken: false,
              lastRegion: null,
            },
          ],
        }),
      );
    const trace = join(OUT, `start-trace-${i}.strace`);
    const wrapper = join(dir, "launch.sh");
    writeFileSync(
      wrapper,
      `#!/bin/sh
export XDG_CONFIG_HOME='${dir}/config' XDG_DATA_HOME='${dir}/data' XDG_CACHE_HOME='${dir}/cache'
exec strace -f -ttt -qq --seccomp-bpf -o '${trace}' -e trace=execve,connect,openat,exit_group '${APP}' "$@"
`,
    );
    chmodSync(wrapper, 0o755);
    const t0 = Date.now();
    const browser = await remote({
      hostname: "127.0.0.1",
      port: driverPort,
      logLevel: "error",
      connectionRetryCount: 0,
      connectionRetryTimeout: 120000,
      capabilities: { "tauri:options": { application: wrapper } },
    });
    const session = Date.now();
    await browser.setTimeout({ script: 60000 });
    const firstRow = await browser.executeAsync((done) => {
      const tick = () =>
        document.querySelector('[data-testid^="row-ins-"], #ready')
          ? done(performance.timeOrigin + performance.now())
          : requestAnimationFrame(tick);
      tick();
    });
    const page = await browser.execute(() => {
      const nav = performance.getEntriesByType("navigation")[0];
      const fcp = performance.getEntriesByName("first-contentful-paint")[0];
      const o = performance.timeOrigin;
      return {
        origin: o,
        responseEnd: nav ? o + nav.responseEnd : null,
        domInteractive: nav ? o + nav.domInteractive : null,
        domContentLoaded: nav ? o + nav.domContentLoadedEventEnd : null,
        fcp: fcp ? o + fcp.startTime : null,
      };
    });
    await sleep(1500);
    try {
      await browser.deleteSession();
    } catch {
      /* gone */
    }
    await sleep(1000);
    const events = milestones(readFileSync(trace, "utf8"));
    events.push(
      [t0, "WebDriver session requested"],
      [session, "WebDriver session started"],
      [page.origin, "page: navigation start (timeOrigin)"],
      [page.responseEnd, "page: document received"],
      [page.domInteractive, "page: DOM interactive"],
      [page.domContentLoaded, "page: scripts run (DOMContentLoaded end)"],
      [page.fcp, "page: first contentful paint"],
      [firstRow, "page: first frame with an instance row"],
    );
    const list = events.filter(([t]) => t != null).sort((a, b) => a[0] - b[0]);
    const exec = list.find(([, l]) => l.startsWith("exec "))?.[0] ?? t0;
    // The epoch times let a system-wide profile taken on CLOCK_REALTIME be cut into these
    // phases (perf/profile-phases.py).
    console.log(`\nlaunch ${i}${RETURNING ? " (returning user)" : ""}: exec at ${exec} (epoch ms)`);
    for (const [t, l] of list) console.log(`EPOCH ${t.toFixed(1)} ${l}`);
    for (const [t, l] of list) console.log(`${(t - exec).toFixed(0).padStart(7)} ms  ${l}`);
    runs.push(list.map(([t, l]) => ({ ms: t - exec, what: l })));
  }
} finally {
  driver.kill("SIGTERM");
  rmSync(work, { recursive: true, force: true });
}
writeFileSync(join(OUT, "start-trace.json"), JSON.stringify(runs, null, 2));
