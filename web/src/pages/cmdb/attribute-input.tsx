import {
  ActionIcon,
  Group,
  MultiSelect,
  NumberInput,
  Select,
  Stack,
  TagsInput,
  Text,
  Textarea,
  TextInput,
  Tooltip,
} from "@mantine/core";
import { IconLock, IconLockOpen } from "@tabler/icons-react";
import { type ReactNode, useId } from "react";
import type { AttributeDefinition } from "../../api/cmdb.ts";
import { CiMultiSelect, CiSelect } from "./ci-picker.tsx";
import { OrganizationPicker, UserPicker } from "./entity-pickers.tsx";
import { useCatalog, useClassByCode } from "./use-cmdb.ts";

/** What a form holds for an attribute: text for text-like inputs, ids for references, lists for `multiple`. */
export type FormValue = string | number | string[] | null;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === null || v === undefined || v === "" ? [] : [v]);

/** A stored value as the form holds it. */
export function toFormValue(def: AttributeDefinition, v: unknown): FormValue {
  if (def.multiple) return asList(v).map(String);
  switch (def.type) {
    case "boolean":
      return v === true ? "true" : v === false ? "false" : null;
    case "number":
      return typeof v === "number" ? v : "";
    case "text":
    case "longtext":
    case "date":
      return typeof v === "string" ? v : "";
    default:
      return typeof v === "string" ? v : null;
  }
}

/** An attribute value as the API takes it. */
export type ApiValue = string | number | boolean | null | (string | number | boolean)[];

/** What the API takes for a form value (null clears it), or the reason it cannot be sent. */
export function toApiValue(def: AttributeDefinition, v: FormValue): { value: ApiValue } | { error: string } {
  if (def.multiple) {
    const list = (Array.isArray(v) ? v : []).map((x) => x.trim()).filter(Boolean);
    if (list.length === 0) return { value: null };
    if (def.type === "number") {
      const numbers = list.map(Number);
      return numbers.some((n) => !Number.isFinite(n)) ? { error: "Numbers only" } : { value: numbers };
    }
    if (def.type === "date" && list.some((d) => !DATE.test(d))) return { error: "Dates as YYYY-MM-DD" };
    if (def.type === "boolean") return { value: list.map((x) => x === "true" || x === "yes") };
    return { value: list };
  }
  switch (def.type) {
    case "boolean":
      return { value: v === "true" ? true : v === "false" ? false : null };
    case "number":
      if (v === "" || v === null) return { value: null };
      return Number.isFinite(Number(v)) ? { value: Number(v) } : { error: "Enter a number" };
    case "text":
    case "longtext":
    case "date": {
      const text = typeof v === "string" ? (def.type === "longtext" ? v : v.trim()) : "";
      if (def.type === "date" && text && !DATE.test(text)) return { error: "Enter a date" };
      return { value: text === "" ? null : text };
    }
    default:
      return { value: typeof v === "string" && v ? v : null };
  }
}

export const isBlank = (v: FormValue) => v === null || v === "" || (Array.isArray(v) && v.length === 0);

const MULTI_HINT: Partial<Record<AttributeDefinition["type"], string>> = {
  text: "Type a value and press Enter",
  longtext: "Type a value and press Enter",
  number: "Type a number and press Enter",
  date: "Type a date (YYYY-MM-DD) and press Enter",
};

