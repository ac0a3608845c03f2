// The app itself: its build facts, start-up notices, the clipboard and the UI language.
import { commands } from "./bindings";
import type { AppInfo, StartupNotice, Language } from "./bindings";
import { unwrap } from "./ipc";

export const appBackend = {
  appInfo: (): Promise<AppInfo> => unwrap(commands.appInfo()),
  /** Warnings from start-up (a data file moved aside, a fresh Sandbox world). */
  startupNotices: (): Promise<StartupNotice[]> => commands.startupNotices(),
  dismissStartupNotice: async (id: string): Promise<void> => {
    await commands.dismissStartupNotice(id);
  },
  copyText: (text: string): Promise<null> => unwrap(commands.copyText(text)),
  /** So the backend's desktop notifications speak the UI's language. */
  setUiLanguage: (language: Language): Promise<null> => unwrap(commands.setUiLanguage(language)),
};
