import { useEffect, useRef, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useQuery } from "@tanstack/react-query";
import {
  type AuthInput,
  type HostInput,
  type InstanceDetail,
  type JumpInput,
  type OpenOutcome,
  BackendError,
  appBackend,
  connectBackend,
  instancesBackend,
} from "../../backend";
import { Modal } from "../../components/Modal";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { ErrorBox } from "../../components/ErrorBox";
import { navigate } from "../palette/registry";
import { SessionSink, addTab, cancelConnect, type ConnectTarget } from "./store";
import "./connect.css";

type Method = "agent" | "keyFile" | "password";

/** One way of logging in, as the form holds it (secrets only until the dialog closes). */
interface AuthState {
  method: Method;
  keyFile: string;
  passphrase: string;
  password: string;
}

const NO_AUTH: AuthState = { method: "agent", keyFile: "", passphrase: "", password: "" };

function authInput(a: AuthState): AuthInput {
  switch (a.method) {
    case "agent":
      return { method: "agent" };
    case "keyFile":
      return { method: "keyFile", keyFile: a.keyFile, passphrase: a.passphrase || null };
    case "password":
      return { method: "password", password: a.password };
  }
}

type Changed = Extract<OpenOutcome, { outcome: "hostKeyChanged" }>;
type Unknown = Extract<OpenOutcome, { outcome: "hostKeyUnknown" }>;

/** `[host]:port` (as known_hosts names a host on another port) → host and port. */
export function hostAndPort(name: string): { host: string; port: number } {
  const m = /^\[(.+)\]:(\d+)$/.exec(name);
  return m?.[1] && m[2] ? { host: m[1], port: Number(m[2]) } : { host: name, port: 22 };
}

/** The terminal's size before it is on screen: the fit afterwards corrects it. */
function estimatedSize(): { cols: number; rows: number } {
  const area = document.querySelector<HTMLElement>(".terminal-area");
  const w = area?.offsetWidth || window.innerWidth - 300;
  const h = area?.offsetHeight || window.innerHeight - 200;
  return {
    cols: Math.min(500, Math.max(20, Math.floor(w / 7.8))),
    rows: Math.min(200, Math.max(5, Math.floor(h / 17))),
  };
}

function fieldOf(e: unknown): string | null {
  return e instanceof BackendError ? (e.detail.field ?? null) : null;
}

/** The dialog for the target the store holds: nothing when none. */
export function ConnectHost(props: { target: ConnectTarget | null }) {
  if (!props.target) return null;
  const key =
    props.target.kind === "instance"
      ? `${props.target.profileId}/${props.target.region}/${props.target.instanceId}`
      : "host";
  return <ConnectDialog key={key} target={props.target} />;
}

/**
 * How to log in (ssh-agent, a key file with its passphrase, or a password, asked each
 * time), through a jump host when wanted; then the host key's first-use question or the
 * refusal of a changed one. A session opens only when everything is answered; a failure
 * stays in the dialog, so no tab is ever left half-open.
 */
function ConnectDialog(props: { target: ConnectTarget }) {
  const { t } = useTranslation();
  const target = props.target;
  const inst = target.kind === "instance" ? target : null;
  const detail = useQuery({
    queryKey: ["instanceDetail", inst?.profileId, inst?.region, inst?.instanceId],
    queryFn: () =>
      instancesBackend.describeInstance(
        inst?.profileId ?? "",
        inst?.region ?? "",
        inst?.instanceId ?? "",
      ),
    enabled: !!inst,
  });
  const title =
    target.kind === "instance"
      ? t("connect.dialogTitle", { name: target.name || target.instanceId })
      : t("connect.hostTitle");
  useRelayoutOnSwap();
  return (
    <Modal
      title={title}
      testid="connect-dialog"
      className="connect-dialog"
      // Focus starts on the frame, not the first radio: when showModal() focuses a control
      // inside, WebKitGTK keeps the dialog laid out 38 px too tall until the next style
      // change, which the first click's focus then makes: the frame moves between the
      // press and the release, and that click (on Password, say) is lost.
      initialFocus={() => document.querySelector<HTMLElement>('[data-testid="connect-dialog"]')}
      onCancel={cancelConnect}
    >
      {inst && detail.isPending && <p className="muted">{t("connect.loading")}</p>}
      {inst && detail.error && (
        <>
          <ErrorBox title={t("connect.failed")} error={detail.error} />
          <Buttons>
            <CloseButton />
          </Buttons>
        </>
      )}
      {inst && detail.data && <InstanceForm target={inst} detail={detail.data} />}
      {!inst && <ConnectForm target={target} detail={null} rememberedPath={null} />}
    </Modal>
  );
}

