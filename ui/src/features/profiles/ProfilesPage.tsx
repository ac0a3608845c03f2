import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  type ImportCandidate,
  type ImportSource,
  type ProfileView,
  type VerifyReport,
  errorDetail,
  profilesBackend,
} from "../../backend";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { ErrorBox } from "../../components/ErrorBox";
import { ProfileForm } from "./ProfileForm";
import { RoleProfileForm } from "./RoleProfileForm";
import { profilesKey, useProfiles, useSetActiveProfile } from "./useProfiles";
import { profileName } from "./profileName";
import "./profiles.css";

type Mode =
  | { kind: "list" }
  | { kind: "add" }
  | { kind: "addRole" }
  | { kind: "edit"; profile: ProfileView }
  | { kind: "editRole"; profile: ProfileView };

export function ProfilesPage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const { data } = useProfiles();
  const keyring = useQuery({ queryKey: ["keyring"], queryFn: profilesBackend.keyringStatus });
  const [mode, setMode] = useState<Mode>({ kind: "list" });
  const [notice, setNotice] = useState<string | null>(null);

  const refresh = () => qc.invalidateQueries({ queryKey: profilesKey });
  const done = (report: VerifyReport | null) => {
    setMode({ kind: "list" });
    setNotice(report ? verifiedText(t, report) : null);
    void refresh();
  };

  return (
    <section className="page" data-testid="profiles-page">
      <h1>{t("profiles.title")}</h1>
      <p className="lead">{t("profiles.intro")}</p>
      {keyring.data && !keyring.data.available && (
        <div className="error-box" role="alert" data-testid="keyring-problem">
          <strong>{t("profiles.keyringProblemTitle")}</strong>
          <p>{keyring.data.message}</p>
          <p className="mono small">{keyring.data.code}</p>
        </div>
      )}
      {data?.corruptBackup && (
        <div className="error-box" role="alert" data-testid="corrupt-notice">
          <strong>{t("profiles.corruptTitle")}</strong>
          <p>{t("profiles.corruptText", { path: data.corruptBackup })}</p>
          <button
            type="button"
            className="btn"
            onClick={() => void profilesBackend.dismissCorruptNotice().then(refresh)}
          >
            {t("profiles.dismiss")}
          </button>
        </div>
      )}
      {notice && (
        <div className="notice" role="status" data-testid="profiles-notice">
          {notice}
        </div>
      )}
      {mode.kind === "list" && (
        <>
          <div className="toolbar">
            <button
              type="button"
              className="btn primary"
              data-testid="profile-add"
              onClick={() => {
                setNotice(null);
                setMode({ kind: "add" });
              }}
            >
              {t("profiles.add")}
            </button>
            <button
              type="button"
              className="btn"
              data-testid="profile-add-role"
              onClick={() => {
                setNotice(null);
                setMode({ kind: "addRole" });
              }}
            >
              {t("profiles.addRole")}
            </button>
          </div>
          <div className="profile-list">
            {data?.profiles.map((p) => (
              <ProfileCard
                key={p.id}
                profile={p}
                base={
                  p.role ? data.profiles.find((b) => b.id === p.role?.baseProfileId) : undefined
                }
                active={p.id === data.active}
                onEdit={() => {
                  setNotice(null);
                  setMode({ kind: p.role ? "editRole" : "edit", profile: p });
                }}
                onNotice={setNotice}
              />
            ))}
          </div>
          <ImportPanel onImported={done} />
        </>
      )}
      {mode.kind === "add" && (
        <ProfileForm onDone={done} onCancel={() => setMode({ kind: "list" })} />
      )}
      {mode.kind === "addRole" && (
        <RoleProfileForm
          profiles={data?.profiles ?? []}
          onDone={(r) => {
            setMode({ kind: "list" });
            setNotice(t("profiles.roleAdded", { role: r.maskedSecretId }));
            void refresh();
          }}
          onCancel={() => setMode({ kind: "list" })}
        />
      )}
      {mode.kind === "editRole" && (
        <RoleProfileForm
          profiles={data?.profiles ?? []}
          editing={mode.profile}
          onDone={(r) => {
            setMode({ kind: "list" });
            setNotice(t("profiles.roleUpdated", { role: r.maskedSecretId }));
            void refresh();
            // Its caller is now the new role (or another account).
            void qc.invalidateQueries({ queryKey: ["identity", mode.profile.id] });
          }}
          onCancel={() => setMode({ kind: "list" })}
        />
      )}
      {mode.kind === "edit" && (
        <ProfileForm
          editing={mode.profile}
          onDone={done}
          onCancel={() => setMode({ kind: "list" })}
        />
      )}
    </section>
  );
}

