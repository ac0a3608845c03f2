import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useQuery } from "@tanstack/react-query";
import type { ImageType } from "../../backend";
import { resourcesBackend } from "../../backend/resources";
import { ErrorNote } from "./common";
import type { Scope } from "./ResourcesPage";

const TYPES: ImageType[] = ["PUBLIC_IMAGE", "PRIVATE_IMAGE", "SHARED_IMAGE"];

export function ImagesTab({ scope }: { scope: Scope }) {
  const { t } = useTranslation();
  const [imageType, setImageType] = useState<ImageType>("PUBLIC_IMAGE");
  const [name, setName] = useState("");
  const [platform, setPlatform] = useState("");
  const [applied, setApplied] = useState({ name: "", platform: "" });
  const images = useQuery({
    queryKey: ["images", scope.profileId, scope.region, imageType, applied.name, applied.platform],
    queryFn: () =>
      resourcesBackend.listImages(scope.profileId, scope.region, {
        imageType,
        name: applied.name || null,
        platform: applied.platform || null,
      }),
  });
  return (
    <div>
      <form
        className="res-toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          setApplied({ name: name.trim(), platform: platform.trim() });
        }}
      >
        <select
          className="res-input"
          data-testid="img-type"
          value={imageType}
          onChange={(e) => setImageType(e.target.value as ImageType)}
        >
          {TYPES.map((ty) => (
            <option key={ty} value={ty}>
              {t(`resources.img.type.${ty}`)}
            </option>
          ))}
        </select>
        <input
          className="res-input"
          data-testid="img-name"
          placeholder={t("resources.img.name")}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <input
          className="res-input"
          data-testid="img-platform"
          placeholder={t("resources.img.platform")}
          value={platform}
          onChange={(e) => setPlatform(e.target.value)}
        />
        <button type="submit" className="btn" data-testid="img-search">
          {t("resources.img.search")}
        </button>
      </form>
      {images.isPending && <p className="muted">{t("resources.loading")}</p>}
      {images.error && <ErrorNote error={images.error} />}
      {images.data && images.data.length === 0 && (
        <p className="muted" data-testid="img-empty">
          {t(`resources.img.empty.${imageType}`)}
        </p>
      )}
      {images.data && images.data.length > 0 && (
        <>
          <p className="muted small" data-testid="img-count">
            {t("resources.img.count", { count: images.data.length })}
          </p>
          <table className="res-table" data-testid="img-table">
            <thead>
              <tr>
                <th>{t("resources.col.id")}</th>
                <th>{t("resources.col.name")}</th>
                <th>{t("resources.img.platformCol")}</th>
                <th>{t("resources.img.arch")}</th>
                <th>{t("resources.img.size")}</th>
                <th>{t("resources.col.status")}</th>
              </tr>
            </thead>
            <tbody>
              {images.data.map((i) => (
                <tr key={i.id} data-testid={`img-row-${i.id}`}>
                  <td className="mono">{i.id}</td>
                  <td>
                    {i.name}
                    <div className="muted small">{i.osName}</div>
                  </td>
                  <td>{i.platform}</td>
                  <td>{i.architecture}</td>
                  <td>{i.sizeGib} GiB</td>
                  <td>{t(`resources.img.state.${i.state}`, i.state)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}
