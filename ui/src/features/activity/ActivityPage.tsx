import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useQuery } from "@tanstack/react-query";
import type { TFunction } from "i18next";
import { type ActivityEntry, type CallResult, activityBackend } from "../../backend";
import { profileName } from "../profiles/profileName";
import { useActiveProfile, useProfiles } from "../profiles/useProfiles";
import "./activity.css";

/** The shared tone of each call result. */
const RESULT_TONE: Record<CallResult, "ok" | "bad" | "busy"> = {
  ok: "ok",
  failed: "bad",
  unknown: "busy",
};

/**
 * An event's sentence in the UI's language from its note (code and values); the
 * backend's English text for an entry without one (written by an older version).
 */
export function eventText(t: TFunction, e: ActivityEntry): string {
  const note = e.note;
  const [event, what] = note?.code.split(".") ?? [];
  if (!note || !event || !what || !t(`activity.note.what.${what}`, { defaultValue: "" }))
    return e.detail ?? "";
  const p = note.params;
  const state = p.state ? t(`instances.state.${p.state}`, { defaultValue: p.state }) : undefined;
  const text = t(`activity.note.what.${what}`, { ...p, state });
  return t(`activity.note.${event}`, { instance: p.instance, what: text, defaultValue: e.detail });
}

/** The activity log: newest first, filtered by the backend, refreshed while shown. */
export function ActivityPage() {
  const { t } = useTranslation();
  const profile = useActiveProfile();
  const [text, setText] = useState("");
  const [result, setResult] = useState<CallResult | "">("");
  const [onlyProfile, setOnlyProfile] = useState(true);
  const profileId = onlyProfile ? (profile?.id ?? null) : null;
  const log = useQuery({
    queryKey: ["activity", profileId, result, text],
    queryFn: () =>
      activityBackend.activityLog({
        profileId,
        region: null,
        result: result || null,
        text: text || null,
        limit: 1000,
      }),
    refetchInterval: 2000,
  });
  const entries = log.data ?? [];
  const profiles = useProfiles().data?.profiles ?? [];
  const names = new Map(profiles.map((p) => [p.id, profileName(p, t("profiles.sandboxName"))]));

  return (
    <section className="page activity-page" data-testid="activity-page">
      <h1>{t("activity.title")}</h1>
      <p className="lead">{t("activity.lead")}</p>
      <div className="activity-toolbar">
        <input
          className="activity-input"
          data-testid="activity-filter"
          placeholder={t("activity.filter.text")}
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        <select
          className="activity-input"
          data-testid="activity-result"
          aria-label={t("activity.col.result")}
          value={result}
          onChange={(e) => setResult(e.target.value as CallResult | "")}
        >
          <option value="">{t("activity.filter.allResults")}</option>
          <option value="ok">{t("activity.result.ok")}</option>
          <option value="failed">{t("activity.result.failed")}</option>
          <option value="unknown">{t("activity.result.unknown")}</option>
        </select>
        <select
          className="activity-input"
          data-testid="activity-profile"
          aria-label={t("activity.col.profile")}
          value={onlyProfile ? "this" : "all"}
          onChange={(e) => setOnlyProfile(e.target.value === "this")}
        >
          <option value="this">{t("activity.filter.thisProfile")}</option>
          <option value="all">{t("activity.filter.allProfiles")}</option>
        </select>
        <span className="small muted" data-testid="activity-count">
          {t("activity.count", { count: entries.length })}
        </span>
      </div>
      {entries.length === 0 ? (
        <p className="muted">{t("activity.empty")}</p>
      ) : (
        <div className="activity-scroll">
          <table className="activity-table" data-testid="activity-table">
            <thead>
              <tr>
                <th>{t("activity.col.time")}</th>
                <th>{t("activity.col.profile")}</th>
                <th>{t("activity.col.region")}</th>
                <th>{t("activity.col.action")}</th>
                <th>{t("activity.col.targets")}</th>
                <th>{t("activity.col.result")}</th>
                <th>{t("activity.col.code")}</th>
                <th>{t("activity.col.requestId")}</th>
                <th className="num">{t("activity.col.latency")}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={`${e.seq}-${e.time}`} data-testid="activity-row" data-action={e.action}>
                  <td className="mono small">{e.time.replace("T", " ").replace(/\.\d+Z$/, "Z")}</td>
                  <td>{names.get(e.profileId) ?? e.profileName}</td>
                  <td className="mono small">{e.region}</td>
                  <td className={e.detail ? "activity-event" : "mono"}>
                    {e.detail ? (
                      <>
                        <strong>
                          {t(`activity.event.${e.action}`, { defaultValue: e.action })}
                        </strong>
                        <div className="small activity-detail">{eventText(t, e)}</div>
                      </>
                    ) : (
                      e.action
                    )}
                  </td>
                  <td className="mono small">
                    {e.targets.slice(0, 3).join(", ")}
                    {e.targets.length > 3 ? ` +${e.targets.length - 3}` : ""}
                  </td>
                  <td>
                    <span className={`call-result tone-${RESULT_TONE[e.result]}`}>
                      {t(`activity.result.${e.result}`)}
                    </span>
                    {e.attempts > 1 && (
                      <span className="small muted">
                        {" "}
                        ({t("activity.attempts", { count: e.attempts })})
                      </span>
                    )}
                  </td>
                  <td className="mono small">{e.code ?? ""}</td>
                  <td className="mono small selectable">{e.requestId ?? ""}</td>
                  <td className="num mono small">{e.detail ? "" : `${e.latencyMs} ms`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
