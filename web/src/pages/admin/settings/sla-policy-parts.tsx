import { ActionIcon, Button, Group, MultiSelect, NumberInput, Select, SimpleGrid, Stack, Text } from "@mantine/core";
import { IconPlus, IconTrash } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { WORKFLOWS } from "../../../../../common/workflows.ts";
import { listCis, listClasses } from "../../../api/cmdb.ts";
import { categoriesQuery } from "../../../api/queries.ts";
import { errorAt, type FieldErrors } from "../../../lib/form-errors.ts";
import { formatMinutes } from "../../../lib/format.ts";
import { HOLD_REASON_OPTIONS, humanize, PRIORITY_OPTIONS, TYPE_OPTIONS } from "../../tickets/labels.ts";
import { OrganizationMultiSelect } from "../entity-selects.tsx";
import { rowKey } from "./calendar-model.ts";

export interface MatchValues {
  types: string[];
  priorities: string[];
  organizationIds: string[];
  categoryIds: string[];
  serviceIds: string[];
}

export type TargetKey = "firstResponseMinutes" | "resolutionMinutes" | "nextResponseMinutes";
export type Targets = Record<TargetKey, number | string>;
export const TARGETS: { key: TargetKey; label: string; description: string }[] = [
  { key: "firstResponseMinutes", label: "First response", description: "Until an agent first replies" },
  { key: "resolutionMinutes", label: "Resolution", description: "Until it is resolved" },
  { key: "nextResponseMinutes", label: "Next response", description: "Until an agent answers a customer's reply" },
];

export interface PauseRow {
  key: number;
  state: string;
  reason: string | null;
}

/** States a clock could pause in: any that is not resolved or closed, in any workflow. */
const STATE_OPTIONS = [
  ...new Set(
    Object.values(WORKFLOWS).flatMap((w) =>
      Object.entries(w.states)
        .filter(([, type]) => type !== "resolved" && type !== "closed")
        .map(([state]) => state),
    ),
  ),
].map((s) => ({ value: s, label: humanize(s) }));

/** Descriptions under the inputs, so inputs side by side line up whatever their descriptions say. */
export const BELOW: ("label" | "input" | "description" | "error")[] = ["label", "input", "description", "error"];

interface PartProps<T> {
  value: T;
  onChange: (value: T) => void;
  errors: FieldErrors;
  disabled: boolean;
}

