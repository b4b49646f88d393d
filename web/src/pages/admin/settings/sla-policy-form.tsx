import { Divider, NumberInput, Select, SimpleGrid, Stack, Switch, Text, TextInput } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { DEFAULT_PAUSE_ON, type SlaPolicy } from "../../../../../common/sla-policies.ts";
import type { HoldReason } from "../../../../../common/workflows.ts";
import { keys } from "../../../api/queries.ts";
import { createSlaPolicy, listCalendars, type SlaPolicyBody, updateSlaPolicy } from "../../../api/settings.ts";
import { type FieldErrors, handleSaveError, withoutErrors } from "../../../lib/form-errors.ts";
import { notifySuccess } from "../../../lib/notify.ts";
import { FormActions } from "../form-drawer.tsx";
import { rowKey } from "./calendar-model.ts";
import {
  BELOW,
  MatchFields,
  type MatchValues,
  type PauseRow,
  PauseRulesEditor,
  TARGETS,
  TargetFields,
  type Targets,
} from "./sla-policy-parts.tsx";

const FIELDS = ["name", "calendarId", "order", "match", "targets", "warningPercent", "pauseOn", "active"];

interface Values {
  name: string;
  calendarId: string | null;
  order: number | string;
  match: MatchValues;
  targets: Targets;
  warningPercent: number | string;
  pauseOn: PauseRow[];
  active: boolean;
}

function initialValues(policy: SlaPolicy | null, nextOrder: number): Values {
  const t = policy?.targets ?? {};
  return {
    name: policy?.name ?? "",
    calendarId: policy?.calendarId ?? null,
    order: policy?.order ?? nextOrder,
    match: {
      types: policy?.match.types ?? [],
      priorities: policy?.match.priorities ?? [],
      organizationIds: policy?.match.organizationIds ?? [],
      categoryIds: policy?.match.categoryIds ?? [],
      serviceIds: policy?.match.serviceIds ?? [],
    },
    targets: {
      firstResponseMinutes: t.firstResponseMinutes ?? "",
      resolutionMinutes: t.resolutionMinutes ?? "",
      nextResponseMinutes: t.nextResponseMinutes ?? "",
    },
    warningPercent: policy?.warningPercent ?? 80,
    pauseOn: (policy?.pauseOn ?? DEFAULT_PAUSE_ON).map((r) => ({
      key: rowKey(),
      state: r.state,
      reason: r.reason ?? null,
    })),
    active: policy?.active ?? true,
  };
}

/** The whole policy as the API takes it; empty match lists and targets are left out. */
function toBody(v: Values): SlaPolicyBody {
  const match: SlaPolicyBody["match"] = {};
  for (const key of ["types", "priorities", "organizationIds", "categoryIds", "serviceIds"] as const) {
    if (v.match[key].length) Object.assign(match, { [key]: v.match[key] });
  }
  const targets: SlaPolicyBody["targets"] = {};
  for (const { key } of TARGETS) {
    const n = v.targets[key];
    if (typeof n === "number") targets[key] = n;
  }
  return {
    name: v.name.trim(),
    calendarId: v.calendarId ?? "",
    order: Number(v.order),
    match,
    targets,
    warningPercent: Number(v.warningPercent),
    pauseOn: v.pauseOn.map((r) => (r.reason ? { state: r.state, reason: r.reason as HoldReason } : { state: r.state })),
    active: v.active,
  };
}

function validate(v: Values): FieldErrors {
  const errors: FieldErrors = {};
  if (!v.name.trim()) errors.name = "Enter a name";
  if (!v.calendarId) errors.calendarId = "Choose the calendar whose working time counts";
  if (typeof v.order !== "number") errors.order = "Enter a number";
  if (typeof v.warningPercent !== "number") errors.warningPercent = "Enter a percentage from 1 to 99";
  if (TARGETS.every((t) => typeof v.targets[t.key] !== "number")) errors.targets = "Fill in at least one target";
  return errors;
}

