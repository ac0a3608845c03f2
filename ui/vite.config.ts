/// <reference types="vitest/config" />
import { defineConfig, type Plugin } from "vite";
import react from "@vitejs/plugin-react";
import { visualizer } from "rollup-plugin-visualizer";

/**
 * xterm.js's bundled key-code helpers assign `toString` to a plain object at load time.
 * Under Tauri's `freezePrototype` that assignment throws (it would shadow the frozen
 * `Object.prototype.toString`), so the terminal module never loads: define it as the
 * object's own property instead. Fails the build if xterm's code no longer has it.
 */
function xtermOnFrozenPrototype(): Plugin {
  return {
    name: "xterm-on-frozen-prototype",
    transform(code, id) {
      if (!id.replaceAll("\\", "/").includes("/@xterm/xterm/lib/xterm.mjs")) return null;
      let n = 0;
      const fixed = code.replace(/\b(\w+)\.toString=(\w+);/g, (_, obj: string, fn: string) => {
        n++;
        return `Object.defineProperty(${obj},"toString",{value:${fn},writable:true,configurable:true});`;
      });
      if (n !== 1) this.error(`expected one toString assignment in xterm.mjs, found ${n}`);
      return { code: fixed, map: null };
    },
  };
}

// Tauri expects a fixed port in dev and fails if it is taken rather than silently moving.
// `npm run analyze` builds with `--mode analyze` into ANALYZE_DIR (source maps on, so
// sizes are minified bytes per module) and scripts/bundle-report.mjs writes
// docs/bundle-report.md from it.
const ANALYZE_DIR = "node_modules/.cache/bundle-analysis";

export default defineConfig(({ mode }) => ({
  plugins: [
    react(),
    xtermOnFrozenPrototype(),
    mode === "analyze" &&
      visualizer({
        template: "raw-data",
        filename: `${ANALYZE_DIR}/stats.json`,
        sourcemap: true,
      }),
  ],
  clearScreen: false,
  server: { port: 1420, strictPort: true, host: "127.0.0.1" },
  envPrefix: ["VITE_"],
  build: {
    target: "es2022",
    // The CSP forbids inline scripts and styles: keep everything in files.
    assetsInlineLimit: 0,
    // Source maps only for the analysis (they map minified bytes back to modules).
    sourcemap: mode === "analyze",
    ...(mode === "analyze" && { outDir: `${ANALYZE_DIR}/dist`, emptyOutDir: true }),
  },
  test: {
    environment: "jsdom",
    globals: true,
    setupFiles: ["./src/test/setup.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
  },
}));
