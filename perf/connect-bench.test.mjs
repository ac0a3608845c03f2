// Connect's benchmarks in the real app under WebDriver, each beside OpenSSH's own `ssh`
// client doing the same in the same run. Started by `scripts/perf connect` through
// tests/e2e/run (Xvfb, private D-Bus and keyring, fresh HOME). Measures, never asserts:
//
//   click to prompt   from the Connect click to the shell's prompt on screen, against the
//                     Sandbox's SSH endpoint and against Debian's sshd on loopback
//                     (ssh: from spawning `ssh -tt` to the prompt on its stdout)
//   throughput        `cat` of a 10 MB text file until the line after it is on screen
//                     (ssh: until it is on ssh's stdout, nothing drawn)
//   echo latency      one key sent to the session until its echo is drawn, 200 keys, p50
//                     and p95 (ssh: a byte written to ssh's stdin until it comes back)
//   output decoding   in the web view, one 32 KiB output chunk of printable text as the
//                     page receives it: a JSON number array (the earlier form: parse, then
//                     Uint8Array.from) against raw bytes (an ArrayBuffer: a view on it),
//                     with the size each form puts on the IPC
//
// Figures go to $CVM_PERF_OUT/connect.json (default target-crates/perf) and stdout.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, afterEach, before, describe, it } from "node:test";
import {
  CHANNEL,
  click,
  confirmDialog,
  gone,
  invoke,
  repoRoot,
  textOf,
  typeInto,
  useApp,
} from "../tests/e2e/lib/harness.mjs";
import { startSshd } from "../tests/e2e/lib/connect.mjs";

