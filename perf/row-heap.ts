// The instance list's row store run inside JavaScriptCore by perf/row-heap.py (bundled
// with rolldown): the same modules the app uses, fed the same pages the backend sends.
import type { InstanceView } from "../ui/src/backend";
import { RowInterner, mergeRows, rowKey } from "../ui/src/features/instances/rows";
import { NO_FILTERS, NarrowingFilter } from "../ui/src/features/instances/states";

let fresh = new Map<string, InstanceView>();
let rows: InstanceView[] = [];
let interner: RowInterner | null = null;
let filter = new NarrowingFilter();

Object.assign(globalThis, {
  rowHeap: {
    /** Starts a listing; `intern`: keep rows interned (the change) or as parsed (before). */
    start(intern: boolean) {
      fresh = new Map();
      rows = [];
      filter = new NarrowingFilter();
      interner = intern ? new RowInterner() : null;
    },
    /** One page as the IPC delivers it: JSON text, parsed, kept by row key. */
    page(json: string) {
      for (const i of JSON.parse(json) as InstanceView[])
        fresh.set(rowKey(i), interner ? interner.row(i) : i);
      rows = mergeRows(fresh, new Map(), new Set());
      return rows.length;
    },
    /** Typing into the filter: the search strings are built on the first keystroke. */
    type(word: string) {
      let shown = 0;
      for (let k = 1; k <= word.length; k++)
        shown = filter.apply(rows, { ...NO_FILTERS, text: word.slice(0, k) }, 0).length;
      return shown;
    },
    /** One keystroke: the filter's answer for `text` (timed by the caller). */
    key(text: string) {
      return filter.apply(rows, { ...NO_FILTERS, text }, 0).length;
    },
    clear() {
      fresh = new Map();
      rows = [];
      filter = new NarrowingFilter();
      interner = null;
    },
  },
});
