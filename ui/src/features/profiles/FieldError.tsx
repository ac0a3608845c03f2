import { useTranslation } from "react-i18next";

/**
 * A profile form field's error: the backend's own words as they are (a ':' in them would
 * read as an i18n namespace), the form's own rules in the UI's language (`<rules>.<code>`).
 */
export function FieldError(props: {
  name: string;
  error?: { type?: string; message?: string };
  rules: string;
}) {
  const { t } = useTranslation();
  const e = props.error;
  if (!e?.message) return null;
  const rule = `${props.rules}.${e.message}`;
  const text = e.type === "server" || t(rule) === rule ? e.message : t(rule);
  return (
    <span className="field-error" role="alert" data-testid={`error-${props.name}`}>
      {text}
    </span>
  );
}
