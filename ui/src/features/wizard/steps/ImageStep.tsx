// Wizard step: the image, among those that fit the instance type.
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { useQuery } from "@tanstack/react-query";
import { wizardBackend } from "../../../backend";
import { type StepProps, FieldError, Loading } from "./shared";

export function ImageStep({ form, profileId, region }: StepProps) {
  const { t } = useTranslation();
  const [itype, current] = form.watch(["instanceType", "imageId"]);
  const images = useQuery({
    queryKey: ["wizard", "images", profileId, region, itype],
    queryFn: () => wizardBackend.images(profileId, region, itype),
    enabled: !!itype,
  });
  useEffect(() => {
    const list = images.data;
    if (!list) return;
    const found = list.find((i) => i.imageId === current);
    if (!found) {
      // Default to a public Linux image: it exists for every account.
      const first =
        list.find((i) => !i.windows && i.imageType === "PUBLIC_IMAGE") ??
        list.find((i) => !i.windows) ??
        list[0];
      form.setValue("imageId", first?.imageId ?? "", { shouldValidate: true });
      form.setValue("imageWindows", first?.windows ?? false);
    } else form.setValue("imageWindows", found.windows);
  }, [images.data, current, form]);
  return (
    <div>
      <Loading q={images} />
      {images.data && images.data[0] && (
        <p className="muted small">
          {t("wizard.imagesFor", { type: itype, arch: images.data[0].architecture })}
        </p>
      )}
      <div className="wz-choices wz-images" role="radiogroup" aria-label={t("wizard.step.image")}>
        {images.data?.map((i) => (
          <label
            key={i.imageId}
            className="wz-choice"
            data-testid={`wz-image-${i.imageId}`}
            data-image-type={i.imageType}
          >
            <input type="radio" value={i.imageId} {...form.register("imageId")} />
            <span>
              <strong>{i.osName}</strong>
              <span className="muted small mono">
                {i.imageId} · {i.architecture} · {i.sizeGib} GiB
              </span>
            </span>
          </label>
        ))}
      </div>
      <FieldError form={form} name="imageId" />
    </div>
  );
}