const keyDir = mkdtempSync(join(tmpdir(), "cvm-perf-connect-keys-"));
process.env.CVM_CONSOLE_E2E_KEY_DIR = keyDir;
const OUT = resolve(process.env.CVM_PERF_OUT ?? join(repoRoot, "target-crates/perf"));
const REGION = "ap-guangzhou";
const RUNS = Number(process.env.CVM_PERF_CONNECT_RUNS ?? 7);
// Only the tests whose name contains this (all when unset).
const ONLY = process.env.CVM_PERF_CONNECT_ONLY ?? "";
const measure = (name, fn) => (name.includes(ONLY) ? it(name, fn) : it.skip(name, fn));
const KEYS = 200;
const SIZE = 10 * 1024 * 1024;
const results = { runs: RUNS, keys: KEYS, bytes: SIZE, load: null };

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const pct = (xs, p) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)];
const round = (x) => Math.round(x * 10) / 10;
const PROMPT = /[#$]\s*$/;

/** An interactive `ssh -tt` with its output collected; `until(re)` waits for it. */
function openssh(args) {
  const t0 = performance.now();
  const child = spawn(
    "ssh",
    [
      "-tt",
      "-o",
      "StrictHostKeyChecking=no",
      "-o",
      "UserKnownHostsFile=/dev/null",
      "-o",
      "LogLevel=ERROR",
      ...args,
    ],
    { stdio: ["pipe", "pipe", "ignore"] },
  );
  let out = "";
  let waiter = null;
  child.stdout.setEncoding("latin1");
  child.stdout.on("data", (d) => {
    out += d;
    if (waiter && waiter.re.test(out)) {
      const w = waiter;
      waiter = null;
      w.resolve(performance.now());
    }
  });
  return {
    t0,
    until(re) {
      if (re.test(out)) return Promise.resolve(performance.now());
      return new Promise((r) => (waiter = { re, resolve: r }));
    },
    clear() {
      out = "";
    },
    write: (s) => child.stdin.write(s),
    close: () => child.kill("SIGTERM"),
  };
}

/** The app: connect-submit clicked in the page until a new tab shows a prompt (ms). */
function clickToPrompt(browser) {
  return browser.executeAsync((done) => {
    const before = document.querySelectorAll(".terminal-view").length;
    const t0 = performance.now();
    document.querySelector('[data-testid="connect-submit"]').click();
    const check = () => {
      const views = document.querySelectorAll(".terminal-view");
      if (views.length > before) {
        const text = views[views.length - 1].querySelector(".xterm-rows")?.innerText ?? "";
        const last = text.trimEnd().split("\n").pop() ?? "";
        if (/[#$]$/.test(last)) return done(performance.now() - t0);
      }
      setTimeout(check, 2);
    };
    check();
  });
}

/**
 * Sends `data` to the active session in the page and times until `re` is on screen. The
 * page records the time itself; WebDriver only polls for it (a 10 MB `cat` drawn by the
 * terminal outlasts one script call's timeout).
 */
async function inputUntil(browser, data, reSource) {
  await browser.execute(
    (data, reSource) => {
      window.__benchMs = null;
      const view = [...document.querySelectorAll(".terminal-view")].find((v) => !v.hidden);
      const rows = view.querySelector(".xterm-rows");
      const re = new RegExp(reSource, "m");
      const t0 = performance.now();
      const obs = new MutationObserver(() => {
        if (re.test(rows.innerText)) {
          obs.disconnect();
          window.__benchMs = performance.now() - t0;
        }
      });
      obs.observe(rows, {
        childList: true,
        subtree: true,
        characterData: true,
      });
      window.__TAURI_INTERNALS__.invoke("session_input", {
        sessionId: view.dataset.session,
        data,
      });
    },
    data,
    reSource,
  );
  let ms = null;
  await browser.waitUntil(
    async () => {
      ms = await browser.execute(() => window.__benchMs);
      return ms !== null;
    },
    { timeout: 600000, interval: 100, timeoutMsg: `never saw ${reSource}` },
  );
  return ms;
}

/** Echo latency in the page: one key at a time, each until the prompt line grew by it. */
function echoLatencies(browser, n) {
  return browser.executeAsync(async (n, done) => {
    const view = [...document.querySelectorAll(".terminal-view")].find((v) => !v.hidden);
    const rows = view.querySelector(".xterm-rows");
    const send = (data) =>
      window.__TAURI_INTERNALS__.invoke("session_input", {
        sessionId: view.dataset.session,
        data,
      });
    const count = () => (rows.innerText.trimEnd().split("\n").pop()?.match(/x/g) ?? []).length;
    const out = [];
    for (let i = 0; i < n; i++) {
      if (i % 40 === 0) {
        // Start a fresh line now and then (Ctrl+U), so the line never wraps.
        await send("\x15");
        await new Promise((r) => setTimeout(r, 50));
      }
      const had = count();
      const t0 = performance.now();
      await new Promise((resolve) => {
        const obs = new MutationObserver(() => {
          if (count() > had) {
            obs.disconnect();
            resolve();
          }
        });
        obs.observe(rows, {
          childList: true,
          subtree: true,
          characterData: true,
        });
        void send("x");
      });
      out.push(performance.now() - t0);
    }
    await send("\x15");
    done(out);
  }, n);
}

async function opensshEcho(ssh, n) {
  const out = [];
  for (let i = 0; i < n; i++) {
    if (i % 40 === 0) {
      ssh.write("\x15");
      await new Promise((r) => setTimeout(r, 50));
    }
    ssh.clear();
    const t0 = performance.now();
    ssh.write("x");
    out.push((await ssh.until(/x/)) - t0);
  }
  ssh.write("\x15");
  return out;
}

function summary(xs) {
  return {
    median: round(median(xs)),
    p95: round(pct(xs, 95)),
    min: round(Math.min(...xs)),
    max: round(Math.max(...xs)),
  };
}

describe("connect benchmarks", () => {
  const app = useApp({ before, after, afterEach });
  let sshd;
  let profile;
  let target;
  let keyFile;
  let file;

  before(async () => {
    sshd = await startSshd();
    file = join(sshd.dir, "ten-mb.txt");
    // 10 MB of printable lines (base64), so the terminal draws every byte.
    await new Promise((res, rej) =>
      spawn("sh", ["-c", `base64 -w 76 /dev/urandom | head -c ${SIZE} > '${file}'`]).once(
        "exit",
        (c) => (c === 0 ? res() : rej(new Error("no test file"))),
      ),
    );
    const b = app.browser;
    assert.ok((await invoke(b, "set_active_profile", { id: "sandbox" })).ok);
    await b.refresh();
    profile = (await invoke(b, "list_profiles")).data.active;
    const created = await invoke(b, "create_key_pair", {
      scope: { profile, region: REGION },
      name: `bench_${Date.now().toString(36)}`,
      dialogTitle: "",
    });
    assert.ok(created.ok, created.error);
    keyFile = created.data.savedTo;
    const list = await invoke(b, "list_instances", {
      scope: { profile, region: REGION },
      zone: null,
      onPage: CHANNEL,
    });
    assert.ok(list.ok, list.error);
    // A running Linux instance with a public IP, from the listing just cached.
    const cached = await invoke(b, "cached_instances", {
      scope: { profile, region: REGION },
    });
    target = cached.data.instances.find(
      (i) => i.state === "RUNNING" && i.publicIps.length > 0 && !/windows/i.test(i.osName ?? ""),
    );
    assert.ok(target, "a running Linux instance");
    const bound = await invoke(b, "bind_key_pair", {
      scope: { profile, region: REGION },
      keyId: created.data.keyPair.id,
      instanceIds: [target.id],
      forceStop: true,
    });
    assert.ok(bound.ok, bound.error);
    await b.waitUntil(
      async () =>
        (
          await invoke(b, "describe_instance", {
            scope: { profile, region: REGION },
            instanceId: target.id,
          })
        ).data.summary.state === "RUNNING",
      { timeout: 90000, interval: 1000 },
    );
    // Both host keys trusted once, so every measured connection goes straight in.
    await trustOnce("sandbox");
    await trustOnce("sshd");
    results.load = readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
  });

  after(async () => {
    await sshd?.stop();
    mkdirSync(OUT, { recursive: true });
    writeFileSync(join(OUT, "connect.json"), JSON.stringify(results, null, 2));
    console.log(JSON.stringify(results, null, 2));
  });

  /** Opens the connect dialog for the Sandbox instance or the sshd, filled in. */
  async function dialog(kind) {
    const b = app.browser;
    if (kind === "sandbox") {
      await click(b, "nav-instances");
      await textOf(b, `open-${target.id}`, 30000);
      await b.execute(
        (i) => document.querySelector(`[data-testid="connect-${i}"]`).click(),
        target.id,
      );
      await textOf(b, "connect-dialog");
      await click(b, "connect-method-keyFile");
      await typeInto(b, "connect-key-file", keyFile);
    } else {
      await click(b, "nav-terminals");
      await click(b, "connect-host");
      await typeInto(b, "connect-host-host", "127.0.0.1");
      await typeInto(b, "connect-host-port", String(sshd.port));
      await typeInto(b, "connect-host-user", sshd.user);
      await click(b, "connect-method-keyFile");
      await typeInto(b, "connect-key-file", sshd.key);
    }
  }

  async function closeTabs() {
    const b = app.browser;
    await b.execute(() => {
      for (const x of document.querySelectorAll('[data-testid^="terminal-close-"]')) x.click();
    });
    await b.waitUntil(() => b.execute(() => !document.querySelector(".terminal-view")), {
      timeout: 5000,
    });
  }

  async function trustOnce(kind) {
    const b = app.browser;
    await dialog(kind);
    await click(b, "connect-submit");
    await confirmDialog(b, "host-key-unknown", 30000);
    await click(b, "confirm-ok");
    await gone(b, "connect-dialog", 30000);
    await closeTabs();
  }

  measure("click to prompt: the app against OpenSSH's ssh", async () => {
    const b = app.browser;
    for (const kind of ["sandbox", "sshd"]) {
      const app_ = [];
      const ssh = [];
      for (let i = 0; i < RUNS; i++) {
        await dialog(kind);
        app_.push(await clickToPrompt(b));
        await closeTabs();
        const args =
          kind === "sandbox"
            ? ["-i", keyFile, "-p", (await sandboxAddr()).split(":")[1], `${target.id}@127.0.0.1`]
            : ["-i", sshd.key, "-p", String(sshd.port), `${sshd.user}@127.0.0.1`];
        const s = openssh(args);
        const t = await s.until(PROMPT);
        ssh.push(t - s.t0);
        s.close();
      }
      results[`clickToPrompt_${kind}`] = {
        app: summary(app_),
        ssh: summary(ssh),
      };
    }
  });

  /** The Sandbox's SSH address, read from the ssh command line the app builds. */
  async function sandboxAddr() {
    const r = await invoke(app.browser, "ssh_command", {
      scope: { profile, region: REGION },
      instanceId: target.id,
      keyId: null,
      jump: null,
    });
    const port = r.data.match(/-p (\d+)/)[1];
    return `127.0.0.1:${port}`;
  }

  measure("throughput: cat of 10 MB on the local sshd, the app against OpenSSH's ssh", async () => {
    const b = app.browser;
    await dialog("sshd");
    await clickToPrompt(b);
    const appMs = [];
    const sshMs = [];
    for (let i = 0; i < 3; i++) {
      // The file ends mid-line (head -c): `echo` first, so END is a line of its own.
      appMs.push(await inputUntil(b, `cat '${file}'; echo; echo EN""D${i}\r`, `^END${i}$`));
      const s = openssh(["-i", sshd.key, "-p", String(sshd.port), `${sshd.user}@127.0.0.1`]);
      await s.until(PROMPT);
      s.clear();
      const t0 = performance.now();
      s.write(`cat '${file}'; echo; echo EN""D${i}\r`);
      sshMs.push((await s.until(new RegExp(`\\nEND${i}\\r?\\n`))) - t0);
      s.close();
    }
    const mbps = (ms) => round(SIZE / 1024 / 1024 / (ms / 1000));
    results.throughput = {
      appMBps: mbps(median(appMs)),
      sshMBps: mbps(median(sshMs)),
      appMs: appMs.map(round),
      sshMs: sshMs.map(round),
    };
    await closeTabs();
  });

  measure("keystroke echo latency: the app against OpenSSH's ssh", async () => {
    const b = app.browser;
    for (const kind of ["sandbox", "sshd"]) {
      await dialog(kind);
      await clickToPrompt(b);
      // In batches, each well inside one script call's timeout.
      const appMs = [];
      for (let k = 0; k < KEYS; k += 20) appMs.push(...(await echoLatencies(b, 20)));
      await closeTabs();
      const args =
        kind === "sandbox"
          ? ["-i", keyFile, "-p", (await sandboxAddr()).split(":")[1], `${target.id}@127.0.0.1`]
          : ["-i", sshd.key, "-p", String(sshd.port), `${sshd.user}@127.0.0.1`];
      const s = openssh(args);
      await s.until(PROMPT);
      const sshMs = await opensshEcho(s, KEYS);
      s.close();
      results[`echo_${kind}`] = { app: summary(appMs), ssh: summary(sshMs) };
    }
  });

  measure("output decoding in the page: a JSON number array against raw bytes", async () => {
    const r = await app.browser.execute((n) => {
      const bytes = new Uint8Array(32 * 1024);
      for (let i = 0; i < bytes.length; i++) bytes[i] = i % 77 === 76 ? 10 : 43 + ((i * 7919) % 80);
      const json = JSON.stringify({ kind: "data", data: Array.from(bytes) });
      const raw = bytes.buffer.slice(0);
      const time = (f) => {
        const out = [];
        for (let i = 0; i < n; i++) {
          const t0 = performance.now();
          f();
          out.push(performance.now() - t0);
        }
        return out;
      };
      let sink = 0;
      // Alternating rounds, so both forms see the same load.
      const jsonMs = [];
      const rawMs = [];
      for (let round = 0; round < 5; round++) {
        jsonMs.push(...time(() => (sink += Uint8Array.from(JSON.parse(json).data).length)));
        rawMs.push(...time(() => (sink += new Uint8Array(raw).length)));
      }
      return { jsonMs, rawMs, jsonBytes: json.length, rawBytes: raw.byteLength, sink };
    }, 40);
    results.decode32k = {
      jsonArray: { bytesOnIpc: r.jsonBytes, ...summary(r.jsonMs) },
      raw: { bytesOnIpc: r.rawBytes, ...summary(r.rawMs) },
    };
  });
});
