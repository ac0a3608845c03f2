import { useTranslation } from "react-i18next";
import { errorDetail, type PriceView } from "../../backend";

/** The field a backend refusal names, if it names one. */
export function fieldOf(e: unknown): string | null {
  return errorDetail(e)?.field ?? null;
}

/** A failure: what kind it is, Tencent's (or our) code, the message and the RequestId. */
export function ErrorNote(props: { error: unknown; testid?: string }) {
  const { t } = useTranslation();
  const d = errorDetail(props.error);
  return (
    <div className="res-error" role="alert" data-testid={props.testid ?? "res-error"}>
      {d ? (
        <>
          <p>{t(`resources.kind.${d.kind}`)}</p>
          <p className="small" data-testid="res-error-message">
            {d.message}
          </p>
          <p className="mono small">
            <span data-testid="res-error-code">{d.code}</span>
            {d.requestId && <span className="selectable"> · RequestId {d.requestId}</span>}
          </p>
        </>
      ) : (
        <p>{String(props.error)}</p>
      )}
    </div>
  );
}

/** A field's error message, when the backend's refusal names that field. */
export function FieldError(props: { error: unknown; field: string }) {
  const d = errorDetail(props.error);
  if (!d || d.field !== props.field) return null;
  return (
    <p className="res-field-error" role="alert" data-testid={`res-field-error-${props.field}`}>
      {d.message}
    </p>
  );
}

/** A quoted price in words: per unit for postpaid, a total for prepaid. */
export function PriceText(props: { price: PriceView | undefined; loading: boolean }) {
  const { t } = useTranslation();
  if (props.loading) return <span className="muted">{t("resources.price.loading")}</span>;
  const p = props.price;
  if (!p) return <span className="muted">—</span>;
  if (p.discountPrice != null) {
    return (
      <span data-testid="res-price">
        {t("resources.price.total", { price: p.discountPrice.toFixed(2) })}
        {p.originalPrice != null && p.originalPrice !== p.discountPrice && (
          <span className="muted"> ({p.originalPrice.toFixed(2)})</span>
        )}
      </span>
    );
  }
  if (p.unitPrice != null || p.unitPriceDiscount != null) {
    const v = p.unitPriceDiscount ?? p.unitPrice ?? 0;
    const unit = p.chargeUnit ?? "HOUR";
    return (
      <span data-testid="res-price">
        {t("resources.price.per", {
          price: v.toFixed(4).replace(/0+$/, "").replace(/\.$/, ""),
          unit: t(`resources.price.unit.${unit}`, unit),
        })}
      </span>
    );
  }
  return <span className="muted">—</span>;
}

/** The figure a change is charged at, sent back as its accepted price. */
export function chargedPrice(p: PriceView): number {
  return p.discountPrice ?? p.unitPriceDiscount ?? 0;
}

/**
 * The backend refused because the price moved since it was shown: nothing was sent. The
 * dialog has asked for the price again; this says so, with the new figure, and the user
 * must click again.
 */
export function PriceChangedNote(props: { before: number; price: PriceView | undefined }) {
  const { t } = useTranslation();
  const now = props.price ? chargedPrice(props.price) : null;
  return (
    <p className="res-field-error" role="alert" data-testid="res-price-changed">
      {t("confirm.priceChanged", {
        price: now == null ? "…" : formatPrice(now),
        before: formatPrice(props.before),
      })}
    </p>
  );
}

function formatPrice(n: number): string {
  return n.toFixed(4).replace(/0+$/, "").replace(/\.$/, "");
}

/** A fresh idempotency token for one allocation intent. */
export function newClientToken(): string {
  return (
    globalThis.crypto?.randomUUID?.() ?? `t-${Date.now()}-${Math.random().toString(36).slice(2)}`
  );
}
