import { act, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { clearMocks, mockIPC } from "../../backend/mocks";
import i18n from "../../i18n";
import type { ImportCandidate, ProfileView, ProfilesView } from "../../backend";
import { ProfilesPage } from "./ProfilesPage";

function profile(id: string, name: string, extra: Partial<ProfileView> = {}): ProfileView {
  return {
    id,
    name,
    kind: id === "sandbox" ? "sandbox" : "keys",
    site: id === "sandbox" ? { type: "custom", url: "http://127.0.0.1/" } : { type: "china" },
    defaultRegion: "ap-guangzhou",
    language: "en-US",
    budget: { type: "current" },
    readOnly: false,
    maskedSecretId: "AKID****1234",
    hasToken: false,
    lastRegion: null,
    locked: false,
    ...extra,
  } as ProfileView;
}

const candidate: ImportCandidate = {
  source: { type: "tccli", profile: "default" },
  label: "tccli default",
  maskedSecretId: "AKID****9999",
  hasToken: false,
  region: "ap-guangzhou",
  credentialFile: "/home/me/.tccli/default.credential",
  roleArn: null,
};

type Calls = { cmd: string; args: Record<string, unknown> }[];

/** Answers the profiles page's reads; records every call so tests can assert none was sent. */
function backend(view: ProfilesView, candidates: ImportCandidate[] = [candidate]) {
  const calls: Calls = [];
  mockIPC((cmd, payload) => {
    const args = (payload ?? {}) as Record<string, unknown>;
    calls.push({ cmd, args });
    switch (cmd) {
      case "list_profiles":
        return view;
      case "keyring_status":
        return { available: true, code: null, message: null, service: "x", sandboxStored: true };
      case "import_candidates":
        return candidates;
      case "import_profile":
        return { maskedSecretId: "AKID****9999", clockOffsetSeconds: 0, regionsVisible: 3 };
      case "delete_tccli_credential":
        return args.confirm;
      case "delete_profile":
      case "set_profile_unlocked":
        return view;
      case "reset_sandbox":
        return null;
      case "sandbox_clock":
        return { nowUnix: 1_800_000_000, aheadSeconds: 0 };
      case "let_sandbox_time_pass":
        return {
          nowUnix: 1_800_000_000 + Number(args.hours) * 3600,
          aheadSeconds: Number(args.hours) * 3600,
        };
      // Creating and changing a role both assume it first: a role named "nobody" is refused.
      case "create_role_profile":
      case "update_role_profile": {
        const input = args.input as { roleArn: string };
        if (input.roleArn.endsWith("/nobody"))
          throw {
            kind: "invalid",
            code: "ResourceNotFound.RoleNotFound",
            message: "The role does not exist.",
            field: "roleArn",
          };
        return { maskedSecretId: input.roleArn, clockOffsetSeconds: 0, regionsVisible: 18 };
      }
      case "profile_identity":
        if (args.profileId === "p-work")
          throw { kind: "auth", code: "AuthFailure.SecretIdNotFound", message: "no such key" };
        return args.profileId === "sandbox-ops"
          ? {
              accountId: "100000000002",
              arn: "qcs::cam::uin/100000000002:roleName/ops",
              userId: "4611686018427397902:cvm-console",
              kind: "CAMRole",
            }
          : {
              accountId: "100000000001",
              arn: "qcs::cam::uin/100000000001:uin/100000000001",
              userId: "100000000001",
              kind: "CAMUser",
            };
    }
    throw new Error(`unexpected command ${cmd}`);
  });
  return calls;
}

const WRITES = [
  "delete_profile",
  "reset_sandbox",
  "let_sandbox_time_pass",
  "create_role_profile",
  "update_role_profile",
  "set_profile_unlocked",
  "delete_tccli_credential",
];
const writes = (calls: Calls) => calls.filter((c) => WRITES.includes(c.cmd));

function renderPage() {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={qc}>
      <ProfilesPage />
    </QueryClientProvider>,
  );
}

const view: ProfilesView = {
  active: "sandbox",
  corruptBackup: null,
  profiles: [
    profile("sandbox", "Sandbox"),
    profile("p-work", "Work account"),
    profile("p-ro", "Prod (read-only)", { readOnly: true, locked: true }),
  ],
};

async function card(id: string) {
  return within(await screen.findByTestId(`profile-${id}`));
}

beforeEach(async () => {
  await act(() => i18n.changeLanguage("en"));
});
afterEach(() => clearMocks());

