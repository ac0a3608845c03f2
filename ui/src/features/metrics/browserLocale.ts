// uPlot builds an Intl.NumberFormat from navigator.language when its module loads. WebKitGTK
// reports the process locale as it is (`c` under LANG=C, `en-US@posix`), which Intl rejects
// with a RangeError, so the chart module would fail to load and every chart stay blank.
// Imported before uPlot: it replaces such a value with the nearest tag Intl accepts.

function valid(tag: string): boolean {
  try {
    return Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
}

/** `en_US.UTF-8@euro` → `en-US`; `C`, `POSIX` or anything else Intl rejects → `en-US`. */
export function usableLocale(tag: string | undefined): string {
  if (tag && valid(tag)) return tag;
  const bare = (tag ?? "").split(/[.@]/)[0]?.replace(/_/g, "-") ?? "";
  if (bare && !/^(c|posix)$/i.test(bare) && valid(bare)) return bare;
  return "en-US";
}

if (typeof navigator !== "undefined") {
  const usable = usableLocale(navigator.language);
  if (usable !== navigator.language)
    Object.defineProperty(navigator, "language", { value: usable, configurable: true });
}