/**
 * WebKitGTK keeps a modal `<dialog>` at the height it had before its content was swapped
 * (the loading line, then the form) until some later style change: the frame stays a
 * line too tall. A style change of its own right after each swap lays it out afresh.
 */
function useRelayoutOnSwap() {
  useEffect(() => {
    const dialog = document.querySelector<HTMLElement>('[data-testid="connect-dialog"]');
    if (!dialog) return;
    let frame = 0;
    const relayout = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => {
        dialog.style.minHeight = "1px";
        void dialog.offsetHeight;
        dialog.style.minHeight = "";
      });
    };
    const observer = new MutationObserver(relayout);
    observer.observe(dialog, { childList: true });
    return () => {
      observer.disconnect();
      cancelAnimationFrame(frame);
    };
  }, []);
}

function Buttons(props: { children: ReactNode }) {
  return <div className="dialog-buttons">{props.children}</div>;
}

function CloseButton() {
  const { t } = useTranslation();
  return (
    <button type="button" className="btn" data-testid="connect-cancel" onClick={cancelConnect}>
      {t("connect.cancel")}
    </button>
  );
}

type InstanceTarget = Extract<ConnectTarget, { kind: "instance" }>;

/** A stopped or Windows instance gets its explanation; a running Linux one the form. */
function InstanceForm(props: { target: InstanceTarget; detail: InstanceDetail }) {
  const { t } = useTranslation();
  const s = props.detail.summary;
  if (s.state !== "RUNNING") {
    return (
      <>
        <p className="connect-block" data-testid="connect-not-running">
          {t("connect.notRunning", {
            state: t(`instances.state.${s.state}`, { defaultValue: s.state }),
          })}
        </p>
        <Buttons>
          <CloseButton />
        </Buttons>
      </>
    );
  }
  if (/windows/i.test(s.osName ?? "")) {
    return (
      <>
        <p className="connect-block" data-testid="connect-windows">
          {t("connect.windows", { ip: s.publicIps[0] ?? s.privateIps[0] ?? "—" })}
        </p>
        <VncButton target={props.target} />
        <Buttons>
          <CloseButton />
        </Buttons>
      </>
    );
  }
  return <KeyPathThenForm target={props.target} detail={props.detail} />;
}

/** The form once the key file remembered for the instance's key pairs (if any) is known. */
function KeyPathThenForm(props: { target: InstanceTarget; detail: InstanceDetail }) {
  const keyIds = props.detail.keyIds;
  const remembered = useQuery({
    queryKey: ["keyPath", ...keyIds],
    queryFn: async () => {
      for (const k of keyIds) {
        const p = await connectBackend.getKeyPath(k).catch(() => null);
        if (p) return p;
      }
      return null;
    },
  });
  if (remembered.isPending) return null;
  return (
    <ConnectForm
      target={props.target}
      detail={props.detail}
      rememberedPath={remembered.data ?? null}
    />
  );
}

