import { MultiSelect, Select } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { keepPreviousData, useQueries, useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { getOrganization, getUser, listOrganizations, listUsers } from "../../api/identity.ts";
import { keys, rolesQuery } from "../../api/queries.ts";

type Option = { value: string; label: string };

function merge(...lists: Option[][]): Option[] {
  const seen = new Map<string, Option>();
  for (const list of lists) for (const o of list) if (!seen.has(o.value)) seen.set(o.value, o);
  return [...seen.values()];
}

/** Options are filtered by the server, so the client shows them as they come. */
const serverFiltered = ({ options }: { options: unknown[] }) => options as never;

interface SingleProps {
  value: string | null;
  onChange: (value: string | null) => void;
  error?: string | undefined;
}

export function OrganizationSelect({
  value,
  onChange,
  error,
  label = "Organization",
  description = "The customer company this person belongs to",
  disabled,
}: SingleProps & { label?: string; description?: string | undefined; disabled?: boolean }) {
  const [search, setSearch] = useState("");
  const [q] = useDebouncedValue(search.trim(), 250);
  const list = useQuery({
    queryKey: [...keys.organizations, "options", q],
    queryFn: () => listOrganizations({ q: q || undefined, active: true, limit: 50 }),
    placeholderData: keepPreviousData,
  });
  const selected = useQuery({
    queryKey: [...keys.organizations, "detail", value],
    queryFn: () => getOrganization(value ?? ""),
    enabled: !!value,
  });
  const data = merge(
    selected.data ? [{ value: selected.data.id, label: selected.data.name }] : [],
    (list.data?.items ?? []).map((o) => ({ value: o.id, label: o.name })),
  );
  return (
    <Select
      label={label}
      description={description}
      disabled={disabled}
      placeholder="Search organizations"
      searchable
      clearable
      nothingFoundMessage={list.isFetching ? "Searching…" : "No organization found"}
      data={data}
      value={value}
      onChange={onChange}
      onSearchChange={setSearch}
      filter={serverFiltered}
      error={error}
    />
  );
}

interface MultiProps {
  value: string[];
  onChange: (value: string[]) => void;
  error?: string | undefined;
}

export function AgentMultiSelect({ value, onChange, error }: MultiProps) {
  const [search, setSearch] = useState("");
  const [q] = useDebouncedValue(search.trim(), 250);
  const list = useQuery({
    queryKey: [...keys.users, "options", "agent", q],
    queryFn: () => listUsers({ q: q || undefined, kind: "agent", active: true, limit: 50 }),
    placeholderData: keepPreviousData,
  });
  const known = new Set((list.data?.items ?? []).map((u) => u.id));
  const missing = value.filter((id) => !known.has(id));
  const selected = useQueries({
    queries: missing.map((id) => ({ queryKey: [...keys.users, "detail", id], queryFn: () => getUser(id) })),
  });
  const data = merge(
    (list.data?.items ?? []).map((u) => ({ value: u.id, label: `${u.name} <${u.email}>` })),
    selected.flatMap((r) => (r.data ? [{ value: r.data.id, label: `${r.data.name} <${r.data.email}>` }] : [])),
    // Keep ids whose names have not arrived yet, so the selection never silently drops them.
    value.map((id) => ({ value: id, label: "Loading…" })),
  );
  return (
    <MultiSelect
      label="Members"
      description="Agents in this group"
      placeholder={value.length ? undefined : "Search agents"}
      searchable
      clearable
      hidePickedOptions
      nothingFoundMessage={list.isFetching ? "Searching…" : "No agent found"}
      data={data}
      value={value}
      onChange={onChange}
      searchValue={search}
      onSearchChange={setSearch}
      filter={serverFiltered}
      error={error}
    />
  );
}

export function RoleMultiSelect({ value, onChange, error, description }: MultiProps & { description?: string }) {
  const roles = useQuery(rolesQuery);
  const data = useMemo(() => (roles.data ?? []).map((r) => ({ value: r.id, label: r.name })), [roles.data]);
  return (
    <MultiSelect
      label="Roles"
      description={description}
      placeholder={value.length ? undefined : "Choose roles"}
      searchable
      clearable
      hidePickedOptions
      nothingFoundMessage={roles.isLoading ? "Loading…" : "No role found"}
      data={data}
      value={value}
      onChange={onChange}
      error={error}
    />
  );
}

/** Organizations searched on the server; picked ones keep their names while the search changes. */
export function OrganizationMultiSelect({
  value,
  onChange,
  error,
  label = "Organizations",
  description,
  disabled,
}: MultiProps & { label?: string; description?: string; disabled?: boolean }) {
  const [search, setSearch] = useState("");
  const [q] = useDebouncedValue(search.trim(), 250);
  const list = useQuery({
    queryKey: [...keys.organizations, "options", q],
    queryFn: () => listOrganizations({ q: q || undefined, active: true, limit: 50 }),
    placeholderData: keepPreviousData,
  });
  const known = new Set((list.data?.items ?? []).map((o) => o.id));
  const selected = useQueries({
    queries: value
      .filter((id) => !known.has(id))
      .map((id) => ({ queryKey: [...keys.organizations, "detail", id], queryFn: () => getOrganization(id) })),
  });
  const data = merge(
    (list.data?.items ?? []).map((o) => ({ value: o.id, label: o.name })),
    selected.flatMap((r) => (r.data ? [{ value: r.data.id, label: r.data.name }] : [])),
    value.map((id) => ({ value: id, label: "Loading…" })),
  );
  return (
    <MultiSelect
      label={label}
      description={description}
      disabled={disabled}
      placeholder={value.length ? undefined : "Any organization"}
      searchable
      clearable
      hidePickedOptions
      nothingFoundMessage={list.isFetching ? "Searching…" : "No organization found"}
      data={data}
      value={value}
      onChange={onChange}
      searchValue={search}
      onSearchChange={setSearch}
      filter={serverFiltered}
      error={error}
      comboboxProps={{ withinPortal: true }}
    />
  );
}
