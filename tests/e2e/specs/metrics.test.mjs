// Cloud Monitor charts end to end: a running instance's detail view draws its charts (uPlot,
// loaded on demand) with a crosshair legend in English light and Chinese dark; 7 days at one
// minute are drawn through their pixel columns with gaps and real samples kept; a stopped
// instance's chart stops where its data stops; an instance that was off for hours in the
// middle of the range (a cvm-sim world with that power history) shows a gap there; a second
// cvm-sim whose CAM refuses monitor:GetMonitorData (the `denied` fault) shows the refusal in
// place of the charts.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, afterEach, before, describe, it } from "node:test";
import {
  click,
  invoke,
  referenceShot,
  screenshot,
  selectValue,
  startSim,
  textOf,
  useApp,
} from "../lib/harness.mjs";

const DENIED = "rate=1,kinds=denied,actions=GetMonitorData";
/** What differs from run to run on the reference screens: the series, the CPU column's values. */
const CHART_RUN = [".metric-plot"];
const SPARK_RUN = ['[data-testid^="spark-"]'];

async function rowIds(b, selector = "") {
  await b.waitUntil(async () => (await b.$$('[data-testid^="row-ins-"]')).length > 0, {
    timeout: 60000,
    timeoutMsg: "instances listed",
  });
  const ids = [];
  for (const r of await b.$$(`[data-testid^="row-ins-"]${selector}`))
    ids.push((await r.getAttribute("data-testid")).slice(4));
  return ids;
}

const plotOf = (metric) => `[data-testid="chart-${metric}"] .metric-plot`;

async function painted(b, metric, range) {
  await b
    .$(`[data-testid="metrics-charts"][data-range="${range}"] ${plotOf(metric)}[data-drawn="true"]`)
    .waitForExist({
      timeout: 30000,
      timeoutMsg: `${metric} (${range}) painted`,
    });
}

/**
 * What uPlot painted for one chart, read from its canvas: the pixels in the series' colour
 * (the line, opaque; the fill under it is faint and not counted), the leftmost and
 * rightmost plot columns holding any, and where the last data point falls.
 */
function canvasReport(b, metric) {
  return b.execute((sel) => {
    const plot = document.querySelector(sel);
    const canvas = plot?.querySelector("canvas");
    const over = plot?.querySelector(".u-over");
    if (!canvas || !over) return null;
    const hex = getComputedStyle(plot).getPropertyValue("--accent").trim();
    const accent = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
    const ratio = canvas.width / canvas.getBoundingClientRect().width;
    const left = over.offsetLeft * ratio;
    const width = over.offsetWidth * ratio;
    const { data } = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height);
    let line = 0;
    let opaque = 0;
    let minX = Infinity;
    let maxX = -Infinity;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3] === 0) continue;
      opaque++;
      if (data[i + 3] < 200) continue;
      const near = accent.every((c, k) => Math.abs(data[i + k] - c) <= 40);
      if (!near) continue;
      line++;
      const x = ((i / 4) % canvas.width) - left;
      minX = Math.min(minX, x);
      maxX = Math.max(maxX, x);
    }
    const from = Number(plot.dataset.from);
    const to = Number(plot.dataset.to);
    const last = Number(plot.dataset.last);
    return {
      line,
      opaque,
      minX,
      maxX,
      width,
      lastX: ((last - from) / (to - from)) * width,
      points: Number(plot.dataset.points),
    };
  }, plotOf(metric));
}

/**
 * The plot's columns (in the canvas's pixels, from the plot area's left) holding the
 * series' line, and where the given times fall on that scale.
 */
function lineColumns(b, metric, times) {
  return b.execute(
    (sel, times) => {
      const plot = document.querySelector(sel);
      const canvas = plot.querySelector("canvas");
      const over = plot.querySelector(".u-over");
      const hex = getComputedStyle(plot).getPropertyValue("--accent").trim();
      const accent = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
      const ratio = canvas.width / canvas.getBoundingClientRect().width;
      const left = over.offsetLeft * ratio;
      const width = over.offsetWidth * ratio;
      const { data } = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height);
      const cols = new Set();
      for (let i = 0; i < data.length; i += 4) {
        if (data[i + 3] < 200) continue;
        if (!accent.every((c, k) => Math.abs(data[i + k] - c) <= 40)) continue;
        cols.add(Math.round(((i / 4) % canvas.width) - left));
      }
      const from = Number(plot.dataset.from);
      const to = Number(plot.dataset.to);
      return {
        cols: [...cols].sort((a, b) => a - b),
        at: times.map((t) => ((t - from) / (to - from)) * width),
      };
    },
    plotOf(metric),
    times,
  );
}

