import type { ReactNode } from "react";

/** One row of a two-column form grid: the label, then the input with its error under it. */
export function FormRow(props: {
  id: string;
  label: ReactNode;
  error?: ReactNode;
  children: ReactNode;
}) {
  return (
    <>
      <label htmlFor={props.id}>{props.label}</label>
      <div>
        {props.children}
        {props.error}
      </div>
    </>
  );
}