describe("confirmations on the profiles page", () => {
  it("Cancel and Esc close the reset dialog and send nothing; OK sends the Sandbox's id", async () => {
    const calls = backend(view);
    renderPage();
    await userEvent.click((await card("sandbox")).getByTestId("sandbox-reset"));
    const dialog = screen.getByTestId("confirm-dialog");
    expect(dialog).toHaveAttribute("role", "dialog");
    expect(dialog).toHaveAttribute("aria-modal", "true");
    expect(dialog).toHaveAttribute("data-kind", "reset-sandbox");
    // Focus starts inside the dialog, on Cancel (Enter never confirms by accident).
    expect(screen.getByTestId("confirm-cancel")).toHaveFocus();
    await userEvent.click(screen.getByTestId("confirm-cancel"));
    expect(screen.queryByTestId("confirm-dialog")).toBeNull();

    await userEvent.click((await card("sandbox")).getByTestId("sandbox-reset"));
    await userEvent.keyboard("{Escape}");
    expect(screen.queryByTestId("confirm-dialog")).toBeNull();
    expect(writes(calls)).toEqual([]);

    await userEvent.click((await card("sandbox")).getByTestId("sandbox-reset"));
    await userEvent.click(screen.getByTestId("confirm-ok"));
    expect(await screen.findByTestId("profiles-notice")).toHaveTextContent("reset");
    expect(writes(calls)).toEqual([{ cmd: "reset_sandbox", args: { confirm: "sandbox" } }]);
  });

  it("lets time pass in the Sandbox only through its dialog, with the span chosen there", async () => {
    const calls = backend(view);
    renderPage();
    const sandbox = await card("sandbox");
    expect(await sandbox.findByTestId("sandbox-time")).toHaveAttribute("data-ahead", "0");
    expect((await card("p-work")).queryByTestId("sandbox-pass-time")).toBeNull();
    await userEvent.click(sandbox.getByTestId("sandbox-pass-time"));
    expect(screen.getByTestId("confirm-dialog")).toHaveAttribute("data-kind", "sandbox-time");
    await userEvent.click(screen.getByTestId("confirm-cancel"));
    expect(screen.queryByTestId("confirm-dialog")).toBeNull();
    expect(writes(calls)).toEqual([]);

    await userEvent.click(sandbox.getByTestId("sandbox-pass-time"));
    await userEvent.selectOptions(screen.getByTestId("sandbox-pass-hours"), "168");
    expect(screen.getByTestId("confirm-ok")).toHaveTextContent("Let 7 days pass");
    await userEvent.click(screen.getByTestId("confirm-ok"));
    expect(await screen.findByTestId("profiles-notice")).toHaveTextContent("7 d 0 h ahead");
    expect(writes(calls)).toEqual([
      {
        cmd: "let_sandbox_time_pass",
        args: { profileId: "sandbox", hours: 168, confirm: "sandbox" },
      },
    ]);
  });

  it("adds a role profile by hand, showing the backend's refusal on the Role ARN field", async () => {
    const calls = backend(view);
    renderPage();
    await userEvent.click(await screen.findByTestId("profile-add-role"));
    await userEvent.type(screen.getByTestId("rf-name"), "Ops");
    // Only profiles with keys can assume a role.
    expect(screen.getByTestId("rf-base")).toHaveValue("sandbox");
    await userEvent.type(screen.getByTestId("rf-arn"), "fleet-operator");
    await userEvent.click(screen.getByTestId("rf-save"));
    expect(await screen.findByTestId("error-roleArn")).toHaveTextContent("roleName/<role name>");
    expect(writes(calls)).toEqual([]);

    await userEvent.clear(screen.getByTestId("rf-arn"));
    await userEvent.type(
      screen.getByTestId("rf-arn"),
      "qcs::cam::uin/100000000002:roleName/nobody",
    );
    await userEvent.click(screen.getByTestId("rf-save"));
    expect(await screen.findByTestId("error-roleArn")).toHaveTextContent(
      "The role does not exist.",
    );

    await userEvent.clear(screen.getByTestId("rf-arn"));
    const arn = "qcs::cam::uin/100000000002:roleName/fleet-operator";
    await userEvent.type(screen.getByTestId("rf-arn"), arn);
    await userEvent.click(screen.getByTestId("rf-save"));
    expect(await screen.findByTestId("profiles-notice")).toHaveTextContent(arn);
    expect(writes(calls).map((c) => c.args.input)).toEqual([
      {
        name: "Ops",
        baseProfileId: "sandbox",
        roleArn: "qcs::cam::uin/100000000002:roleName/nobody",
        sessionName: "cvm-console",
        durationSeconds: 3600,
        readOnly: false,
      },
      {
        name: "Ops",
        baseProfileId: "sandbox",
        roleArn: arn,
        sessionName: "cvm-console",
        durationSeconds: 3600,
        readOnly: false,
      },
    ]);
  });

  it("deletes a profile only once its exact name is typed, and sends what was typed", async () => {
    const calls = backend(view);
    renderPage();
    await userEvent.click((await card("p-work")).getByTestId("profile-delete"));
    const ok = screen.getByTestId("confirm-ok");
    const typed = screen.getByTestId("confirm-typed");
    expect(typed).toHaveFocus();
    expect(ok).toBeDisabled();
    await userEvent.type(typed, "Work accoun");
    expect(ok).toBeDisabled();
    // Enter with a mismatch does nothing either.
    await userEvent.keyboard("{Enter}");
    expect(writes(calls)).toEqual([]);
    await userEvent.type(typed, "t");
    expect(ok).toBeEnabled();
    await userEvent.click(ok);
    await screen.findByTestId("profile-p-work");
    expect(writes(calls)).toEqual([
      { cmd: "delete_profile", args: { id: "p-work", confirmName: "Work account" } },
    ]);
  });

  it("unlocks a read-only profile only through the dialog, confirming with its id", async () => {
    const calls = backend(view);
    renderPage();
    await userEvent.click((await card("p-ro")).getByTestId("profile-unlock"));
    expect(screen.getByTestId("confirm-dialog")).toHaveTextContent(
      "allows changes for this session",
    );
    expect(writes(calls)).toEqual([]);
    await userEvent.click(screen.getByTestId("confirm-ok"));
    await act(async () => undefined);
    expect(writes(calls)).toEqual([
      { cmd: "set_profile_unlocked", args: { id: "p-ro", unlocked: true, confirm: "p-ro" } },
    ]);
    expect(screen.queryByTestId("confirm-dialog")).toBeNull();
  });

  it("locks an unlocked profile again without asking, sending no confirmation", async () => {
    const unlocked: ProfilesView = {
      ...view,
      profiles: view.profiles.map((p) => (p.id === "p-ro" ? { ...p, locked: false } : p)),
    };
    const calls = backend(unlocked);
    renderPage();
    await userEvent.click((await card("p-ro")).getByTestId("profile-unlock"));
    expect(screen.queryByTestId("confirm-dialog")).toBeNull();
    await act(async () => undefined);
    expect(writes(calls)).toEqual([
      { cmd: "set_profile_unlocked", args: { id: "p-ro", unlocked: false, confirm: null } },
    ]);
  });

  it("deletes the plaintext tccli file only from the dialog, confirming with the path shown", async () => {
    const calls = backend(view);
    renderPage();
    await userEvent.click(await screen.findByTestId("import-do-tccli-default"));
    await userEvent.click(await screen.findByTestId("import-delete-plaintext-tccli-default"));
    expect(screen.getByTestId("confirm-path")).toHaveTextContent(
      "/home/me/.tccli/default.credential",
    );
    await userEvent.keyboard("{Escape}");
    expect(writes(calls)).toEqual([]);
    await userEvent.click(screen.getByTestId("import-delete-plaintext-tccli-default"));
    await userEvent.click(screen.getByTestId("confirm-ok"));
    expect(await screen.findByText(/Deleted|已删除/)).toBeInTheDocument();
    expect(writes(calls)).toEqual([
      {
        cmd: "delete_tccli_credential",
        args: { profile: "default", confirm: "/home/me/.tccli/default.credential" },
      },
    ]);
  });

  it("says when a tccli profile assumes a role, and only then", async () => {
    const arn = "qcs::cam::uin/100000000002:roleName/ops";
    backend(view, [
      candidate,
      { ...candidate, source: { type: "tccli", profile: "ops" }, roleArn: arn },
    ]);
    renderPage();
    const role = await screen.findByTestId("import-role-tccli-ops");
    expect(role).toHaveTextContent(`assumes the role ${arn} with these keys`);
    expect(screen.queryByTestId("import-role-tccli-default")).not.toBeInTheDocument();
  });

  it("keeps the dialog open and shows the refusal when the backend says no", async () => {
    const calls: Calls = [];
    mockIPC((cmd, payload) => {
      calls.push({ cmd, args: (payload ?? {}) as Record<string, unknown> });
      if (cmd === "list_profiles") return view;
      if (cmd === "keyring_status")
        return { available: true, code: null, message: null, service: "x", sandboxStored: true };
      if (cmd === "import_candidates") return [];
      if (cmd === "reset_sandbox")
        throw {
          kind: "invalid-input",
          code: "App.ConsentRequired",
          message: "confirm by naming sandbox",
          requestId: null,
          field: "confirm",
        };
      throw new Error(`unexpected ${cmd}`);
    });
    renderPage();
    await userEvent.click((await card("sandbox")).getByTestId("sandbox-reset"));
    await userEvent.click(screen.getByTestId("confirm-ok"));
    const dialog = screen.getByTestId("confirm-dialog");
    expect(await within(dialog).findByTestId("error-box")).toHaveTextContent("App.ConsentRequired");
  });
});

