import { act, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import i18n from "../i18n";
import { BackendError } from "../backend";
import { asAppError } from "../backend/ipc";
import { ErrorBox } from "./ErrorBox";

const readOnly = new BackendError({
  kind: "permission",
  code: "App.ProfileReadOnly",
  message: "This profile is read-only. Unlock it for this session (Profiles) to change instances.",
  requestId: null,
  field: "profileId",
});

describe("ErrorBox", () => {
  afterEach(async () => {
    await act(() => i18n.changeLanguage("en"));
  });

  it("shows the app's own code in Chinese, with the backend's text as the detail", async () => {
    await act(() => i18n.changeLanguage("zh-CN"));
    render(<ErrorBox title="操作" error={readOnly} />);
    expect(screen.getByTestId("error-text").textContent).toBe(i18n.t("errors.App_ProfileReadOnly"));
    expect(screen.getByTestId("error-text").textContent).toMatch(/只读/);
    expect(screen.getByText(readOnly.detail.message)).toBeTruthy();
    expect(screen.getByText(/App\.ProfileReadOnly/)).toBeTruthy();
  });

  it("keeps the backend's specific English text in English", () => {
    render(<ErrorBox title="Action" error={readOnly} />);
    expect(screen.getByTestId("error-text").textContent).toBe(readOnly.detail.message);
  });

  it("shows Tencent's codes with their own message in any language", async () => {
    await act(() => i18n.changeLanguage("zh-CN"));
    const tencent = new BackendError({
      kind: "auth",
      code: "AuthFailure.SignatureFailure",
      message: "签名错误",
      requestId: "req-1",
      field: null,
    });
    render(<ErrorBox title="操作" error={tencent} />);
    expect(screen.getByTestId("error-text").textContent).toBe("签名错误");
  });
});

describe("asAppError", () => {
  it("shapes Tauri's refusal of an argument like the command's own", () => {
    const e = asAppError(
      'invalid args `region` for command `list_zones`: "AP X" is not a region name like ap-guangzhou',
    );
    expect(e.code).toBe("App.InvalidInput");
    expect(e.field).toBe("region");
    expect(e.message).toMatch(/not a region name/);
  });
});
