import { MultiSelect, Select } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { listOrganizations, listUsers } from "../../api/identity.ts";
import { keys } from "../../api/queries.ts";
import { useUserNames } from "../tickets/use-names.ts";
import { useOrganizationNames } from "./use-cmdb.ts";

type Option = { value: string; label: string };

/** Options are filtered by the server, so the client shows them as they come. */
const serverFiltered = ({ options }: { options: unknown[] }) => options as never;

function merge(...lists: Option[][]): Option[] {
  const seen = new Map<string, Option>();
  for (const list of lists) for (const o of list) if (!seen.has(o.value)) seen.set(o.value, o);
  return [...seen.values()];
}

interface Common {
  id?: string;
  label?: string | undefined;
  "aria-label"?: string | undefined;
  description?: string | undefined;
  error?: string | undefined;
  placeholder?: string | undefined;
}

export type EntityPickerProps = Common &
  (
    | { multiple?: false; value: string | null; onChange: (v: string | null) => void }
    | {
        multiple: true;
        value: string[];
        onChange: (v: string[]) => void;
      }
  );

function Picker(
  props: EntityPickerProps & { data: Option[]; onSearch: (q: string) => void; search: string; busy: boolean },
) {
  const shared = {
    id: props.id,
    label: props.label,
    "aria-label": props["aria-label"],
    description: props.description,
    error: props.error,
    searchable: true,
    clearable: true,
    data: props.data,
    filter: serverFiltered,
    nothingFoundMessage: props.busy ? "Searching…" : "Nothing found",
    comboboxProps: { withinPortal: true },
  };
  if (props.multiple) {
    return (
      <MultiSelect
        {...shared}
        placeholder={props.value.length ? undefined : props.placeholder}
        hidePickedOptions
        value={props.value}
        onChange={props.onChange}
        searchValue={props.search}
        onSearchChange={props.onSearch}
      />
    );
  }
  return (
    <Select
      {...shared}
      placeholder={props.placeholder}
      value={props.value}
      onChange={props.onChange}
      onSearchChange={props.onSearch}
    />
  );
}

const picked = (p: EntityPickerProps) => (p.multiple ? p.value : p.value ? [p.value] : []);

/** People, searched on the server by name or e-mail. */
export function UserPicker(props: EntityPickerProps) {
  const [search, setSearch] = useState("");
  const [q] = useDebouncedValue(search.trim(), 250);
  const list = useQuery({
    queryKey: [...keys.users, "options", "any", q],
    queryFn: () => listUsers({ q: q || undefined, active: true, limit: 30 }),
    placeholderData: keepPreviousData,
  });
  const ids = picked(props);
  const names = useUserNames(ids);
  const data = merge(
    ids.flatMap((id) => (names.has(id) ? [{ value: id, label: names.get(id) ?? "" }] : [])),
    (list.data?.items ?? []).map((u) => ({ value: u.id, label: u.name })),
    ids.map((id) => ({ value: id, label: "Loading…" })),
  );
  return <Picker {...props} data={data} search={search} onSearch={setSearch} busy={list.isFetching} />;
}

/** Organizations, searched on the server by name. */
export function OrganizationPicker(props: EntityPickerProps) {
  const [search, setSearch] = useState("");
  const [q] = useDebouncedValue(search.trim(), 250);
  const list = useQuery({
    queryKey: [...keys.organizations, "options", q],
    queryFn: () => listOrganizations({ q: q || undefined, active: true, limit: 50 }),
    placeholderData: keepPreviousData,
  });
  const ids = picked(props);
  const names = useOrganizationNames(ids);
  const data = merge(
    ids.flatMap((id) => (names.has(id) ? [{ value: id, label: names.get(id) ?? "" }] : [])),
    (list.data?.items ?? []).map((o) => ({ value: o.id, label: o.name })),
    ids.map((id) => ({ value: id, label: "Loading…" })),
  );
  return <Picker {...props} data={data} search={search} onSearch={setSearch} busy={list.isFetching} />;
}