describe("each profile's account", () => {
  const role = profile("sandbox-ops", "Sandbox ops", {
    kind: "sandbox",
    maskedSecretId: null,
    role: {
      baseProfileId: "sandbox",
      roleArn: "qcs::cam::uin/100000000002:roleName/ops",
      sessionName: "cvm-console",
      durationSeconds: 3600,
    },
  });
  const [sandbox, work] = view.profiles as [ProfileView, ProfileView];
  const withRole: ProfilesView = { ...view, profiles: [sandbox, role, work] };

  it("shows the account UIN and caller ARN, and a role's ARN and base profile", async () => {
    backend(withRole);
    renderPage();
    const sandbox = await card("sandbox");
    expect(await sandbox.findByText("100000000001")).toHaveAttribute("data-testid", "account-uin");
    expect(sandbox.getByTestId("caller-arn")).toHaveTextContent(
      "qcs::cam::uin/100000000001:uin/100000000001",
    );
    const r = await card("sandbox-ops");
    expect(r.getByRole("heading")).toHaveTextContent("Sandbox · ops");
    expect(r.getByTestId("role-arn")).toHaveTextContent("qcs::cam::uin/100000000002:roleName/ops");
    expect(r.getByText("Assumed through").nextSibling).toHaveTextContent("Sandbox");
    expect(await r.findByText("100000000002")).toHaveAttribute("data-testid", "account-uin");
    expect(r.queryByTestId("masked-id")).toBeNull();
    // The Sandbox's role accounts are reset with the Sandbox, edited and deleted never.
    expect(r.queryByTestId("sandbox-reset")).toBeNull();
    expect(r.queryByTestId("profile-edit")).toBeNull();
    expect(r.queryByTestId("profile-delete")).toBeNull();
    // A profile whose identity cannot be asked says why, by Tencent's code.
    const work = await card("p-work");
    expect(await work.findByText("Unknown (AuthFailure.SecretIdNotFound)")).toBeInTheDocument();
  });

  it("edits a role profile the user added in its own form: Cancel sends nothing, a refusal shows on its field", async () => {
    const mine = profile("p-ops", "Ops", {
      kind: "cloud",
      maskedSecretId: null,
      role: {
        baseProfileId: "p-work",
        roleArn: "qcs::cam::uin/100000000002:roleName/ops",
        sessionName: "desk",
        durationSeconds: 7200,
      },
    });
    const calls = backend({ ...view, profiles: [sandbox, work, mine] });
    renderPage();
    await userEvent.click((await card("p-ops")).getByTestId("profile-edit"));
    // The role's own form, filled with what it has (no keys to type).
    const form = within(screen.getByTestId("role-form"));
    expect(form.getByRole("heading")).toHaveTextContent("Edit role profile");
    expect(form.getByTestId("rf-name")).toHaveValue("Ops");
    expect(form.getByTestId("rf-base")).toHaveValue("p-work");
    expect(form.getByTestId("rf-arn")).toHaveValue("qcs::cam::uin/100000000002:roleName/ops");
    expect(form.getByTestId("rf-session")).toHaveValue("desk");
    expect(form.getByTestId("rf-duration")).toHaveValue(7200);
    await userEvent.click(form.getByText("Cancel"));
    expect(screen.queryByTestId("role-form")).toBeNull();
    expect(writes(calls)).toEqual([]);

    await userEvent.click((await card("p-ops")).getByTestId("profile-edit"));
    const arn = screen.getByTestId("rf-arn");
    await userEvent.clear(arn);
    await userEvent.type(arn, "qcs::cam::uin/100000000003:roleName/nobody");
    await userEvent.click(screen.getByTestId("rf-save"));
    expect(await screen.findByTestId("error-roleArn")).toHaveTextContent(
      "The role does not exist.",
    );
    await userEvent.clear(arn);
    await userEvent.type(arn, "qcs::cam::uin/100000000003:roleName/auditor");
    await userEvent.click(screen.getByTestId("rf-save"));
    expect(await screen.findByTestId("profiles-notice")).toHaveTextContent(
      "calls now act as qcs::cam::uin/100000000003:roleName/auditor",
    );
    expect(
      writes(calls).map((c) => [
        c.cmd,
        c.args.profileId,
        (c.args.input as { roleArn: string }).roleArn,
      ]),
    ).toEqual([
      ["update_role_profile", "p-ops", "qcs::cam::uin/100000000003:roleName/nobody"],
      ["update_role_profile", "p-ops", "qcs::cam::uin/100000000003:roleName/auditor"],
    ]);
  });
});