export function SlaPolicyForm(props: {
  policy: SlaPolicy | null;
  nextOrder: number;
  onDone: () => void;
  onReload: () => Promise<void>;
}) {
  const { policy, onDone, onReload } = props;
  const queryClient = useQueryClient();
  const [values, setValues] = useState(() => initialValues(policy, props.nextOrder));
  const [errors, setErrors] = useState<FieldErrors>({});
  const calendars = useQuery({ queryKey: [...keys.calendars, "all"], queryFn: () => listCalendars({ limit: 200 }) });
  const readOnly = policy !== null && !policy.abilities.update;
  const set = <K extends keyof Values>(key: K, value: Values[K]) => {
    setValues((v) => ({ ...v, [key]: value }));
    setErrors((e) => withoutErrors(key === "targets" ? withoutErrors(e, "targets") : e, key));
  };

  const mutation = useMutation({
    mutationFn: () => {
      const body = toBody(values);
      // The form sends the whole policy: match, targets and pause rules replace what was there.
      return policy ? updateSlaPolicy(policy.id, { ...body, version: policy.version }) : createSlaPolicy(body);
    },
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: keys.slaPolicies });
      notifySuccess(`${saved.name} was saved.`);
      onDone();
    },
    onError: (error) =>
      handleSaveError(error, {
        noun: "SLA policy",
        fields: FIELDS,
        paths: true,
        setFieldErrors: setErrors,
        onConflict: policy ? onReload : undefined,
      }),
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const found = validate(values);
    setErrors(found);
    if (Object.keys(found).length === 0) mutation.mutate();
  };
  const part = { errors, disabled: readOnly };

  return (
    <form onSubmit={onSubmit} noValidate aria-label={policy ? `Edit ${policy.name}` : "New SLA policy"}>
      <Stack gap="md">
        {readOnly && (
          <Text fz="sm" c="dimmed">
            You may look at this policy but not change it.
          </Text>
        )}
        <TextInput
          label="Name"
          required
          value={values.name}
          onChange={(e) => set("name", e.currentTarget.value)}
          error={errors.name}
          disabled={readOnly}
          data-autofocus
        />
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
          <Select
            label="Calendar"
            required
            searchable
            placeholder="Choose a calendar"
            data={(calendars.data?.items ?? []).map((c) => ({ value: c.id, label: `${c.name} (${c.timezone})` }))}
            value={values.calendarId}
            onChange={(v) => set("calendarId", v)}
            nothingFoundMessage={calendars.isLoading ? "Loading…" : "No calendar yet: create one first"}
            error={errors.calendarId}
            disabled={readOnly}
            comboboxProps={{ withinPortal: true }}
          />
          <NumberInput
            label="Order"
            description="Lower first; the first matching policy applies"
            inputWrapperOrder={BELOW}
            required
            min={0}
            max={100000}
            allowDecimal={false}
            allowNegative={false}
            value={values.order}
            onChange={(v) => set("order", v)}
            error={errors.order}
            disabled={readOnly}
          />
        </SimpleGrid>
        <Divider />
        <MatchFields value={values.match} onChange={(v) => set("match", v)} {...part} />
        <Divider />
        <TargetFields value={values.targets} onChange={(v) => set("targets", v)} {...part} />
        <NumberInput
          label="Warning at"
          description="Warn when this share of a target's time has passed"
          suffix=" %"
          min={1}
          max={99}
          allowDecimal={false}
          allowNegative={false}
          value={values.warningPercent}
          onChange={(v) => set("warningPercent", v)}
          error={errors.warningPercent}
          disabled={readOnly}
          maw={200}
        />
        <Divider />
        <PauseRulesEditor value={values.pauseOn} onChange={(v) => set("pauseOn", v)} {...part} />
        <Switch
          label="Active"
          description={values.active ? "New and changed tickets are matched against it" : "Skipped when matching"}
          checked={values.active}
          onChange={(e) => set("active", e.currentTarget.checked)}
          disabled={readOnly}
          color="teal"
        />
      </Stack>
      {!readOnly && (
        <FormActions onCancel={onDone} submitLabel={policy ? "Save" : "Create policy"} loading={mutation.isPending} />
      )}
    </form>
  );
}