/** Opens the one-time VNC address in a window of its own. */
function VncButton(props: { target: InstanceTarget }) {
  const { t } = useTranslation();
  const [state, setState] = useState<"idle" | "busy" | "opened">("idle");
  const [error, setError] = useState<unknown>(null);
  const { profileId, region, instanceId, name } = props.target;
  const open = () => {
    setState("busy");
    setError(null);
    connectBackend
      .openVncConsole(
        profileId,
        region,
        instanceId,
        t("connect.vncWindow", { name: name || instanceId }),
      )
      .then(
        () => setState("opened"),
        (e: unknown) => {
          setError(e);
          setState("idle");
        },
      );
  };
  return (
    <div className="connect-vnc">
      <button
        type="button"
        className="btn"
        data-testid="connect-vnc"
        disabled={state === "busy"}
        onClick={open}
      >
        {t("connect.vnc")}
      </button>
      <span className="small muted">{t("connect.vncNote")}</span>
      {state === "opened" && (
        <span className="small" role="status" data-testid="connect-vnc-opened">
          {t("connect.vncOpened")}
        </span>
      )}
      {error !== null && <ErrorBox title={t("connect.vncFailed")} error={error} />}
    </div>
  );
}

function AuthFields(props: {
  prefix: string;
  value: AuthState;
  onChange: (a: AuthState) => void;
  invalid: string | null;
}) {
  const { t } = useTranslation();
  const { prefix, value: a, onChange } = props;
  const id = (f: string) => (prefix ? `${prefix}-${f}` : f);
  const field = (f: string) => (prefix ? `${prefix}.${f}` : f);
  const bad = (f: string) => props.invalid === field(f) || undefined;
  /** A passphrase or password: typed each time, never stored. */
  const secretField = (f: "passphrase" | "password") => (
    <label className="field">
      <span>{t(`connect.${f}`)}</span>
      <input
        className="input"
        type="password"
        data-testid={`connect-${id(f)}`}
        value={a[f]}
        autoComplete="off"
        aria-invalid={bad(f)}
        onChange={(e) => onChange({ ...a, [f]: e.target.value })}
      />
    </label>
  );
  const pick = () => {
    connectBackend.pickKeyFile(t("connect.pickTitle")).then(
      (p) => p && onChange({ ...a, keyFile: p }),
      () => undefined,
    );
  };
  return (
    <fieldset className="connect-auth" data-testid={`connect-${id("auth")}`}>
      <legend>{prefix ? t("connect.jumpAuth") : t("connect.auth")}</legend>
      <div className="connect-methods" role="radiogroup">
        {(["agent", "keyFile", "password"] as const).map((m) => (
          <label key={m} className="radio">
            <input
              type="radio"
              name={id("method")}
              data-testid={`connect-${id("method")}-${m}`}
              checked={a.method === m}
              onChange={() => onChange({ ...a, method: m })}
            />
            {t(`connect.method.${m}`)}
          </label>
        ))}
      </div>
      {a.method === "agent" && <p className="small muted">{t("connect.agentNote")}</p>}
      {a.method === "keyFile" && (
        <>
          <label className="field">
            <span>{t("connect.keyFile")}</span>
            <span className="connect-row">
              <input
                className="input mono"
                data-testid={`connect-${id("key-file")}`}
                value={a.keyFile}
                spellCheck={false}
                autoComplete="off"
                placeholder="~/.ssh/id_ed25519"
                aria-invalid={bad("keyFile")}
                onChange={(e) => onChange({ ...a, keyFile: e.target.value })}
              />
              <button
                type="button"
                className="btn"
                data-testid={`connect-${id("browse")}`}
                onClick={pick}
              >
                {t("connect.browse")}
              </button>
            </span>
          </label>
          {secretField("passphrase")}
        </>
      )}
      {a.method === "password" && secretField("password")}
      <p className="small muted">{t("connect.nothingStored")}</p>
    </fieldset>
  );
}

interface JumpState {
  on: boolean;
  /** An instance of the same list (its id), or "" for a host typed in. */
  instance: string;
  host: string;
  port: string;
  user: string;
  auth: AuthState;
}

interface HostPortUser {
  host: string;
  port: string;
  user: string;
}

