import { Group, MultiSelect, NumberInput, Select, Stack, Text } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { listUsers } from "../../../api/identity.ts";
import { keys } from "../../../api/queries.ts";
import { CiMultiSelect } from "../../cmdb/ci-picker.tsx";
import { useClassByCode } from "../../cmdb/use-cmdb.ts";
import { useGroups, useUserNames } from "../../tickets/use-names.ts";

type Option = { value: string; label: string };

function merge(...lists: Option[][]): Option[] {
  const seen = new Map<string, Option>();
  for (const list of lists) for (const o of list) if (!seen.has(o.value)) seen.set(o.value, o);
  return [...seen.values()];
}

/** Options are filtered by the server, so the client shows them as they come. */
const serverFiltered = ({ options }: { options: unknown[] }) => options as never;

interface MultiProps {
  label: string;
  description?: string | undefined;
  placeholder?: string | undefined;
  value: string[];
  onChange: (value: string[]) => void;
  error?: string | undefined;
  disabled?: boolean;
}

/** Active agents, searched on the server; picked ones keep their names. */
export function AgentsSelect(props: MultiProps) {
  const { value } = props;
  const [search, setSearch] = useState("");
  const [q] = useDebouncedValue(search.trim(), 250);
  const list = useQuery({
    queryKey: [...keys.users, "options", "agent", q],
    queryFn: () => listUsers({ q: q || undefined, kind: "agent", active: true, limit: 50 }),
    placeholderData: keepPreviousData,
  });
  const names = useUserNames(value);
  const data = merge(
    value.flatMap((id) => (names.has(id) ? [{ value: id, label: names.get(id) ?? "" }] : [])),
    (list.data?.items ?? []).map((u) => ({ value: u.id, label: u.name })),
    value.map((id) => ({ value: id, label: "Loading…" })),
  );
  return (
    <MultiSelect
      label={props.label}
      description={props.description}
      placeholder={value.length ? undefined : (props.placeholder ?? "Search agents")}
      searchable
      clearable
      hidePickedOptions
      nothingFoundMessage={list.isFetching ? "Searching…" : "No agent found"}
      data={data}
      value={value}
      onChange={props.onChange}
      searchValue={search}
      onSearchChange={setSearch}
      filter={serverFiltered}
      error={props.error}
      disabled={props.disabled}
      comboboxProps={{ withinPortal: true }}
    />
  );
}

/** Groups (there are few): all of them, active ones offered. */
export function GroupsSelect(props: MultiProps) {
  const groups = useGroups();
  const data = (groups.data ?? [])
    .filter((g) => g.active || props.value.includes(g.id))
    .map((g) => ({ value: g.id, label: g.name }));
  return (
    <MultiSelect
      label={props.label}
      description={props.description}
      placeholder={props.value.length ? undefined : (props.placeholder ?? "Choose groups")}
      searchable
      clearable
      hidePickedOptions
      nothingFoundMessage={groups.isLoading ? "Loading…" : "No group found"}
      data={merge(
        data,
        props.value.map((id) => ({ value: id, label: "Loading…" })),
      )}
      value={props.value}
      onChange={props.onChange}
      error={props.error}
      disabled={props.disabled}
      comboboxProps={{ withinPortal: true }}
    />
  );
}

/** Business services from the CMDB. */
export function ServicesSelect(props: MultiProps) {
  const serviceClass = useClassByCode("business_service");
  return (
    <CiMultiSelect
      label={props.label}
      description={props.description}
      placeholder={props.placeholder ?? "Search business services"}
      classId={serviceClass?.id}
      value={props.value}
      onChange={props.onChange}
      error={props.error}
    />
  );
}

export type ApprovalRule = "all" | "any" | "majority" | "at_least";
export const RULE_LABELS: Record<ApprovalRule, string> = {
  all: "All of them",
  any: "Any one of them",
  majority: "A majority",
  at_least: "At least N",
};
const RULE_OPTIONS = (Object.keys(RULE_LABELS) as ApprovalRule[]).map((r) => ({ value: r, label: RULE_LABELS[r] }));

/** "All approve", "2 of them approve". */
export function ruleSummary(rule: ApprovalRule, atLeast: number | null): string {
  switch (rule) {
    case "all":
      return "All must approve";
    case "any":
      return "Any one approves";
    case "majority":
      return "A majority approves";
    case "at_least":
      return `At least ${atLeast ?? "?"} approve`;
  }
}

/** Who must approve: all, any, a majority or at least N of the approvers. */
export function RuleInput(props: {
  rule: ApprovalRule;
  atLeast: number | string;
  onRule: (rule: ApprovalRule) => void;
  onAtLeast: (n: number | string) => void;
  errors: { rule?: string | undefined; atLeast?: string | undefined };
  disabled?: boolean;
}) {
  return (
    <Stack gap={4}>
      <Group gap="sm" align="flex-start" grow>
        <Select
          label="Approval rule"
          description="How many of the approvers must say yes"
          data={RULE_OPTIONS}
          value={props.rule}
          allowDeselect={false}
          onChange={(v) => v && props.onRule(v as ApprovalRule)}
          error={props.errors.rule}
          disabled={props.disabled}
          comboboxProps={{ withinPortal: true }}
        />
        {props.rule === "at_least" && (
          <NumberInput
            label="Approvals needed"
            description="N, at least 1"
            min={1}
            max={200}
            allowDecimal={false}
            value={props.atLeast}
            onChange={props.onAtLeast}
            error={props.errors.atLeast}
            disabled={props.disabled}
          />
        )}
      </Group>
      {props.rule !== "at_least" && props.errors.atLeast && (
        <Text fz="xs" c="red">
          {props.errors.atLeast}
        </Text>
      )}
    </Stack>
  );
}
