// Component tests run without the Tauri shell: this answers IPC calls in-process, in the
// shape the Rust commands return (a mock, because no Tauri runtime exists under jsdom;
// the end-to-end suite drives the real app).
import { mockIPC } from "../backend/mocks";
import type { AppInfo } from "../backend";

export function mockBackend(opts: { fail?: boolean } = {}) {
  const info: AppInfo = {
    name: "cvm-console",
    version: "9.8.7",
    commit: "abc1234",
    os: "linux",
    arch: "x86_64",
    dataDir: "/tmp/data",
    configDir: "/tmp/config",
    logDir: "/tmp/log",
    debugBuild: true,
  };
  mockIPC((cmd) => {
    if (cmd === "startup_notices" || cmd === "launch_records") return [];
    if (cmd === "list_profiles") {
      return { active: "sandbox", profiles: [], corruptBackup: null };
    }
    if (cmd === "app_info") {
      if (opts.fail) {
        throw {
          kind: "internal",
          code: "App.PathUnavailable",
          message: "no home",
          requestId: null,
          field: null,
        };
      }
      return info;
    }
    throw new Error(`unexpected command ${cmd}`);
  });
}