/** An SSH hop's host, port and user, side by side. */
function HostFields(props: {
  prefix: "host" | "jump";
  value: HostPortUser;
  bad: (field: keyof HostPortUser) => boolean | undefined;
  onChange: (change: Partial<HostPortUser>) => void;
}) {
  const { t } = useTranslation();
  const field = (name: keyof HostPortUser, numeric: boolean) => (
    <label className="field">
      <span>{t(`connect.${name}`)}</span>
      <input
        className="input mono"
        data-testid={`connect-${props.prefix}-${name}`}
        inputMode={numeric ? "numeric" : undefined}
        value={props.value[name]}
        spellCheck={numeric ? undefined : false}
        aria-invalid={props.bad(name)}
        onChange={(e) => props.onChange({ [name]: e.target.value })}
      />
    </label>
  );
  return (
    <div className="connect-host-grid">
      {field("host", false)}
      {field("port", true)}
      {field("user", false)}
    </div>
  );
}

function JumpFields(props: {
  value: JumpState;
  onChange: (j: JumpState) => void;
  peers: { id: string; name: string; ip: string }[];
  invalid: string | null;
  required: boolean;
}) {
  const { t } = useTranslation();
  const { value: j, onChange } = props;
  const bad = (f: string) => props.invalid === `jump.${f}` || props.invalid === "jump" || undefined;
  return (
    <fieldset className="connect-jump" data-testid="connect-jump">
      <legend>
        <label className="radio">
          <input
            type="checkbox"
            data-testid="connect-jump-on"
            checked={j.on}
            onChange={(e) => onChange({ ...j, on: e.target.checked })}
          />
          {t("connect.jump")}
        </label>
      </legend>
      {props.required && !j.on && (
        <p className="connect-block small" data-testid="connect-no-public-ip">
          {t("connect.noPublicIp")}
        </p>
      )}
      {j.on && (
        <>
          {props.peers.length > 0 && (
            <label className="field">
              <span>{t("connect.jumpInstance")}</span>
              <select
                className="input"
                data-testid="connect-jump-instance"
                value={j.instance}
                onChange={(e) => onChange({ ...j, instance: e.target.value })}
              >
                <option value="">{t("connect.jumpOther")}</option>
                {props.peers.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name || p.id} ({p.ip})
                  </option>
                ))}
              </select>
            </label>
          )}
          {/* A picked instance's address and login user are looked up when connecting. */}
          {!j.instance && (
            <HostFields
              prefix="jump"
              value={j}
              bad={bad}
              onChange={(v) => onChange({ ...j, ...v })}
            />
          )}
          <AuthFields
            prefix="jump"
            value={j.auth}
            onChange={(auth) => onChange({ ...j, auth })}
            invalid={props.invalid}
          />
        </>
      )}
    </fieldset>
  );
}

/** A port as typed: 1–65535, else 0 (which the backend refuses, naming the field). */
function port(text: string): number {
  const n = Number(text.trim());
  return Number.isInteger(n) && n >= 1 && n <= 65535 ? n : 0;
}

