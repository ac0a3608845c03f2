import { useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  alertsBackend,
  apiLanguage,
  type FleetTarget,
  instancesBackend,
  type SavedView,
  viewsBackend,
} from "../../backend";
import { useProfiles } from "../profiles/useProfiles";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { Modal } from "../../components/Modal";
import { Problem } from "../../components/Problem";
import { InstanceList, type ViewFilters } from "../instances/InstanceList";
import { profileName } from "../profiles/profileName";
import { FLEET_HIDDEN, type ColumnId } from "../instances/states";
import {
  type FieldError,
  type FleetView,
  consume,
  isConsumed,
  refusal,
  requestView,
  saveView,
  useRequestedView,
  useViews,
  viewNameProblem,
  viewsKey,
} from "./views";
import "./fleet.css";

const HIDDEN_KEY = "cvm.fleet.hiddenColumns";
const NOTHING_FIXED: ColumnId[] = [];

/** A checkbox list in a popover: every option, or a chosen few (null: all of them). */
function MultiPicker(props: {
  testid: string;
  label: string;
  allLabel: string;
  options: { id: string; label: string }[];
  value: string[] | null;
  onChange: (v: string[] | null) => void;
}) {
  const [open, setOpen] = useState(false);
  const { t } = useTranslation();
  const chosen = props.value;
  const summary =
    chosen === null
      ? props.allLabel
      : t("fleet.picked", { count: chosen.length, label: props.label });
  const toggle = (id: string) => {
    const base = chosen ?? props.options.map((o) => o.id);
    const next = base.includes(id) ? base.filter((x) => x !== id) : [...base, id];
    props.onChange(next.length === props.options.length ? null : next);
  };
  return (
    <div className="columns-chooser">
      <button
        type="button"
        className="button"
        data-testid={props.testid}
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
      >
        {summary}
      </button>
      {open && (
        <div className="columns-popover fleet-popover" data-testid={`${props.testid}-popover`}>
          <label className="radio small">
            <input
              type="checkbox"
              data-testid={`${props.testid}-all`}
              checked={chosen === null}
              onChange={() => props.onChange(null)}
            />
            {props.allLabel}
          </label>
          {props.options.map((o) => (
            <label key={o.id} className="radio small">
              <input
                type="checkbox"
                data-testid={`${props.testid}-${o.id}`}
                checked={chosen === null || chosen.includes(o.id)}
                disabled={chosen !== null && chosen.length === 1 && chosen[0] === o.id}
                onChange={() => toggle(o.id)}
              />
              {o.label}
            </label>
          ))}
        </div>
      )}
    </div>
  );
}

/**
 * The fleet: the instance list scoped to several accounts × their regions. By default
 * every profile with its enabled regions; the pickers narrow both. Saved views (accounts,
 * regions, tags, text, state) open here from the command palette.
 */