/**
 * Adds a profile for a second cvm-sim, makes it the active one, runs `fn`, and removes it
 * (back on the Sandbox) whatever happens.
 */
async function onProfile(b, name, url, fn) {
  const created = await invoke(b, "create_profile", {
    input: {
      name,
      site: { type: "custom", url },
      defaultRegion: "ap-guangzhou",
      language: "en-US",
      budget: { type: "current" },
      readOnly: false,
      secretId: "AKIDcvmsim00000000000000000000000000",
      secretKey: "cvmsimSecretKey0000000000000000000",
      token: null,
    },
  });
  assert.ok(created.ok, created.error);
  const profile = (await invoke(b, "list_profiles")).data.profiles.find((p) => p.name === name);
  try {
    // The UI reads the profiles again on the Profiles page, then switches.
    assert.ok((await invoke(b, "set_active_profile", { id: profile.id })).ok);
    await click(b, "nav-profiles");
    await b.$(`[data-testid*="${profile.id}"]`).waitForExist({ timeout: 15000 });
    await b.refresh();
    await fn();
  } finally {
    await invoke(b, "set_active_profile", { id: "sandbox" });
    const deleted = await invoke(b, "delete_profile", { id: profile.id, confirmName: name });
    assert.ok(deleted.ok, deleted.error);
    await b.refresh();
  }
}

/** Moves the pointer over the chart's plot area and reads the legend it fills in. */
async function legendAt(b, metric, xFraction) {
  const over = await b.$(`${plotOf(metric)} .u-over`);
  await b.execute(
    (sel) => document.querySelector(sel)?.scrollIntoView({ block: "center" }),
    plotOf(metric),
  );
  const { width, height } = await over.getSize();
  await over.moveTo({
    xOffset: Math.round(width * (xFraction - 0.5)),
    yOffset: Math.round(height * 0.1),
  });
  const legend = await b.$(`${plotOf(metric)} .u-legend`);
  let text = "";
  await b.waitUntil(
    async () => {
      text = (await legend.getText()).replace(/\s+/g, " ");
      return /\d\d:\d\d/.test(text) && /\d/.test(text.replace(/\d\d:\d\d/g, ""));
    },
    { timeout: 10000, timeoutMsg: `the ${metric} legend follows the pointer` },
  );
  return text;
}

/**
 * A reference screen, after a throwaway screenshot: WebKitWebDriver can hand back a frame
 * from before the last change (seen here: the list's header and rows missing).
 */
async function shot(b, name, opts) {
  await b.takeScreenshot();
  await referenceShot(b, name, opts);
}

/** Scrolls the monitoring panel's top, with its range buttons, just under the banner. */
function panelInView(b) {
  return b.execute(() => {
    const panel = document.querySelector('[data-testid="metrics-panel"]');
    panel.scrollIntoView({ block: "start" });
    let box = panel.parentElement;
    while (box && box.scrollHeight <= box.clientHeight) box = box.parentElement;
    (box ?? document.scrollingElement).scrollBy(0, -44);
  });
}

/** GetMonitorData calls the app made (its activity log). */
async function monitorCalls(b) {
  const r = await invoke(b, "activity_log", {
    filter: {
      profileId: null,
      region: null,
      result: null,
      text: "GetMonitorData",
      limit: 1000,
    },
  });
  assert.ok(r.ok, r.error);
  return r.data.filter((e) => e.action === "GetMonitorData").length;
}

/** The sparkline cells in row order: id, region and the latest CPU (null: none). */
function sparks(b) {
  return b.execute(() =>
    [...document.querySelectorAll('[data-testid^="row-ins-"]')].map((row) => {
      const s = row.querySelector('[data-testid^="spark-"]');
      return {
        id: row.dataset.testid.slice(4),
        region: row.dataset.region,
        state: row.dataset.state,
        pending: !s || s.hasAttribute("aria-busy"),
        last: s?.dataset.last ? Number(s.dataset.last) : null,
        line: !!s?.querySelector("polyline"),
      };
    }),
  );
}