/** Which tickets the policy is for; an empty list matches anything. */
export function MatchFields({ value, onChange, errors, disabled }: PartProps<MatchValues>) {
  const categories = useQuery(categoriesQuery);
  const set = (patch: Partial<MatchValues>) => onChange({ ...value, ...patch });
  const common = { searchable: true, clearable: true, hidePickedOptions: true, disabled };
  return (
    <Stack gap="sm" role="group" aria-labelledby="match-label" className="steward-match">
      <div>
        <Text fz="sm" fw={500} id="match-label">
          Applies to
        </Text>
        <Text fz="xs" c="dimmed">
          Tickets that meet every condition you fill in. Leave a field empty to match anything.
        </Text>
      </div>
      <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
        <MultiSelect
          {...common}
          label="Types"
          placeholder={value.types.length ? undefined : "Any type"}
          data={TYPE_OPTIONS}
          value={value.types}
          onChange={(types) => set({ types })}
          error={errorAt(errors, "match.types")}
        />
        <MultiSelect
          {...common}
          label="Priorities"
          placeholder={value.priorities.length ? undefined : "Any priority"}
          data={PRIORITY_OPTIONS}
          value={value.priorities}
          onChange={(priorities) => set({ priorities })}
          error={errorAt(errors, "match.priorities")}
        />
      </SimpleGrid>
      <OrganizationMultiSelect
        value={value.organizationIds}
        onChange={(organizationIds) => set({ organizationIds })}
        error={errorAt(errors, "match.organizationIds")}
        disabled={disabled}
      />
      <MultiSelect
        {...common}
        label="Categories"
        placeholder={value.categoryIds.length ? undefined : "Any category"}
        data={(categories.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
        value={value.categoryIds}
        onChange={(categoryIds) => set({ categoryIds })}
        nothingFoundMessage={categories.isLoading ? "Loading…" : "No category found"}
        error={errorAt(errors, "match.categoryIds")}
      />
      <ServiceMultiSelect
        value={value.serviceIds}
        onChange={(serviceIds) => set({ serviceIds })}
        error={errorAt(errors, "match.serviceIds")}
        disabled={disabled}
      />
    </Stack>
  );
}

/** Business services from the CMDB: the policy applies to tickets that affect one of them. */
function ServiceMultiSelect(props: {
  value: string[];
  onChange: (ids: string[]) => void;
  error?: string | undefined;
  disabled?: boolean | undefined;
}) {
  const services = useQuery({
    queryKey: ["cmdb", "business-services"],
    queryFn: async () => {
      const cls = (await listClasses()).items.find((c) => c.code === "business_service");
      if (!cls) return [];
      return (await listCis({ classId: cls.id, limit: 200 })).items;
    },
  });
  return (
    <MultiSelect
      label="Business services"
      description="Tickets that affect one of these services"
      placeholder={props.value.length ? undefined : "Any service"}
      searchable
      clearable
      data={(services.data ?? []).map((s) => ({ value: s.id, label: `${s.number} · ${s.name}` }))}
      value={props.value}
      onChange={props.onChange}
      nothingFoundMessage={services.isLoading ? "Loading…" : "No business service found"}
      error={props.error}
      disabled={props.disabled}
      comboboxProps={{ withinPortal: true }}
    />
  );
}

/** Target times in working minutes, each also shown in hours. */
export function TargetFields({ value, onChange, errors, disabled }: PartProps<Targets>) {
  return (
    <Stack gap="xs" role="group" aria-labelledby="targets-label">
      <div>
        <Text fz="sm" fw={500} id="targets-label">
          Targets (working minutes)
        </Text>
        <Text fz="xs" c={errors.targets ? "red" : "dimmed"}>
          {errors.targets ?? "Fill in at least one. Empty targets are not measured."}
        </Text>
      </div>
      <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="sm">
        {TARGETS.map((t) => {
          const v = value[t.key];
          return (
            <NumberInput
              key={t.key}
              label={t.label}
              description={typeof v === "number" && v > 0 ? `= ${formatMinutes(v)}` : t.description}
              placeholder="Not measured"
              inputWrapperOrder={BELOW}
              min={1}
              allowDecimal={false}
              allowNegative={false}
              value={v}
              onChange={(n) => onChange({ ...value, [t.key]: n })}
              error={errors[`targets.${t.key}`]}
              disabled={disabled}
            />
          );
        })}
      </SimpleGrid>
    </Stack>
  );
}

/** When the clocks stop: a state, and optionally only for one hold reason. */
export function PauseRulesEditor({ value, onChange, errors, disabled }: PartProps<PauseRow[]>) {
  const update = (key: number, patch: Partial<PauseRow>) =>
    onChange(value.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  return (
    <Stack gap="xs" role="group" aria-labelledby="pause-label">
      <div>
        <Text fz="sm" fw={500} id="pause-label">
          Pause the clocks while
        </Text>
        {(errors.pauseOn || value.length === 0) && (
          <Text fz="xs" c={errors.pauseOn ? "red" : "dimmed"}>
            {errors.pauseOn ?? "No rules: the clocks never pause."}
          </Text>
        )}
      </div>
      {value.map((row, i) => (
        <Group key={row.key} gap="xs" align="flex-start" wrap="nowrap" data-testid="pause-row">
          <Select
            aria-label={`State, pause rule ${i + 1}`}
            data={STATE_OPTIONS}
            value={row.state}
            allowDeselect={false}
            onChange={(state) => state && update(row.key, { state })}
            error={errorAt(errors, `pauseOn.${i}.state`)}
            disabled={disabled}
            flex="1 1 0"
            miw={0}
            comboboxProps={{ withinPortal: true }}
          />
          <Select
            aria-label={`Reason, pause rule ${i + 1}`}
            placeholder="Any reason"
            data={HOLD_REASON_OPTIONS}
            value={row.reason}
            clearable
            onChange={(reason) => update(row.key, { reason })}
            error={errorAt(errors, `pauseOn.${i}.reason`)}
            disabled={disabled}
            flex="1 1 0"
            miw={0}
            comboboxProps={{ withinPortal: true }}
          />
          <ActionIcon
            variant="subtle"
            color="gray"
            size={36}
            aria-label={`Remove pause rule ${i + 1}`}
            onClick={() => onChange(value.filter((r) => r.key !== row.key))}
            disabled={disabled}
          >
            <IconTrash size={16} aria-hidden />
          </ActionIcon>
        </Group>
      ))}
      {!disabled && (
        <Group>
          <Button
            variant="light"
            size="xs"
            leftSection={<IconPlus size={14} aria-hidden />}
            onClick={() => onChange([...value, { key: rowKey(), state: "on_hold", reason: null }])}
          >
            Add pause rule
          </Button>
        </Group>
      )}
    </Stack>
  );
}
