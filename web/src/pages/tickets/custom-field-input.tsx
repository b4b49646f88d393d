import { Checkbox, Divider, MultiSelect, NumberInput, Select, Stack, TextInput } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import type { KeyboardEvent } from "react";
import type { CustomField } from "../../../../common/custom-fields.ts";
import type { TicketType } from "../../../../common/workflows.ts";
import { customFieldsKey, listCustomFields } from "../../api/custom-fields.ts";
import type { FieldErrors } from "../../lib/form-errors.ts";
import { UserSelect } from "./ticket-pickers.tsx";

/** Every custom-field definition of a ticket type, active or not, in the admin's order. */
export function useCustomFieldDefs(type: TicketType) {
  return useQuery({
    queryKey: [...customFieldsKey, type],
    queryFn: () => listCustomFields(type),
    staleTime: 5 * 60_000,
    select: (data) => data.items,
  });
}

/** What the API takes for an input's value: null removes it (empty text, no choice, no number). */
export function toApiValue(field: CustomField, value: unknown): unknown {
  if (value === undefined || value === null || value === "") return null;
  if (field.kind === "multiselect") return Array.isArray(value) && value.length ? value : null;
  if (field.kind === "number" && typeof value === "string") {
    // Left unparsed ("-"), the server names the field instead of the value silently vanishing.
    const n = Number(value);
    return Number.isFinite(n) ? n : value;
  }
  return value;
}

/** Server messages start in lower case ("required"); beside a field they read as sentences. */
export function sentences(errors: FieldErrors): FieldErrors {
  return Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, v.charAt(0).toUpperCase() + v.slice(1)]));
}

export interface CustomFieldInputProps {
  field: CustomField;
  value: unknown;
  onChange: (value: unknown) => void;
  /** Text, number and date inputs: the edit is complete (left the field, or pressed Enter). */
  onCommit?: () => void;
  error?: string | undefined;
  disabled?: boolean;
}

/** One input for a custom field, by its kind; the label is the field's, required ones are marked. */
export function CustomFieldInput({ field, value, onChange, onCommit, error, disabled }: CustomFieldInputProps) {
  const common = { label: field.label, withAsterisk: field.required, error, disabled };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => e.key === "Enter" && onCommit?.();
  const text = typeof value === "string" ? value : "";
  const options = [...field.options, ...(typeof value === "string" && value ? [value] : [])];
  switch (field.kind) {
    case "text":
      return (
        <TextInput
          {...common}
          value={text}
          maxLength={2000}
          onChange={(e) => onChange(e.currentTarget.value)}
          onBlur={onCommit}
          onKeyDown={onKeyDown}
        />
      );
    case "number":
      return (
        <NumberInput
          {...common}
          value={typeof value === "number" || typeof value === "string" ? value : ""}
          onChange={onChange}
          onBlur={onCommit}
          onKeyDown={onKeyDown}
        />
      );
    case "date":
      return (
        <TextInput
          {...common}
          type="date"
          value={text}
          onChange={(e) => onChange(e.currentTarget.value)}
          onBlur={onCommit}
          onKeyDown={onKeyDown}
        />
      );
    case "select":
      return (
        <Select
          {...common}
          data={[...new Set(options)]}
          value={text || null}
          onChange={onChange}
          placeholder="Not set"
          clearable
          searchable={field.options.length > 8}
          comboboxProps={{ withinPortal: true }}
        />
      );
    case "multiselect": {
      const list = Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
      return (
        <MultiSelect
          {...common}
          data={[...new Set([...field.options, ...list])]}
          value={list}
          onChange={onChange}
          placeholder={list.length ? undefined : "Not set"}
          clearable
          comboboxProps={{ withinPortal: true }}
        />
      );
    }
    case "checkbox":
      return (
        <Checkbox
          label={field.label}
          checked={value === true}
          onChange={(e) => onChange(e.currentTarget.checked)}
          error={error}
          disabled={disabled}
        />
      );
    case "user":
      return (
        <UserSelect
          label={field.label}
          description={field.required ? "Required" : undefined}
          placeholder="Nobody"
          value={typeof value === "string" ? value : null}
          onChange={onChange}
          error={error}
          disabled={disabled}
        />
      );
  }
}

/** The values a new ticket is created with: the type's active fields that were filled in. */
export function newTicketValues(defs: CustomField[], values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of defs) {
    if (!field.active) continue;
    const value = field.kind === "checkbox" && field.required ? values[field.key] === true : values[field.key];
    const apiValue = toApiValue(field, value);
    if (apiValue !== null) out[field.key] = apiValue;
  }
  return out;
}

/** The create form's custom fields: the type's active ones only; server messages beside them. */
export function NewTicketCustomFields(props: {
  type: TicketType;
  values: Record<string, unknown>;
  onChange: (key: string, value: unknown) => void;
  errors: FieldErrors;
}) {
  const defs = useCustomFieldDefs(props.type);
  const active = (defs.data ?? []).filter((d) => d.active);
  if (!active.length) return null;
  return (
    <Stack gap="sm" role="group" aria-label="Custom fields">
      <Divider label="More fields" labelPosition="left" />
      {active.map((field) => (
        <CustomFieldInput
          key={field.id}
          field={field}
          value={props.values[field.key]}
          onChange={(value) => props.onChange(field.key, value)}
          error={props.errors[`customFields.${field.key}`]}
        />
      ))}
    </Stack>
  );
}