export function FleetPage() {
  const { t, i18n } = useTranslation();
  const lang = apiLanguage(i18n.language);
  const profiles = useProfiles();
  const all = useMemo(() => profiles.data?.profiles ?? [], [profiles.data]);
  // A view opened from the palette: taken when the page mounts for it (once), or applied
  // when it arrives while the page is shown.
  const requested = useRequestedView();
  const [initial] = useState(() => (requested && !isConsumed(requested) ? requested : null));
  const [applied, setApplied] = useState<FleetView | null>(initial);
  useEffect(() => {
    if (requested) consume(requested);
  }, [requested]);
  const [accounts, setAccounts] = useState<string[] | null>(initial?.accounts ?? null);
  const [regionsChosen, setRegionsChosen] = useState<string[] | null>(initial?.regions ?? null);
  const [saving, setSaving] = useState<ViewFilters | null>(null);
  const [seenRequest, setSeenRequest] = useState(requested);
  if (requested !== seenRequest) {
    setSeenRequest(requested);
    if (requested && requested !== applied) {
      setApplied(requested);
      setAccounts(requested.accounts);
      setRegionsChosen(requested.regions);
    }
  }

  const sandboxName = t("profiles.sandboxName");
  // The region choices: what the first account's DescribeRegions reports.
  const first = all[0]?.id;
  const regionList = useQuery({
    queryKey: ["regions", first, lang],
    queryFn: () => instancesBackend.listRegions(first ?? "", lang),
    enabled: !!first,
    staleTime: 60 * 60 * 1000,
  });
  const targets = useMemo((): FleetTarget[] | null => {
    if (accounts === null && regionsChosen === null) return null;
    const ids = accounts ?? all.map((p) => p.id);
    return ids.map((profileId) => ({ profileId, regions: regionsChosen }));
  }, [accounts, regionsChosen, all]);

  return (
    <>
      <InstanceList
        testid="fleet-page"
        className="fleet-page"
        title={t("fleet.title")}
        targets={targets}
        slot="fleet-page"
        profiles={all}
        progress="accounts"
        fixedHidden={NOTHING_FIXED}
        columnsKey={HIDDEN_KEY}
        defaultHidden={FLEET_HIDDEN}
        tagTools
        view={applied}
        onSaveView={setSaving}
        pickers={
          <>
            <MultiPicker
              testid="fleet-accounts"
              label={t("fleet.accounts")}
              allLabel={t("fleet.allAccounts")}
              options={all.map((p) => ({ id: p.id, label: profileName(p, sandboxName) }))}
              value={accounts}
              onChange={setAccounts}
            />
            <MultiPicker
              testid="fleet-regions"
              label={t("fleet.regions")}
              allLabel={t("fleet.enabledRegions")}
              options={(regionList.data ?? [])
                .filter((r) => r.available)
                .map((r) => ({ id: r.id, label: `${r.name} (${r.id})` }))}
              value={regionsChosen}
              onChange={setRegionsChosen}
            />
            <ViewsMenu />
          </>
        }
      />
      {saving && (
        <SaveViewDialog
          view={{ name: "", accounts, regions: regionsChosen, ...saving }}
          onClose={() => setSaving(null)}
        />
      )}
    </>
  );
}

/**
 * The saved views: open one, rename it, or delete it (through the confirmation dialog,
 * which says how many alert rules watch it).
 */