async function showCpuColumn(b, on) {
  await click(b, "columns-button");
  const box = await b.$('[data-testid="column-toggle-cpu"]');
  if ((await box.isSelected()) !== on) await box.click();
  await click(b, "columns-button");
}

async function openDetail(b, id) {
  await click(b, "nav-instances");
  await rowIds(b);
  await click(b, `open-${id}`);
  await b.$('[data-testid="metrics-panel"]').waitForExist({ timeout: 30000 });
}

describe("metrics", () => {
  let sim;
  before(async () => {
    sim = await startSim(["--preload", "12", "--faults", DENIED]);
  });
  after(async () => sim?.stop());
  const app = useApp({ before, after, afterEach });

  it("draws a running instance's charts with a crosshair legend, in English light", async () => {
    const b = app.browser;
    await click(b, "nav-settings");
    await selectValue(b, "language-select", "en");
    await selectValue(b, "theme-select", "light");
    await click(b, "nav-instances");
    const [id] = await rowIds(b, '[data-state="RUNNING"]');
    assert.ok(id, "a running instance");
    await openDetail(b, id);
    await painted(b, "CPUUsage", "1h");

    // The CPU line is on the canvas, across the whole hour (the instance ran throughout).
    const cpu = await canvasReport(b, "CPUUsage");
    assert.ok(cpu, "a canvas");
    assert.equal(cpu.points, 60);
    assert.ok(cpu.line > 200, `the line is painted (${cpu.line} pixels)`);
    assert.ok(cpu.minX < 8 && cpu.maxX > cpu.width - 8, JSON.stringify(cpu));
    for (const m of ["MemUsage", "LanIntraffic", "LanOuttraffic", "WanIntraffic", "TcpCurrEstab"]) {
      await painted(b, m, "1h");
      const r = await canvasReport(b, m);
      assert.ok(r.line > 50, `${m} painted: ${JSON.stringify(r)}`);
    }

    // The crosshair's legend: the time and the value with its unit.
    const cpuLegend = await legendAt(b, "CPUUsage", 0.5);
    assert.match(cpuLegend, /Time ?\d\d:\d\d/);
    assert.match(cpuLegend, /CPU usage ?\d+(\.\d+)? %/);
    assert.match(await legendAt(b, "LanIntraffic", 0.5), /Private inbound ?\d+(\.\d+)? Mbps/);
    assert.match(await legendAt(b, "TcpCurrEstab", 0.5), /TCP connections ?[\d,]+( |$)/);
    assert.match(await textOf(b, "chart-TcpCurrEstab"), /· count/);

    // Every range asks for its own period: 6 h and 24 h, then 7 d at one hour.
    for (const [range, points] of [
      ["6h", 360],
      ["24h", 288],
      ["7d", 168],
    ]) {
      await click(b, `metrics-range-${range}`);
      await painted(b, "CPUUsage", range);
      const r = await canvasReport(b, "CPUUsage");
      assert.ok(r.points <= points && r.points > points / 2, `${range}: ${r.points} points`);
      assert.ok(r.line > 200, `${range} painted`);
    }
    assert.match(await legendAt(b, "CPUUsage", 0.9), /Time ?\d\d\/\d\d \d\d:\d\d/);
    await panelInView(b);
    await shot(b, "metrics-detail-en-light", { mask: CHART_RUN });
  });

  it("draws 7 days at one minute through its pixel columns: gaps stay gaps, the crosshair reads real samples", async () => {
    const b = app.browser;
    // Cloud Monitor answers at most 1,440 points a series, so no range the app asks for is
    // this dense; the app's own chart module (loaded by the detail view above) draws it here,
    // in a chart box of the page, as it draws every chart.
    const drawn = await b.executeAsync((done) => {
      const link = [...document.querySelectorAll('link[rel="modulepreload"]')].find((l) =>
        /uplotChart-/.test(l.href),
      );
      if (!link) return done({ error: "the chart module is not loaded" });
      import(link.href).then(
        ({ drawChart }) => {
          const n = 10_080;
          const to = Math.floor(Date.now() / 60_000) * 60;
          const from = to - (n - 1) * 60;
          // Five hours without data (the instance off): no points at all, as Cloud Monitor.
          const ts = [];
          const ys = [];
          for (let i = 0; i < n; i++) {
            if (i >= 6_000 && i < 6_300) continue;
            ts.push(from + i * 60);
            ys.push(Math.round((55 + 25 * Math.sin(i / 300) + 9 * Math.sin(i * 1.7)) * 10) / 10);
          }
          const fig = document.createElement("figure");
          fig.dataset.testid = "chart-Dense";
          fig.style.cssText =
            "position:fixed;left:240px;top:40px;width:800px;z-index:1000;margin:0";
          fig.style.background = "var(--surface)";
          const plot = document.createElement("div");
          plot.className = "metric-plot";
          Object.assign(plot.dataset, { from, to, last: ts.at(-1), points: n });
          fig.append(plot);
          document.body.append(fig);
          window.__dense = { ts, ys, gap: [from + 6_000 * 60, from + 6_300 * 60] };
          let painted = 0;
          drawChart(plot, {
            timestamps: ts,
            values: ys,
            period: 60,
            unit: "%",
            label: "Dense",
            timeLabel: "Time",
            locale: "en",
            withDate: true,
            from,
            to,
            width: 800,
            height: 200,
            onDraw: (_ms, points) => {
              if (points > 0 && !painted++) done({ points, gap: window.__dense.gap });
            },
          });
        },
        (e) => done({ error: String(e) }),
      );
    });
    assert.ok(!drawn.error, drawn.error);
    // What uPlot was handed: at most four points a pixel column, far fewer than 10,080.
    assert.ok(drawn.points < 3_300, `${drawn.points} points drawn`);
    try {
      const r = await canvasReport(b, "Dense");
      assert.ok(r.line > 1_000, `the band is painted: ${JSON.stringify(r)}`);
      const { cols, at } = await lineColumns(b, "Dense", drawn.gap);
      const [gapStart, gapEnd] = at;
      assert.ok(gapEnd - gapStart > 15, `the gap is wide enough to see: ${at}`);
      assert.deepEqual(
        cols.filter((x) => x > gapStart + 2 && x < gapEnd - 2),
        [],
        "no line across the hours without data",
      );
      assert.ok(cols.some((x) => x < gapStart - 10) && cols.some((x) => x > gapEnd + 10));
      assert.ok(cols[0] < 8 && cols.at(-1) > r.width - 8, "the line spans the week");
      await screenshot(b, "metrics-dense-en-light");
      // Wherever the crosshair stops, its legend is a real sample: that minute's own value.
      for (const x of [0.2, 0.55, 0.9]) {
        const legend = await legendAt(b, "Dense", x);
        const real = await b.execute((legend) => {
          const { ts, ys } = window.__dense;
          const [, time, value] =
            legend.match(/Time ?(\d\d\/\d\d \d\d:\d\d).*Dense ?([\d.]+) %/) ?? [];
          const i = ts.findIndex((t) => {
            const d = new Date(t * 1000);
            const day = d.toLocaleDateString("en", { month: "2-digit", day: "2-digit" });
            const hm = d.toLocaleTimeString("en", {
              hour: "2-digit",
              minute: "2-digit",
              hour12: false,
            });
            return `${day} ${hm}` === time;
          });
          return { time, value, sample: i < 0 ? null : ys[i] };
        }, legend);
        assert.ok(real.time && real.sample !== null, `the legend's time is a sample's: ${legend}`);
        assert.equal(
          Number(real.value),
          real.sample,
          `the legend's value is that sample's: ${legend}`,
        );
      }
    } finally {
      await b.execute(() => {
        document.querySelector('[data-testid="chart-Dense"]')?.remove();
        delete window.__dense;
      });
    }
  });

  it("shows CPU sparklines for the rows on screen and sorts by CPU now", async () => {
    const b = app.browser;
    await click(b, "nav-instances");
    await rowIds(b);
    const before = await monitorCalls(b);
    await showCpuColumn(b, true);
    await b.waitUntil(async () => (await sparks(b)).every((s) => !s.pending), {
      timeout: 30000,
      timeoutMsg: "every row on screen has its sparkline",
    });
    const rows = await sparks(b);
    const running = rows.filter((r) => r.state === "RUNNING");
    assert.ok(running.length > 0 && running.every((r) => r.line && r.last !== null));
    // Ten instances a call, per region.
    const perRegion = new Map();
    for (const r of rows) perRegion.set(r.region, (perRegion.get(r.region) ?? 0) + 1);
    const most = [...perRegion.values()].reduce((n, c) => n + Math.ceil(c / 10), 0);
    const calls = (await monitorCalls(b)) - before;
    assert.ok(calls >= perRegion.size && calls <= most, `${calls} calls for ${rows.length} rows`);
    // Within the minute, showing the column again costs nothing.
    await showCpuColumn(b, false);
    await showCpuColumn(b, true);
    await b.waitUntil(async () => (await sparks(b)).every((s) => !s.pending), {
      timeout: 30000,
    });
    assert.equal((await monitorCalls(b)) - before, calls, "served from the cache");

    await shot(b, "metrics-list-en-light", { mask: SPARK_RUN });

    // "CPU now" sorts what has been fetched, busiest first, and says so; the rest follow.
    const order = async (desc) => {
      const lasts = (await sparks(b)).map((r) => r.last);
      const known = lasts.filter((v) => v !== null);
      assert.ok(known.length > 1, "values fetched");
      assert.deepEqual(
        known,
        [...known].sort((x, y) => (desc ? y - x : x - y)),
      );
      const firstUnknown = lasts.indexOf(null);
      assert.ok(firstUnknown === -1 || lasts.slice(firstUnknown).every((v) => v === null));
    };
    await click(b, "sort-cpu");
    assert.match(
      await textOf(b, "cpu-sort-note"),
      /Sorted by CPU now for the \d+ instances? fetched so far/,
    );
    await order(true);
    await screenshot(b, "metrics-list-cpu-sorted-en-light");
    await click(b, "sort-cpu");
    await order(false);
    await click(b, "sort-name");
    await showCpuColumn(b, false);
  });

  it("leaves a stopped instance's chart empty after it stopped", async () => {
    const b = app.browser;
    // A stopped instance that has been off for at least half a day.
    const stopped = await rowIds(b, '[data-state="STOPPED"]');
    assert.ok(stopped.length > 0, "a stopped instance");
    let pick = null;
    for (const id of stopped) {
      const row = await b.$(`[data-testid="row-${id}"]`);
      const r = await invoke(b, "instance_metrics", {
        profileId: await row.getAttribute("data-profile"),
        region: await row.getAttribute("data-region"),
        instanceId: id,
        range: "7d",
      });
      if (!r.ok) continue;
      const ts = r.data.find((s) => s.metric === "CPUUsage").timestamps;
      const off = Date.now() / 1000 - ts.at(-1);
      if (ts.length > 10 && off > 12 * 3600) {
        pick = id;
        break;
      }
    }
    assert.ok(pick, "a stopped instance off for 12 h or more, with data before");
    await openDetail(b, pick);
    // Nothing in the last hour: said in words, no chart.
    await b
      .$('[data-testid="chart-empty-CPUUsage"]')
      .waitForExist({ timeout: 30000, timeoutMsg: "no data in the last hour" });
    assert.match(await textOf(b, "chart-empty-CPUUsage"), /not running/);
    await click(b, "metrics-range-7d");
    await painted(b, "CPUUsage", "7d");
    const r = await canvasReport(b, "CPUUsage");
    assert.ok(r.line > 50, `the days it ran are painted: ${JSON.stringify(r)}`);
    // The line ends at the last point; the time since is empty, not a line drawn to now.
    assert.ok(r.maxX <= r.lastX + 3, `no line after the last point: ${JSON.stringify(r)}`);
    assert.ok(r.maxX >= r.lastX - 6, `the line reaches the last point: ${JSON.stringify(r)}`);
    assert.ok(r.width - r.lastX > 20, "the empty stretch is visible");
  });

  it("draws the charts in Chinese with the dark theme", async () => {
    const b = app.browser;
    await click(b, "nav-settings");
    await selectValue(b, "language-select", "zh-CN");
    await selectValue(b, "theme-select", "dark");
    await click(b, "nav-instances");
    const [id] = await rowIds(b, '[data-state="RUNNING"]');
    await openDetail(b, id);
    await painted(b, "CPUUsage", "1h");
    const cpu = await canvasReport(b, "CPUUsage");
    assert.ok(cpu.line > 200, `painted in the dark theme's accent: ${JSON.stringify(cpu)}`);
    assert.match(await legendAt(b, "CPUUsage", 0.5), /时间 ?\d\d:\d\d.*CPU 利用率 ?\d+(\.\d+)? %/);
    assert.match(await textOf(b, "chart-TcpCurrEstab"), /· 个/);
    await click(b, "metrics-range-24h");
    await painted(b, "CPUUsage", "24h");
    await panelInView(b);
    await shot(b, "metrics-detail-zh-CN-dark", { mask: CHART_RUN });
    await click(b, "nav-instances");
    await showCpuColumn(b, true);
    await b.waitUntil(async () => (await sparks(b)).every((s) => !s.pending), {
      timeout: 30000,
    });
    await shot(b, "metrics-list-zh-CN-dark", { mask: SPARK_RUN });
    await click(b, "sort-cpu");
    assert.match(await textOf(b, "cpu-sort-note"), /按当前 CPU 排序/);
    await screenshot(b, "metrics-list-cpu-sorted-zh-CN-dark");
    await click(b, "sort-name");
    await showCpuColumn(b, false);
    await click(b, "nav-settings");
    await selectValue(b, "language-select", "en");
    await selectValue(b, "theme-select", "light");
  });

  it("leaves a gap where an instance was off in the middle of the range", async () => {
    const b = app.browser;
    // A world whose first RUNNING instance in ap-guangzhou was off from 10 h to 4 h ago.
    const dir = mkdtempSync(join(tmpdir(), "cvm-e2e-gap-"));
    const file = join(dir, "world.json");
    let gapSim = await startSim(["--preload", "12", "--state", file]);
    await gapSim.stop();
    const world = JSON.parse(readFileSync(file, "utf8"));
    const now = Date.now() + (world.clock_offset_ms ?? 0);
    const [account] = Object.values(world.accounts);
    const inst = Object.values(account.regions["ap-guangzhou"].instances).find(
      (i) => i.state === "RUNNING",
    );
    assert.ok(inst, "a running instance in ap-guangzhou");
    const [off, on] = [now - 10 * 3_600_000, now - 4 * 3_600_000];
    inst.power = [
      { at_ms: inst.created_ms, on: true },
      { at_ms: off, on: false },
      { at_ms: on, on: true },
    ];
    writeFileSync(file, JSON.stringify(world));
    gapSim = await startSim(["--state", file]);
    try {
      await onProfile(b, "Gap world", gapSim.url, async () => {
        await openDetail(b, inst.id);
        await click(b, "metrics-range-24h");
        await painted(b, "CPUUsage", "24h");
        const { cols, at } = await lineColumns(b, "CPUUsage", [off / 1000, on / 1000]);
        const [gapStart, gapEnd] = at;
        const inGap = cols.filter((x) => x > gapStart + 4 && x < gapEnd - 4);
        assert.ok(gapEnd - gapStart > 40, `the gap is wide enough to see: ${at}`);
        assert.deepEqual(inGap, [], "no line drawn through the hours without data");
        assert.ok(
          cols.some((x) => x < gapStart - 20),
          "the line before the gap is painted",
        );
        assert.ok(
          cols.some((x) => x > gapEnd + 20),
          "the line after the gap is painted",
        );
        await panelInView(b);
        await screenshot(b, "metrics-gap-en-light");
      });
    } finally {
      await gapSim.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("shows CAM's refusal in place of the charts", async () => {
    const b = app.browser;
    await click(b, "nav-settings");
    await selectValue(b, "language-select", "en");
    await onProfile(b, "No monitor rights", sim.url, async () => {
      const [id] = await rowIds(b, '[data-state="RUNNING"]');
      await openDetail(b, id);
      const refused = await b.$('[data-testid="metrics-refused"]');
      await refused.waitForExist({
        timeout: 30000,
        timeoutMsg: "the refusal shown",
      });
      const text = await refused.getText();
      assert.match(text, /Metrics are not available/);
      assert.match(text, /monitor:GetMonitorData/);
      assert.match(text, /UnauthorizedOperation|AuthFailure/);
      assert.equal(await b.$$('[data-testid="metrics-charts"]').length, 0);
      await screenshot(b, "metrics-refused-en-light");
    });
  });
});