function ConnectForm(props: {
  target: ConnectTarget;
  detail: InstanceDetail | null;
  /** The key file remembered for the instance's key pair. */
  rememberedPath: string | null;
}) {
  const { t } = useTranslation();
  const { target, detail } = props;
  const inst = target.kind === "instance" ? target : null;
  const s = detail?.summary;
  const keyIds = detail?.keyIds ?? [];
  const rememberedPath = props.rememberedPath;
  const [auth, setAuth] = useState<AuthState>(
    rememberedPath ? { ...NO_AUTH, method: "keyFile", keyFile: rememberedPath } : NO_AUTH,
  );
  const [host, setHost] = useState({ host: "", port: "22", user: "" });
  const noPublicIp = !!s && s.publicIps.length === 0;
  const [jump, setJump] = useState<JumpState>({
    on: noPublicIp,
    instance: "",
    host: "",
    port: "22",
    user: "root",
    auth: NO_AUTH,
  });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [unknown, setUnknown] = useState<Unknown | null>(null);
  const [changed, setChanged] = useState<Changed | null>(null);
  const [forgetting, setForgetting] = useState(false);
  const [forgetError, setForgetError] = useState<unknown>(null);
  const [copied, setCopied] = useState<string | null>(null);
  const gone = useRef(false);
  useEffect(
    () => () => {
      gone.current = true;
    },
    [],
  );

  // Other instances of the list that could be the jump host (a public IP, not Windows).
  const peersQuery = useQuery({
    queryKey: ["connectPeers", inst?.profileId, inst?.region],
    queryFn: () => instancesBackend.cachedInstances(inst?.profileId ?? "", inst?.region ?? ""),
    enabled: !!inst,
  });
  const peers = (peersQuery.data?.instances ?? [])
    .filter(
      (p) =>
        p.id !== inst?.instanceId &&
        p.state === "RUNNING" &&
        p.publicIps.length > 0 &&
        !/windows/i.test(p.osName ?? ""),
    )
    .map((p) => ({ id: p.id, name: p.name, ip: p.publicIps[0] ?? "" }));

  const jumpInput = (): JumpInput | null =>
    jump.on
      ? {
          endpoint: jump.instance
            ? null
            : { host: jump.host, port: port(jump.port), user: jump.user },
          instanceId: jump.instance || null,
          auth: authInput(jump.auth),
        }
      : null;
  const hostInput = (): HostInput => ({ host: host.host, port: port(host.port), user: host.user });

  const command = useQuery({
    queryKey: ["sshCommand", inst?.profileId, inst?.region, inst?.instanceId, keyIds[0]],
    queryFn: () =>
      connectBackend.sshCommand(
        inst?.profileId ?? "",
        inst?.region ?? "",
        inst?.instanceId ?? "",
        keyIds[0] ?? null,
        null,
        null,
      ),
    enabled: !!inst && !noPublicIp,
  });

  const copyCommand = async () => {
    setCopied(null);
    setError(null);
    try {
      const j = jumpInput();
      const text =
        inst && (j || !command.data)
          ? await connectBackend.sshCommand(
              inst.profileId,
              inst.region,
              inst.instanceId,
              keyIds[0] ?? null,
              j?.endpoint ?? null,
              j?.instanceId ?? null,
            )
          : (command.data ?? "");
      await appBackend.copyText(text);
      setCopied(text);
    } catch (e) {
      setError(e);
    }
  };

  const connect = async (trust: string | null) => {
    setBusy(true);
    setError(null);
    setNotice(null);
    setChanged(null);
    const sink = new SessionSink();
    const { cols, rows } = estimatedSize();
    const setup = {
      auth: authInput(auth),
      jump: jumpInput(),
      trust,
      cols,
      rows,
      onEvent: sink.push,
    };
    try {
      const out = inst
        ? await connectBackend.openSession(inst.profileId, inst.region, inst.instanceId, setup)
        : await connectBackend.openHostSession(hostInput(), setup);
      if (out.outcome === "hostKeyUnknown") setUnknown(out);
      else if (out.outcome === "hostKeyChanged") setChanged(out);
      else if (gone.current) {
        // Cancelled while it was opening: nobody would see it.
        void connectBackend.closeSession(out.sessionId).catch(() => null);
      } else {
        const only = keyIds.length === 1 ? keyIds[0] : undefined;
        if (auth.method === "keyFile" && only && auth.keyFile !== rememberedPath)
          void connectBackend.setKeyPath(only, auth.keyFile).catch(() => null);
        const name = inst ? inst.name || inst.instanceId : `${host.user}@${host.host}`;
        addTab({ title: name, sessionId: out.sessionId, sink, target });
        navigate("terminals");
      }
    } catch (e) {
      setError(e);
    } finally {
      if (!gone.current) setBusy(false);
    }
  };

  const forget = async () => {
    if (!changed) return;
    setForgetError(null);
    try {
      const hp = hostAndPort(changed.host);
      await connectBackend.forgetHostKey(hp.host, hp.port);
      setForgetting(false);
      setChanged(null);
      setNotice(t("connect.forgotten", { host: changed.host }));
    } catch (e) {
      setForgetError(e);
    }
  };

  const invalid = fieldOf(error);
  return (
    <form
      className="connect-form"
      data-testid="connect-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (!busy && !changed) void connect(null);
      }}
    >
      {inst && (
        <p className="small" data-testid="connect-target">
          {t("connect.target")}{" "}
          <span className="mono selectable" data-testid="connect-command">
            {command.data ??
              (noPublicIp ? t("connect.privateOnly", { ip: s?.privateIps[0] ?? "—" }) : "…")}
          </span>
        </p>
      )}
      {!inst && (
        <HostFields
          prefix="host"
          value={host}
          bad={(f) => invalid === f || undefined}
          onChange={(v) => setHost({ ...host, ...v })}
        />
      )}
      <AuthFields prefix="" value={auth} onChange={setAuth} invalid={invalid} />
      <JumpFields
        value={jump}
        onChange={setJump}
        peers={peers}
        invalid={invalid}
        required={noPublicIp}
      />
      {changed && (
        <div className="connect-changed" role="alert" data-testid="host-key-changed">
          <strong>{t("connect.changedTitle", { host: changed.host })}</strong>
          <p>{t("connect.changedBody")}</p>
          <dl>
            <dt>{t("connect.stored")}</dt>
            <dd className="mono selectable" data-testid="host-key-stored">
              {changed.stored}
            </dd>
            <dt>{t("connect.offered")}</dt>
            <dd className="mono selectable" data-testid="host-key-offered">
              {changed.offered}
            </dd>
            <dt>{t("connect.where")}</dt>
            <dd className="mono selectable">
              {changed.file}:{changed.line}
            </dd>
          </dl>
          <div>
            <button
              type="button"
              className="btn danger"
              data-testid="host-key-remove"
              onClick={() => setForgetting(true)}
            >
              {t("connect.removeOld")}
            </button>
          </div>
        </div>
      )}
      {notice && (
        <p className="small connect-notice" role="status" data-testid="connect-notice">
          {notice}
        </p>
      )}
      {copied && (
        <p className="small" role="status" data-testid="connect-copied">
          {t("connect.copied")} <span className="mono">{copied}</span>
        </p>
      )}
      {error !== null && <ErrorBox title={t("connect.failed")} error={error} />}
      {inst && <VncButton target={inst} />}
      <Buttons>
        {inst && (
          <button
            type="button"
            className="btn"
            data-testid="connect-copy-command"
            onClick={() => void copyCommand()}
          >
            {t("connect.copyCommand")}
          </button>
        )}
        <CloseButton />
        <button
          type="submit"
          className="btn primary"
          data-testid="connect-submit"
          disabled={busy || !!changed}
        >
          {busy ? t("connect.connecting") : t("connect.connect")}
        </button>
      </Buttons>
      {unknown && (
        <ConfirmDialog
          kind="host-key-unknown"
          title={t("connect.unknownTitle")}
          confirmLabel={t("connect.trust")}
          onCancel={() => {
            setUnknown(null);
            setNotice(t("connect.notTrusted"));
          }}
          onConfirm={() => {
            const fp = unknown.fingerprint;
            setUnknown(null);
            void connect(fp);
          }}
        >
          <p>{t("connect.unknownBody", { host: unknown.host })}</p>
          <p className="mono selectable connect-fingerprint" data-testid="host-key-fingerprint">
            {unknown.fingerprint}
          </p>
          <p className="small muted">{t("connect.unknownHint")}</p>
        </ConfirmDialog>
      )}
      {forgetting && changed && (
        <ConfirmDialog
          kind="forget-host-key"
          danger
          title={t("connect.forgetTitle", { host: changed.host })}
          confirmLabel={t("connect.removeOldOk")}
          error={forgetError ? <ErrorBox title={t("connect.failed")} error={forgetError} /> : null}
          onCancel={() => setForgetting(false)}
          onConfirm={() => void forget()}
        >
          <p>{t("connect.forgetBody", { host: changed.host, file: changed.file })}</p>
        </ConfirmDialog>
      )}
    </form>
  );
}
