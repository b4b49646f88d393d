import { type BoxProps, Select } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { UserKind } from "../../../../common/identity.ts";
import { listUsers } from "../../api/identity.ts";
import { categoriesQuery, keys } from "../../api/queries.ts";
import { useGroups, userQuery } from "./use-names.ts";

type Option = { value: string; label: string };

function merge(...lists: Option[][]): Option[] {
  const seen = new Map<string, Option>();
  for (const list of lists) for (const o of list) if (!seen.has(o.value)) seen.set(o.value, o);
  return [...seen.values()];
}

/** Options are filtered by the server, so the client shows them as they come. */
const serverFiltered = ({ options }: { options: unknown[] }) => options as never;

export interface PickerProps {
  label: string;
  value: string | null;
  onChange: (value: string | null) => void;
  error?: string | undefined;
  description?: string;
  placeholder?: string;
  disabled?: boolean;
  clearable?: boolean;
  /** A label beside the field instead of above it (filter bars). */
  hideLabel?: boolean;
  w?: BoxProps["w"];
}

function common(p: PickerProps) {
  return {
    label: p.hideLabel ? undefined : p.label,
    "aria-label": p.hideLabel ? p.label : undefined,
    description: p.description,
    placeholder: p.placeholder,
    disabled: p.disabled,
    clearable: p.clearable ?? true,
    error: p.error,
    value: p.value,
    onChange: p.onChange,
    w: p.w,
    comboboxProps: { withinPortal: true },
  };
}

export function GroupSelect(props: PickerProps) {
  const groups = useGroups();
  const data = (groups.data ?? [])
    .filter((g) => g.active || g.id === props.value)
    .map((g) => ({ value: g.id, label: g.name }));
  return (
    <Select
      {...common(props)}
      searchable
      data={data}
      nothingFoundMessage={groups.isLoading ? "Loading…" : "No group found"}
    />
  );
}

export function CategorySelect(props: PickerProps) {
  const categories = useQuery(categoriesQuery);
  const data = (categories.data ?? []).map((c) => ({ value: c.id, label: c.name }));
  return (
    <Select
      {...common(props)}
      searchable
      data={data}
      nothingFoundMessage={categories.isLoading ? "Loading…" : "No categories yet"}
    />
  );
}

/** Users searched on the server by name or e-mail; `extra` options (Me, Unassigned) come first. */
export function UserSelect(props: PickerProps & { kind?: UserKind; extra?: Option[] }) {
  const { kind, extra = [] } = props;
  const [search, setSearch] = useState("");
  const [q] = useDebouncedValue(search.trim(), 250);
  const list = useQuery({
    queryKey: [...keys.users, "options", kind ?? "any", q],
    queryFn: () => listUsers({ q: q || undefined, kind, active: true, limit: 30 }),
    placeholderData: keepPreviousData,
  });
  const isExtra = extra.some((o) => o.value === props.value);
  const selected = useQuery({ ...userQuery(props.value ?? ""), enabled: !!props.value && !isExtra });
  const data = merge(
    extra,
    selected.data ? [{ value: selected.data.id, label: selected.data.name }] : [],
    (list.data?.items ?? []).map((u) => ({ value: u.id, label: u.name })),
    props.value && !isExtra ? [{ value: props.value, label: "Loading…" }] : [],
  );
  return (
    <Select
      {...common(props)}
      searchable
      data={data}
      onSearchChange={setSearch}
      filter={serverFiltered}
      nothingFoundMessage={list.isFetching ? "Searching…" : "No one found"}
    />
  );
}
