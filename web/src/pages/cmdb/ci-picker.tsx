import { type BoxProps, Group, MultiSelect, Select, Text } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { cmdbKeys, listCis } from "../../api/cmdb.ts";
import { useCiNames } from "./use-cmdb.ts";

export interface Known {
  id: string;
  number: string;
  name: string;
  className?: string;
}

const optionLabel = (c: { name: string; number: string }) => `${c.name} · ${c.number}`;

/** Options are searched on the server (name, number, searchable attributes); the client shows them as they come. */
const serverFiltered = ({ options }: { options: unknown[] }) => options as never;

function useCiSearch(search: string, classId: string | undefined, skip: string | null) {
  const [typed] = useDebouncedValue(search.trim(), 250);
  // Picking an option writes its label into the box; that is not a new search.
  const q = typed === skip ? "" : typed;
  return useQuery({
    queryKey: [...cmdbKeys.cis, "search", classId ?? "", q],
    queryFn: () => listCis({ q: q || undefined, classId, limit: 20 }),
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
}

function renderCi(known: Map<string, Known>) {
  return ({ option }: { option: { value: string; label: string } }) => {
    const c = known.get(option.value);
    return (
      <Group gap="xs" wrap="nowrap" miw={0} w="100%">
        <Text fz="sm" truncate>
          {c?.name ?? option.label}
        </Text>
        <Text ff="monospace" fz="xs" c="dimmed" style={{ whiteSpace: "nowrap" }}>
          {c?.number}
        </Text>
        {c?.className && (
          <Text fz="xs" c="dimmed" ml="auto" style={{ whiteSpace: "nowrap" }}>
            {c.className}
          </Text>
        )}
      </Group>
    );
  };
}

export interface CiSelectProps {
  id?: string;
  label?: string;
  value: string | null;
  onChange: (value: string | null, ci: Known | null) => void;
  /** Only CIs of this class (Location for a CI's location). */
  classId?: string | undefined;
  exclude?: readonly string[];
  error?: string | undefined;
  description?: string | undefined;
  placeholder?: string;
  autoFocus?: boolean;
  disabled?: boolean;
  w?: BoxProps["w"];
}

/** One CI, searched by name, number or a searchable attribute. */
export function CiSelect(props: CiSelectProps) {
  const { value, exclude = [] } = props;
  const [search, setSearch] = useState("");
  const names = useCiNames([value]);
  const current = value ? names.get(value) : undefined;
  const list = useCiSearch(search, props.classId, current ? optionLabel(current) : null);
  const known = new Map<string, Known>();
  if (value) known.set(value, { id: value, number: current?.number ?? "", name: current?.name ?? "Loading…" });
  for (const c of list.data?.items ?? []) {
    if (!exclude.includes(c.id) && !known.has(c.id)) known.set(c.id, c);
  }
  return (
    <Select
      id={props.id}
      label={props.label}
      description={props.description}
      placeholder={props.placeholder ?? "Search by name or number"}
      searchable
      clearable
      disabled={props.disabled}
      data={[...known.values()].map((c) => ({ value: c.id, label: c.number ? optionLabel(c) : c.name }))}
      value={value}
      onChange={(id) => props.onChange(id, id ? (known.get(id) ?? null) : null)}
      onSearchChange={setSearch}
      filter={serverFiltered}
      renderOption={renderCi(known)}
      nothingFoundMessage={list.isFetching ? "Searching…" : "No configuration item found"}
      error={props.error}
      autoFocus={props.autoFocus}
      w={props.w}
      comboboxProps={{ withinPortal: true }}
    />
  );
}

export interface CiMultiSelectProps {
  id?: string;
  label?: string;
  value: string[];
  onChange: (value: string[]) => void;
  classId?: string | undefined;
  /** Offered first, under their own heading, before anything is typed (the requester's organization's CIs). */
  suggestions?: { label: string; items: readonly Known[] } | undefined;
  /** Never offered (the CI being edited, say). */
  exclude?: readonly string[];
  error?: string | undefined;
  description?: string | undefined;
  placeholder?: string;
  autoFocus?: boolean;
}

/** Several CIs, searched on the server; picked ones keep their names while the search changes. */
export function CiMultiSelect(props: CiMultiSelectProps) {
  const { value, suggestions, exclude = [] } = props;
  const [search, setSearch] = useState("");
  const list = useCiSearch(search, props.classId, null);
  const names = useCiNames(value);
  const known = new Map<string, Known>();
  for (const c of suggestions?.items ?? []) if (!exclude.includes(c.id)) known.set(c.id, c);
  for (const c of list.data?.items ?? []) if (!known.has(c.id) && !exclude.includes(c.id)) known.set(c.id, c);
  for (const id of value) {
    if (!known.has(id)) known.set(id, { id, number: names.get(id)?.number ?? "", name: names.get(id)?.name ?? "…" });
  }
  const option = (c: Known) => ({ value: c.id, label: c.number ? optionLabel(c) : c.name });
  const searching = search.trim().length > 0;
  const suggested = searching ? [] : (suggestions?.items ?? []).filter((c) => !exclude.includes(c.id));
  const suggestedIds = new Set(suggested.map((c) => c.id));
  const rest = [...known.values()].filter((c) => !suggestedIds.has(c.id));
  const data =
    suggested.length > 0
      ? [
          { group: suggestions?.label ?? "Suggested", items: suggested.map(option) },
          { group: "All configuration items", items: rest.map(option) },
        ]
      : rest.map(option);
  return (
    <MultiSelect
      id={props.id}
      label={props.label}
      description={props.description}
      placeholder={value.length ? undefined : (props.placeholder ?? "Search by name or number")}
      searchable
      clearable
      hidePickedOptions
      data={data}
      value={value}
      onChange={props.onChange}
      searchValue={search}
      onSearchChange={setSearch}
      filter={serverFiltered}
      renderOption={renderCi(known)}
      nothingFoundMessage={list.isFetching ? "Searching…" : "No configuration item found"}
      error={props.error}
      autoFocus={props.autoFocus}
      comboboxProps={{ withinPortal: true }}
    />
  );
}