function Control(props: {
  id: string;
  def: AttributeDefinition;
  value: FormValue;
  onChange: (v: FormValue) => void;
  error: string | undefined;
}) {
  const { id, def, value, onChange, error } = props;
  const catalog = useCatalog(def.type === "catalog" ? def.catalog : undefined);
  const location = useClassByCode("location");
  const common = { id, error };
  const list = Array.isArray(value) ? value : [];
  const one = typeof value === "string" && value ? value : null;
  if (def.type === "catalog") {
    const data = (catalog.data ?? [])
      .filter((i) => i.active || list.includes(i.id) || i.id === one)
      .map((i) => ({ value: i.id, label: i.active ? i.name : `${i.name} (inactive)` }));
    const nothing = catalog.isLoading ? "Loading…" : "No values in this list";
    return def.multiple ? (
      <MultiSelect
        {...common}
        data={data}
        value={list}
        onChange={onChange}
        searchable
        clearable
        hidePickedOptions
        nothingFoundMessage={nothing}
        comboboxProps={{ withinPortal: true }}
      />
    ) : (
      <Select
        {...common}
        data={data}
        value={one}
        onChange={onChange}
        searchable
        clearable
        nothingFoundMessage={nothing}
        comboboxProps={{ withinPortal: true }}
      />
    );
  }
  if (def.type === "ci" || def.type === "location") {
    const classId = def.type === "location" ? location?.id : undefined;
    return def.multiple ? (
      <CiMultiSelect {...common} classId={classId} value={list} onChange={onChange} />
    ) : (
      <CiSelect {...common} classId={classId} value={one} onChange={(v) => onChange(v)} />
    );
  }
  if (def.type === "user" || def.type === "organization") {
    const Picker = def.type === "user" ? UserPicker : OrganizationPicker;
    return def.multiple ? (
      <Picker {...common} multiple value={list} onChange={onChange} placeholder="Search" />
    ) : (
      <Picker {...common} value={one} onChange={onChange} placeholder="Search" />
    );
  }
  if (def.multiple) {
    return (
      <TagsInput
        {...common}
        value={list}
        onChange={onChange}
        placeholder={list.length ? undefined : MULTI_HINT[def.type]}
        splitChars={[","]}
        clearable
        acceptValueOnBlur
      />
    );
  }
  switch (def.type) {
    case "longtext":
      return (
        <Textarea
          {...common}
          value={typeof value === "string" ? value : ""}
          onChange={(e) => onChange(e.currentTarget.value)}
          autosize
          minRows={2}
          maxRows={10}
        />
      );
    case "number":
      return (
        <NumberInput
          {...common}
          value={typeof value === "number" || typeof value === "string" ? value : ""}
          onChange={(v) => onChange(v)}
          thousandSeparator=" "
        />
      );
    case "date":
      return (
        <TextInput
          {...common}
          type="date"
          value={typeof value === "string" ? value : ""}
          onChange={(e) => onChange(e.currentTarget.value)}
        />
      );
    case "boolean":
      return (
        <Select
          {...common}
          data={[
            { value: "true", label: "Yes" },
            { value: "false", label: "No" },
          ]}
          value={one}
          onChange={onChange}
          clearable
          placeholder="Not set"
          comboboxProps={{ withinPortal: true }}
        />
      );
    default:
      return (
        <TextInput
          {...common}
          value={typeof value === "string" ? value : ""}
          onChange={(e) => onChange(e.currentTarget.value)}
        />
      );
  }
}

/** A label row (with an optional control at its end) above any input. */
export function FieldRow(props: {
  id: string;
  label: string;
  required?: boolean | undefined;
  end?: ReactNode;
  children: ReactNode;
}) {
  return (
    <Stack gap={4}>
      <Group justify="space-between" gap="xs" wrap="nowrap" mih={22}>
        <Text component="label" htmlFor={props.id} fz="sm" fw={500}>
          {props.label}
          {props.required && (
            <Text span c="red" aria-hidden>
              {" "}
              *
            </Text>
          )}
        </Text>
        {props.end}
      </Group>
      {props.children}
    </Stack>
  );
}

/**
 * One attribute of a CI's class as a form field, with its lock: a locked attribute is one discovery
 * and import leave as it is.
 */
export function AttributeInput(props: {
  def: AttributeDefinition;
  value: FormValue;
  onChange: (v: FormValue) => void;
  error: string | undefined;
  locked: boolean;
  onLock: (locked: boolean) => void;
}) {
  const { def, locked } = props;
  const id = useId();
  const what = locked ? `Unlock ${def.label}` : `Lock ${def.label}`;
  return (
    <FieldRow
      id={id}
      label={def.label}
      required={def.required}
      end={
        <Tooltip
          label={locked ? "Locked: discovery and import leave it as it is" : "Lock against discovery and import"}
          withinPortal
        >
          <ActionIcon
            variant={locked ? "light" : "subtle"}
            color={locked ? "orange" : "gray"}
            size="sm"
            aria-label={what}
            aria-pressed={locked}
            onClick={() => props.onLock(!locked)}
          >
            {locked ? <IconLock size={14} aria-hidden /> : <IconLockOpen size={14} aria-hidden />}
          </ActionIcon>
        </Tooltip>
      }
    >
      <Control id={id} def={def} value={props.value} onChange={props.onChange} error={props.error} />
    </FieldRow>
  );
}