function ViewsMenu() {
  const { t } = useTranslation();
  const views = useViews();
  const [open, setOpen] = useState(false);
  const [renaming, setRenaming] = useState<SavedView | null>(null);
  const [deleting, setDeleting] = useState<SavedView | null>(null);
  // Until one is saved, Save view is the way in.
  if (views.length === 0 && !renaming && !deleting) return null;
  return (
    <div className="columns-chooser">
      <button
        type="button"
        className="button"
        data-testid="fleet-views"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
      >
        {t("fleet.views.menu", { count: views.length })}
      </button>
      {open && (
        <div className="columns-popover fleet-popover" data-testid="fleet-views-popover">
          <ul className="fleet-views">
            {views.map((v) => (
              <li key={v.id} data-testid="fleet-view" data-view={v.id}>
                <button
                  type="button"
                  className="link-button fleet-view-name"
                  data-testid={`view-open-${v.id}`}
                  title={t("fleet.views.open", { name: v.name })}
                  onClick={() => {
                    setOpen(false);
                    requestView(v);
                  }}
                >
                  {v.name}
                </button>
                <button
                  type="button"
                  className="btn small"
                  data-testid={`view-rename-${v.id}`}
                  onClick={() => setRenaming(v)}
                >
                  {t("fleet.views.rename")}
                </button>
                <button
                  type="button"
                  className="btn small"
                  data-testid={`view-delete-${v.id}`}
                  onClick={() => setDeleting(v)}
                >
                  {t("fleet.views.delete")}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      {renaming && (
        <NameDialog
          title={t("fleet.views.renameTitle", { name: renaming.name })}
          initial={renaming.name}
          saveLabel={t("fleet.views.renameButton")}
          check={(name) => viewNameProblem(name, views, renaming.id)}
          submit={(name) => viewsBackend.renameView(renaming.id, name.trim())}
          onClose={() => setRenaming(null)}
        />
      )}
      {deleting && <DeleteView view={deleting} onClose={() => setDeleting(null)} />}
    </div>
  );
}

function DeleteView(props: { view: SavedView; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const rules = useQuery({ queryKey: ["alert-rules"], queryFn: alertsBackend.listAlertRules });
  const watching = (rules.data ?? []).filter(
    (r) => r.target.kind === "view" && r.target.viewId === props.view.id,
  ).length;
  const remove = useMutation({
    mutationFn: () => viewsBackend.deleteView(props.view.id, props.view.id),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: viewsKey });
      void qc.invalidateQueries({ queryKey: ["alert-rules"] });
      props.onClose();
    },
  });
  return (
    <ConfirmDialog
      kind="delete-view"
      title={t("fleet.views.deleteTitle", { name: props.view.name })}
      confirmLabel={t("fleet.views.delete")}
      danger
      busy={remove.isPending}
      disabled={rules.isPending}
      error={remove.error ? <Problem error={remove.error} /> : null}
      onCancel={props.onClose}
      onConfirm={() => remove.mutate()}
    >
      <p>{t("fleet.views.deleteBody", { name: props.view.name })}</p>
      {watching > 0 && (
        <p className="warn" data-testid="delete-view-rules">
          {t("fleet.views.deleteRules", { count: watching })}
        </p>
      )}
    </ConfirmDialog>
  );
}

/** Names the current filters as a view; a bad name is refused at the field, nothing saved. */
function SaveViewDialog(props: { view: FleetView; onClose: () => void }) {
  const { t } = useTranslation();
  const views = useViews();
  return (
    <NameDialog
      title={t("fleet.views.saveTitle")}
      initial=""
      saveLabel={t("fleet.views.saveButton")}
      check={() => null}
      submit={async (name) => {
        const bad = await saveView({ ...props.view, name }, views);
        if (bad) throw bad;
      }}
      onClose={props.onClose}
    />
  );
}

/** A dialog asking for a view's name: checked here, then by the backend; a refusal is shown at the field. */
function NameDialog(props: {
  title: string;
  initial: string;
  saveLabel: string;
  check: (name: string) => FieldError | null;
  submit: (name: string) => Promise<unknown>;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [name, setName] = useState(props.initial);
  const [error, setError] = useState<FieldError | null>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const save = async () => {
    const bad = props.check(name);
    if (bad) return setError(bad);
    setBusy(true);
    try {
      await props.submit(name);
      void qc.invalidateQueries({ queryKey: viewsKey });
      props.onClose();
    } catch (e) {
      setError(isFieldError(e) ? e : refusal(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      title={props.title}
      testid="save-view-dialog"
      onCancel={props.onClose}
      initialFocus={() => input.current}
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <label className="field">
          <span>{t("fleet.views.name")}</span>
          <input
            ref={input}
            className="input"
            data-testid="view-name"
            aria-invalid={error?.field === "viewName"}
            value={name}
            onChange={(e) => {
              setName(e.target.value);
              setError(null);
            }}
          />
        </label>
        {error && (
          <p className="field-error small" data-testid="view-name-error" data-field={error.field}>
            {t(error.message, error.values)}
          </p>
        )}
        <div className="dialog-buttons">
          <button type="button" className="btn" data-testid="view-cancel" onClick={props.onClose}>
            {t("fleet.views.cancel")}
          </button>
          <button type="submit" className="btn primary" data-testid="view-save" disabled={busy}>
            {props.saveLabel}
          </button>
        </div>
      </form>
    </Modal>
  );
}

function isFieldError(e: unknown): e is FieldError {
  return (
    typeof e === "object" && e !== null && "field" in e && "message" in e && !(e instanceof Error)
  );
}
