import js from "@eslint/js";
import globals from "globals";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist", "src/backend/bindings.ts"] },
  {
    extends: [js.configs.recommended, ...tseslint.configs.strict],
    files: ["**/*.{ts,tsx}"],
    languageOptions: { ecmaVersion: 2022, globals: globals.browser },
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // Only the backend facade talks to Tauri, so the shell stays swappable and
      // components stay testable without it.
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["@tauri-apps/*"], message: "Import from src/backend instead." }] },
      ],
      // The web view's own dialogs are not confirmations: under the dialog plugin
      // window.confirm returns a Promise (always truthy), so the action would go ahead.
      // Ask through components/ConfirmDialog instead.
      "no-alert": "error",
      "no-restricted-globals": [
        "error",
        ...["confirm", "alert", "prompt"].map((name) => ({
          name,
          message: "Use the app's ConfirmDialog (src/components/ConfirmDialog.tsx).",
        })),
      ],
      "no-restricted-properties": [
        "error",
        ...["window", "globalThis", "self"].flatMap((object) =>
          ["confirm", "alert", "prompt"].map((property) => ({
            object,
            property,
            message: "Use the app's ConfirmDialog (src/components/ConfirmDialog.tsx).",
          })),
        ),
      ],
    },
  },
  {
    files: ["src/backend/**"],
    rules: { "no-restricted-imports": "off" },
  },
);
