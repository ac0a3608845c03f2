// Simplified Chinese, in its own chunk: loaded before the first render when it is the
// language in use, otherwise on the first switch to it (i18n/index.ts merges it).
export { default as base } from "./zh-CN.json";
export const features = import.meta.glob<{ default: Record<string, unknown> }>(
  "../features/*/i18n/zh-CN.json",
  { eager: true },
);
