// The command palette's dialog (cmdk): loaded on first use, apart from the first screen's
// code; Palette.tsx keeps the shortcuts and opens it.
import { useEffect, useMemo } from "react";
import { useTranslation } from "react-i18next";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Command } from "cmdk";
import { apiLanguage, instancesBackend } from "../../backend";
import { profilesKey, useProfiles, useSetActiveProfile } from "../profiles/useProfiles";
import { navigate, openDetail, usePageCommands, type Page } from "./registry";
import { requestView, useViews } from "../fleet/views";
import { requestConnect } from "../connect/store";
import { profileName } from "../profiles/profileName";
import { SHORTCUTS, matchInstances } from "./Palette";

const PAGES: Page[] = [
  "instances",
  "fleet",
  "resources",
  "create",
  "cost",
  "activity",
  "profiles",
  "settings",
  "overview",
  "terminals",
];

function Keys(props: { keys: readonly string[] }) {
  return (
    <span className="palette-keys">
      {props.keys.map((k) => (
        <kbd key={k}>{k}</kbd>
      ))}
    </span>
  );
}

/**
 * Every page, region and profile, the current page's commands (refresh, search, its
 * actions on the selection) and instances by name or id; each entry dispatches to the
 * owner's own flow.
 */
export default function PaletteDialog(props: {
  open: boolean;
  search: string;
  onSearch: (s: string) => void;
  onOpenChange: (open: boolean) => void;
}) {
  const { open, search, onSearch: setSearch, onOpenChange: changeOpen } = props;
  const { t, i18n } = useTranslation();
  const page = usePageCommands();
  const views = useViews();
  const profiles = useProfiles();
  const setActive = useSetActiveProfile();
  const qc = useQueryClient();
  const lang = apiLanguage(i18n.language);
  const profileId = page.profileId ?? profiles.data?.active;
  const regions = useQuery({
    queryKey: ["regions", profileId, lang],
    queryFn: () => instancesBackend.listRegions(profileId ?? "", lang),
    enabled: open && !!profileId,
    staleTime: 60 * 60 * 1000,
  });

  // Profiles may have changed since they were read (added, imported, switched).
  const refetchProfiles = profiles.refetch;
  useEffect(() => {
    if (open) void refetchProfiles();
  }, [open, refetchProfiles]);

  const found = useMemo(
    () => matchInstances(page.instances ?? [], search),
    [page.instances, search],
  );

  const run = (f: () => void) => {
    changeOpen(false);
    f();
  };
  const switchRegion = (r: string) => {
    if (page.switchRegion) {
      page.switchRegion(r);
      return;
    }
    if (!profileId) return;
    // Not on the instance list: remember it, and show the list there.
    void instancesBackend.setLastRegion(profileId, r).then(
      () => qc.invalidateQueries({ queryKey: profilesKey }),
      () => undefined,
    );
    navigate("instances");
  };

  return (
    <Command.Dialog
      open={open}
      onOpenChange={changeOpen}
      label={t("palette.label")}
      overlayClassName="palette-overlay"
      contentClassName="palette"
    >
      <div data-testid="palette">
        <Command.Input
          value={search}
          onValueChange={setSearch}
          placeholder={t("palette.placeholder")}
          data-testid="palette-input"
        />
        <Command.List>
          <Command.Empty>{t("palette.empty")}</Command.Empty>
          {found.length > 0 && (
            <Command.Group heading={t("palette.group.instances")}>
              {found.map((i) => (
                <Command.Item
                  key={`${i.region}/${i.id}`}
                  value={`instance ${i.id} ${i.name}`}
                  data-testid={`palette-instance-${i.id}`}
                  onSelect={() =>
                    run(() => openDetail({ profileId, region: i.region, instanceId: i.id }))
                  }
                >
                  <span>{i.name || i.id}</span>
                  <span className="mono muted small">
                    {i.id} · {i.region}
                  </span>
                </Command.Item>
              ))}
              {found
                .filter((i) => i.state === "RUNNING" && profileId)
                .map((i) => (
                  <Command.Item
                    key={`connect/${i.region}/${i.id}`}
                    value={`connect ssh ${i.id} ${i.name}`}
                    data-testid={`palette-connect-${i.id}`}
                    onSelect={() =>
                      run(() =>
                        requestConnect({
                          kind: "instance",
                          profileId: profileId ?? "",
                          region: i.region,
                          instanceId: i.id,
                          name: i.name,
                        }),
                      )
                    }
                  >
                    <span>{t("palette.connectTo", { name: i.name || i.id })}</span>
                    <span className="mono muted small">
                      {i.id} · {i.region}
                    </span>
                  </Command.Item>
                ))}
            </Command.Group>
          )}
          {(page.refresh || page.focusSearch || (page.actions?.length ?? 0) > 0) && (
            <Command.Group heading={t("palette.group.page")}>
              {page.refresh && (
                <Command.Item
                  value={`${t("palette.refresh")} refresh`}
                  data-testid="palette-refresh"
                  onSelect={() => run(() => page.refresh?.())}
                >
                  <span>{t("palette.refresh")}</span>
                  <Keys keys={SHORTCUTS.refresh} />
                </Command.Item>
              )}
              {page.focusSearch && (
                <Command.Item
                  value={`${t("palette.search")} search`}
                  data-testid="palette-search"
                  onSelect={() => run(() => page.focusSearch?.())}
                >
                  <span>{t("palette.search")}</span>
                  <Keys keys={SHORTCUTS.search} />
                </Command.Item>
              )}
              {page.actions?.map((a) => (
                <Command.Item
                  key={a.id}
                  value={`${t("palette.action", { action: a.label })} action ${a.id}`}
                  data-testid={`palette-action-${a.id}`}
                  disabled={!!a.disabledReason}
                  onSelect={() => run(a.run)}
                >
                  <span>{t("palette.action", { action: a.label })}</span>
                  {a.disabledReason && (
                    <span className="muted small palette-reason">{a.disabledReason}</span>
                  )}
                </Command.Item>
              ))}
            </Command.Group>
          )}
          {views.length > 0 && (
            <Command.Group heading={t("palette.group.views")}>
              {views.map((v) => (
                <Command.Item
                  key={v.name}
                  value={`${t("palette.openView", { name: v.name })} view`}
                  data-testid={`palette-view-${v.name}`}
                  onSelect={() =>
                    run(() => {
                      requestView(v);
                      navigate("fleet");
                    })
                  }
                >
                  {t("palette.openView", { name: v.name })}
                </Command.Item>
              ))}
            </Command.Group>
          )}
          <Command.Group heading={t("palette.group.navigation")}>
            {/* Terminals is listed before any is open: its page connects to any host. */}
            {PAGES.map((p) => (
              <Command.Item
                key={p}
                value={`${t("palette.goto", { page: t(`palette.page.${p}`) })} go ${p}`}
                data-testid={`palette-nav-${p}`}
                onSelect={() => run(() => navigate(p))}
              >
                {t("palette.goto", { page: t(`palette.page.${p}`) })}
              </Command.Item>
            ))}
            <Command.Item
              value={`${t("connect.toHost")} ssh connect host`}
              data-testid="palette-connect-host"
              onSelect={() =>
                run(() => {
                  requestConnect({ kind: "host" });
                  navigate("terminals");
                })
              }
            >
              {t("connect.toHost")}
            </Command.Item>
          </Command.Group>
          <Command.Group heading={t("palette.group.profiles")}>
            {(profiles.data?.profiles ?? []).map((p) => {
              const name = profileName(p, t("profiles.sandboxName"));
              return (
                <Command.Item
                  key={p.id}
                  value={`${t("palette.profile", { name })} profile ${p.id} ${p.name}`}
                  data-testid={`palette-profile-${p.id}`}
                  disabled={p.id === profiles.data?.active}
                  onSelect={() => run(() => setActive.mutate(p.id))}
                >
                  {t("palette.profile", { name })}
                </Command.Item>
              );
            })}
          </Command.Group>
          <Command.Group heading={t("palette.group.regions")}>
            {(regions.data ?? []).map((r) => (
              <Command.Item
                key={r.id}
                value={`${t("palette.region", { name: r.name })} region ${r.id}`}
                data-testid={`palette-region-${r.id}`}
                onSelect={() => run(() => switchRegion(r.id))}
              >
                <span>{t("palette.region", { name: r.name })}</span>
                <span className="mono muted small">{r.id}</span>
              </Command.Item>
            ))}
          </Command.Group>
          <Command.Group heading={t("palette.group.shortcuts")}>
            <Command.Item value={`${t("palette.shortcut.palette")} shortcut palette`} disabled>
              <span>{t("palette.shortcut.palette")}</span>
              <Keys keys={SHORTCUTS.palette} />
            </Command.Item>
            <Command.Item value={`${t("palette.shortcut.refresh")} shortcut refresh`} disabled>
              <span>{t("palette.shortcut.refresh")}</span>
              <Keys keys={SHORTCUTS.refresh} />
            </Command.Item>
            <Command.Item value={`${t("palette.shortcut.search")} shortcut search`} disabled>
              <span>{t("palette.shortcut.search")}</span>
              <Keys keys={SHORTCUTS.search} />
            </Command.Item>
            <Command.Item value={`${t("palette.shortcut.close")} shortcut close`} disabled>
              <span>{t("palette.shortcut.close")}</span>
              <Keys keys={SHORTCUTS.close} />
            </Command.Item>
          </Command.Group>
        </Command.List>
      </div>
    </Command.Dialog>
  );
}