function verifiedText(t: (k: string, o?: Record<string, unknown>) => string, r: VerifyReport) {
  const base = t("profiles.verified", { id: r.maskedSecretId, count: r.regionsVisible });
  return Math.abs(r.clockOffsetSeconds) > 0
    ? `${base} ${t("profiles.clockOffset", { seconds: r.clockOffsetSeconds })}`
    : base;
}

function ProfileCard(props: {
  profile: ProfileView;
  /** A role profile's base profile, whose keys assume the role. */
  base?: ProfileView;
  active: boolean;
  onEdit: () => void;
  onNotice: (s: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const p = props.profile;
  const setActive = useSetActiveProfile();
  const after = (view?: unknown) => {
    if (view) qc.setQueryData(profilesKey, view);
    else void qc.invalidateQueries({ queryKey: profilesKey });
  };
  const verify = useMutation({
    mutationFn: () => profilesBackend.verifyProfile(p.id),
    onSuccess: (r) => props.onNotice(verifiedText(t, r)),
  });
  const [asking, setAsking] = useState<"delete" | "reset" | "unlock" | "time" | null>(null);
  const close = () => setAsking(null);
  const remove = useMutation({
    mutationFn: (typedName: string) => profilesBackend.deleteProfile(p.id, typedName),
    onSuccess: (view) => {
      close();
      after(view);
    },
  });
  // Unlocking sends the profile's id as the dialog's confirmation; locking needs none.
  const unlock = useMutation({
    mutationFn: (u: boolean) => profilesBackend.setProfileUnlocked(p.id, u, u ? p.id : null),
    onSuccess: (view) => {
      close();
      after(view);
    },
  });
  const reset = useMutation({
    mutationFn: () => profilesBackend.resetSandbox(p.id),
    onSuccess: () => {
      close();
      props.onNotice(t("profiles.resetDone"));
      void qc.invalidateQueries();
    },
  });
  const isSandbox = p.kind === "sandbox";
  // The Sandbox and the role profiles it ships (ids `sandbox-…`) stay; a role profile the
  // user added through the Sandbox (an id `p-…`) can be deleted like any other.
  const shipped = isSandbox && (p.id === "sandbox" || p.id.startsWith("sandbox-"));
  const [passHours, setPassHours] = useState(24);
  // The Sandbox's own clock, which "Let time pass" moves (its role profiles share it).
  const clock = useQuery({
    queryKey: ["sandbox-clock"],
    queryFn: profilesBackend.sandboxClock,
    enabled: isSandbox && !p.role,
  });
  const pass = useMutation({
    mutationFn: (hours: number) => profilesBackend.letSandboxTimePass(p.id, hours, p.id),
    onSuccess: (c) => {
      close();
      props.onNotice(
        t("profiles.timePassed", { time: formatClock(c.nowUnix, i18n.language), ...ahead(c) }),
      );
      // Everything the Sandbox shows may have changed: states, expiries, credentials.
      void qc.invalidateQueries();
    },
  });
  const dialogError = (e: unknown) =>
    e ? <ErrorBox title={t("profiles.failed")} error={e} /> : null;
  // Failures inside an open dialog show there; the card shows the rest.
  const error =
    verify.error ?? (asking ? null : (remove.error ?? unlock.error ?? reset.error ?? pass.error));
  const name = profileName(p, t("profiles.sandboxName"));
  // Who the profile's calls act as: asked once a session (GetCallerIdentity).
  const identity = useQuery({
    queryKey: ["identity", p.id],
    queryFn: () => profilesBackend.profileIdentity(p.id),
    staleTime: Infinity,
    retry: false,
  });
  const siteText = p.site.type === "custom" ? p.site.url : t(`profiles.site.${p.site.type}`);

  return (
    <article
      className={`card profile-card${props.active ? " active" : ""}`}
      data-testid={`profile-${p.id}`}
    >
      <header>
        <h3>{name}</h3>
        <span className="badge">{t(`profiles.kind.${p.kind}`)}</span>
        {props.active && <span className="badge accent">{t("profiles.active")}</span>}
        {p.readOnly && (
          <span className="badge warn">
            {p.locked ? t("profiles.locked") : t("profiles.readOnly")}
          </span>
        )}
      </header>
      <dl className="facts compact">
        {p.role ? (
          <>
            <dt>{t("profiles.field.role")}</dt>
            <dd className="mono" data-testid="role-arn">
              {p.role.roleArn}
            </dd>
            <dt>{t("profiles.field.through")}</dt>
            <dd>{props.base ? profileName(props.base, t("profiles.sandboxName")) : "—"}</dd>
          </>
        ) : (
          <>
            <dt>{t("profiles.field.secretId")}</dt>
            <dd className="mono" data-testid="masked-id">
              {p.maskedSecretId ?? "—"}
            </dd>
          </>
        )}
        {!isSandbox && (
          <>
            <dt>{t("profiles.site.label")}</dt>
            <dd>{siteText}</dd>
          </>
        )}
        <dt>{t("profiles.field.defaultRegion")}</dt>
        <dd className="mono">{p.defaultRegion}</dd>
        {isSandbox && !p.role && clock.data && (
          <>
            <dt>{t("profiles.field.sandboxTime")}</dt>
            <dd data-testid="sandbox-time" data-ahead={clock.data.aheadSeconds}>
              <span className="mono">{formatClock(clock.data.nowUnix, i18n.language)}</span>
              {clock.data.aheadSeconds >= 60 && (
                <span className="muted"> · {t("profiles.ahead", ahead(clock.data))}</span>
              )}
            </dd>
          </>
        )}
        <dt>{t("profiles.field.account")}</dt>
        <dd className="mono" data-testid="account-uin">
          {identity.data?.accountId ?? (identity.isPending ? "…" : "—")}
        </dd>
        <dt>{t("profiles.field.caller")}</dt>
        <dd className="mono" data-testid="caller-arn">
          {identity.data?.arn ??
            (identity.error
              ? t("profiles.identityFailed", {
                  code: errorDetail(identity.error)?.code ?? "?",
                })
              : "…")}
        </dd>
      </dl>
      {error && <ErrorBox title={t("profiles.verify")} error={error} />}
      <div className="actions">
        {!props.active && (
          <button
            type="button"
            className="btn"
            data-testid="profile-use"
            onClick={() => setActive.mutate(p.id)}
          >
            {t("profiles.use")}
          </button>
        )}
        <button
          type="button"
          className="btn"
          data-testid="profile-verify"
          disabled={verify.isPending}
          onClick={() => verify.mutate()}
        >
          {t("profiles.verify")}
        </button>
        {p.readOnly && (
          <button
            type="button"
            className="btn"
            data-testid="profile-unlock"
            onClick={() => {
              unlock.reset();
              if (p.locked) setAsking("unlock");
              else unlock.mutate(false);
            }}
          >
            {p.locked ? t("profiles.unlock") : t("profiles.lock")}
          </button>
        )}
        {/* A keys profile, or a role profile the user added (the Sandbox's own stay). */}
        {(p.role ? !shipped : !isSandbox) && (
          <button type="button" className="btn" data-testid="profile-edit" onClick={props.onEdit}>
            {t("profiles.edit")}
          </button>
        )}
        {!shipped && (
          <button
            type="button"
            className="btn danger"
            data-testid="profile-delete"
            onClick={() => {
              remove.reset();
              setAsking("delete");
            }}
          >
            {t("profiles.delete")}
          </button>
        )}
        {isSandbox && !p.role && (
          <button
            type="button"
            className="btn danger"
            data-testid="sandbox-reset"
            onClick={() => {
              reset.reset();
              setAsking("reset");
            }}
          >
            {t("profiles.resetSandbox")}
          </button>
        )}
        {isSandbox && !p.role && (
          <button
            type="button"
            className="btn"
            data-testid="sandbox-pass-time"
            onClick={() => {
              pass.reset();
              setAsking("time");
            }}
          >
            {t("profiles.passTime")}
          </button>
        )}
      </div>
      {asking === "delete" && (
        <ConfirmDialog
          kind="delete-profile"
          title={t("profiles.confirm.deleteTitle")}
          confirmLabel={t("profiles.confirm.deleteOk")}
          danger
          phrase={p.name}
          typedLabel={t("profiles.confirm.deleteTyped", { phrase: p.name })}
          busy={remove.isPending}
          error={dialogError(remove.error)}
          onCancel={close}
          onConfirm={(typed) => remove.mutate(typed ?? "")}
        >
          <p>{t("profiles.confirm.deleteText", { name: p.name })}</p>
        </ConfirmDialog>
      )}
      {asking === "reset" && (
        <ConfirmDialog
          kind="reset-sandbox"
          title={t("profiles.confirm.resetTitle")}
          confirmLabel={t("profiles.confirm.resetOk")}
          danger
          busy={reset.isPending}
          error={dialogError(reset.error)}
          onCancel={close}
          onConfirm={() => reset.mutate()}
        >
          <p>{t("profiles.confirm.resetText")}</p>
        </ConfirmDialog>
      )}
      {asking === "time" && (
        <ConfirmDialog
          kind="sandbox-time"
          title={t("profiles.confirm.timeTitle")}
          confirmLabel={t("profiles.confirm.timeOk", { span: spanText(t, passHours) })}
          danger
          busy={pass.isPending}
          error={dialogError(pass.error)}
          onCancel={close}
          onConfirm={() => pass.mutate(passHours)}
        >
          <div className="inline">
            <label htmlFor="sandbox-pass-hours">{t("profiles.confirm.timeHow")}</label>
            <select
              id="sandbox-pass-hours"
              data-testid="sandbox-pass-hours"
              value={passHours}
              onChange={(e) => setPassHours(Number(e.target.value))}
            >
              {PASS_CHOICES.map((h) => (
                <option key={h} value={h}>
                  {spanText(t, h)}
                </option>
              ))}
            </select>
          </div>
          <p>{t("profiles.confirm.timeText")}</p>
        </ConfirmDialog>
      )}
      {asking === "unlock" && (
        <ConfirmDialog
          kind="unlock-profile"
          title={t("profiles.confirm.unlockTitle", { name })}
          confirmLabel={t("profiles.confirm.unlockOk")}
          busy={unlock.isPending}
          error={dialogError(unlock.error)}
          onCancel={close}
          onConfirm={() => unlock.mutate(true)}
        >
          <p>{t("profiles.confirm.unlockText")}</p>
        </ConfirmDialog>
      )}
    </article>
  );
}

/** How much time "Let time pass" offers, in hours: an hour, a day, a week, 30 days. */
const PASS_CHOICES = [1, 24, 7 * 24, 30 * 24];

function spanText(t: (k: string, o?: Record<string, unknown>) => string, hours: number) {
  return hours % 24 === 0
    ? t("profiles.spanDays", { count: hours / 24 })
    : t("profiles.spanHours", { count: hours });
}

/** How far the Sandbox runs ahead, in whole days and hours. */
function ahead(c: { aheadSeconds: number }) {
  const hours = Math.floor(c.aheadSeconds / 3600);
  return { days: Math.floor(hours / 24), hours: hours % 24 };
}

function formatClock(unixSeconds: number, locale: string) {
  return new Date(unixSeconds * 1000).toLocaleString(locale, {
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  });
}

function ImportPanel(props: { onImported: (r: VerifyReport) => void }) {
  const { t } = useTranslation();
  const candidates = useQuery({
    queryKey: ["import-candidates"],
    queryFn: profilesBackend.importCandidates,
  });
  return (
    <section className="card import-panel" data-testid="import-panel">
      <h2>{t("profiles.importTitle")}</h2>
      {candidates.data?.length === 0 && <p className="muted">{t("profiles.importNone")}</p>}
      {candidates.data?.map((c) => (
        <ImportRow key={JSON.stringify(c.source)} candidate={c} onImported={props.onImported} />
      ))}
    </section>
  );
}

function sourceKey(s: ImportSource) {
  return s.type === "tccli" ? `tccli-${s.profile}` : "env";
}

function ImportRow(props: { candidate: ImportCandidate; onImported: (r: VerifyReport) => void }) {
  const { t } = useTranslation();
  const c = props.candidate;
  const [name, setName] = useState(c.source.type === "tccli" ? `tccli ${c.source.profile}` : "env");
  const [siteType, setSiteType] = useState<"china" | "intl" | "custom">("china");
  const [endpoint, setEndpoint] = useState("");
  const [imported, setImported] = useState<VerifyReport | null>(null);
  const [deleted, setDeleted] = useState<string | null>(null);
  const [asking, setAsking] = useState(false);
  const imp = useMutation({
    mutationFn: () =>
      profilesBackend.importProfile(
        c.source,
        name,
        siteType === "custom" ? { type: "custom", url: endpoint } : { type: siteType },
      ),
    onSuccess: setImported,
  });
  // The confirmation is the path the dialog showed: the backend deletes only that file.
  const del = useMutation({
    mutationFn: (path: string) =>
      profilesBackend.deleteTccliCredential(
        c.source.type === "tccli" ? c.source.profile : "",
        path,
      ),
    onSuccess: (path) => {
      setAsking(false);
      setDeleted(path);
    },
  });
  const key = sourceKey(c.source);
  return (
    <div className="import-row" data-testid={`import-${key}`}>
      <div>
        <strong>{c.label}</strong> <span className="mono">{c.maskedSecretId}</span>
        {c.region && <span className="muted"> · {c.region}</span>}
        {c.roleArn && (
          <span className="muted" data-testid={`import-role-${sourceKey(c.source)}`}>
            {" · "}
            {t("profiles.importRole", { role: c.roleArn })}
          </span>
        )}
      </div>
      {!imported ? (
        <div className="inline">
          <label htmlFor={`import-name-${key}`}>{t("profiles.importAs")}</label>
          <input
            id={`import-name-${key}`}
            data-testid={`import-name-${key}`}
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
          <select
            aria-label={t("profiles.site.label")}
            data-testid={`import-site-${key}`}
            value={siteType}
            onChange={(e) => setSiteType(e.target.value as "china" | "intl" | "custom")}
          >
            <option value="china">{t("profiles.site.china")}</option>
            <option value="intl">{t("profiles.site.intl")}</option>
            <option value="custom">{t("profiles.site.custom")}</option>
          </select>
          {siteType === "custom" && (
            <input
              aria-label={t("profiles.field.endpoint")}
              data-testid={`import-endpoint-${key}`}
              placeholder="https://"
              value={endpoint}
              onChange={(e) => setEndpoint(e.target.value)}
            />
          )}
          <button
            type="button"
            className="btn"
            data-testid={`import-do-${key}`}
            disabled={imp.isPending}
            onClick={() => imp.mutate()}
          >
            {t("profiles.import")}
          </button>
        </div>
      ) : (
        <div className="inline">
          <span className="ok-text">
            {t("profiles.importDone", { id: imported.maskedSecretId })}
          </span>
          {c.credentialFile && !deleted && (
            <button
              type="button"
              className="btn danger"
              data-testid={`import-delete-plaintext-${key}`}
              onClick={() => {
                del.reset();
                setAsking(true);
              }}
            >
              {t("profiles.deletePlaintext", { path: c.credentialFile })}
            </button>
          )}
          {deleted && (
            <span className="muted">{t("profiles.plaintextDeleted", { path: deleted })}</span>
          )}
          <button type="button" className="btn" onClick={() => props.onImported(imported)}>
            OK
          </button>
        </div>
      )}
      {asking && c.credentialFile && (
        <ConfirmDialog
          kind="delete-plaintext"
          title={t("profiles.confirm.plaintextTitle")}
          confirmLabel={t("profiles.confirm.plaintextOk")}
          danger
          busy={del.isPending}
          error={del.error ? <ErrorBox title={t("profiles.failed")} error={del.error} /> : null}
          onCancel={() => setAsking(false)}
          onConfirm={() => c.credentialFile && del.mutate(c.credentialFile)}
        >
          <p className="mono selectable" data-testid="confirm-path">
            {c.credentialFile}
          </p>
          <p>{t("profiles.confirm.plaintextText")}</p>
        </ConfirmDialog>
      )}
      {(imp.error ?? (asking ? null : del.error)) && (
        <ErrorBox title={t("profiles.import")} error={imp.error ?? del.error} />
      )}
    </div>
  );
}
