// The fleet's saved views, kept by the backend (alert rules watch them by id).
import { commands } from "./bindings";
import type { SavedView, ViewDraft, ViewImport } from "./bindings";
import { unwrap } from "./ipc";

export const viewsBackend = {
  listViews: (): Promise<SavedView[]> => unwrap(commands.listViews()),
  /** Refused naming the field (name, accounts, regions, tags, text, state); nothing saved. */
  saveView: (view: ViewDraft): Promise<SavedView> => unwrap(commands.saveView(view)),
  renameView: (id: string, name: string): Promise<SavedView> =>
    unwrap(commands.renameView(id, name)),
  /** `confirm`: the id, passed only from the deletion dialog's OK (the backend checks it). */
  deleteView: (id: string, confirm: string): Promise<null> =>
    unwrap(commands.deleteView(id, confirm)),
  /** The web view's own list, imported once (later calls import nothing). */
  importLocalViews: (views: ViewDraft[]): Promise<ViewImport> =>
    unwrap(commands.importLocalViews(views)),
};
