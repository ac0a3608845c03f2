// For component tests only: answers IPC calls in-process (no Tauri runtime exists under
// jsdom). Here so that tests, like the app, reach Tauri only through src/backend.
export { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
