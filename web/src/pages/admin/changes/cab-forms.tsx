import { Alert, Checkbox, Group, Stack, Switch, Text, TextInput } from "@mantine/core";
import { IconInfoCircle } from "@tabler/icons-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { CHANGE_TYPES, type ChangeType, RISK_LEVELS, type RiskLevel } from "../../../../../common/changes.ts";
import {
  type ApproverSet,
  type ApproverSetUpdate,
  changeAdminKeys,
  createApproverSet,
  createCabTemplate,
  updateApproverSet,
} from "../../../api/change-admin.ts";
import { type FieldErrors, handleSaveError } from "../../../lib/form-errors.ts";
import { notifySuccess } from "../../../lib/notify.ts";
import { CHANGE_TYPE_LABELS, RISK_LABELS } from "../../changes/calendar-labels.ts";
import { FormActions } from "../form-drawer.tsx";
import { sameIds } from "../use-editor.ts";
import { AgentsSelect, type ApprovalRule, GroupsSelect, RuleInput, ServicesSelect } from "./change-pickers.tsx";

/** The root field of an error path ("userIds.2" → "userIds"). */
const rootErrors = (errors: FieldErrors) => {
  const out: FieldErrors = {};
  for (const [k, v] of Object.entries(errors)) out[k.split(".")[0] ?? k] ??= v;
  return out;
};

function Approvers(props: {
  userIds: string[];
  groupIds: string[];
  onUsers: (v: string[]) => void;
  onGroups: (v: string[]) => void;
  errors: FieldErrors;
}) {
  return (
    <Stack gap="sm">
      <AgentsSelect
        label="Approving agents"
        description="Each of them may approve"
        value={props.userIds}
        onChange={props.onUsers}
        error={props.errors.userIds}
      />
      <GroupsSelect
        label="Approving groups"
        description="Every member of these groups may approve"
        value={props.groupIds}
        onChange={props.onGroups}
        error={props.errors.groupIds}
      />
    </Stack>
  );
}

function validRule(rule: ApprovalRule, atLeast: number | string, errors: FieldErrors) {
  if (rule === "at_least" && (typeof atLeast !== "number" || !Number.isInteger(atLeast) || atLeast < 1)) {
    errors.atLeast = "How many approvals, at least 1";
  }
}

const SET_FIELDS = ["name", "types", "serviceIds", "riskLevels", "userIds", "groupIds", "rule", "atLeast", "active"];

/** A CAB rule: which changes it applies to, who approves, and how many of them must. */
export function ApproverSetForm(props: { set: ApproverSet | null; onDone: () => void; onReload: () => Promise<void> }) {
  const { set, onDone, onReload } = props;
  const queryClient = useQueryClient();
  const [name, setName] = useState(set?.name ?? "");
  const [types, setTypes] = useState<ChangeType[]>(set?.types ?? ["normal"]);
  const [serviceIds, setServiceIds] = useState<string[]>(set?.serviceIds ?? []);
  const [riskLevels, setRiskLevels] = useState<RiskLevel[]>(set?.riskLevels ?? []);
  const [userIds, setUserIds] = useState<string[]>(set?.userIds ?? []);
  const [groupIds, setGroupIds] = useState<string[]>(set?.groupIds ?? []);
  const [rule, setRule] = useState<ApprovalRule>(set?.rule ?? "all");
  const [atLeast, setAtLeast] = useState<number | string>(set?.atLeast ?? 2);
  const [active, setActive] = useState(set?.active ?? true);
  const [errors, setErrors] = useState<FieldErrors>({});
  const clear = (field: string) => setErrors(({ [field]: _, ...rest }) => rest);

  const mutation = useMutation({
    mutationFn: async () => {
      const n = rule === "at_least" ? Number(atLeast) : undefined;
      if (!set)
        return createApproverSet({
          name: name.trim(),
          types,
          serviceIds,
          riskLevels,
          userIds,
          groupIds,
          rule,
          ...(n !== undefined ? { atLeast: n } : {}),
        });
      const body: ApproverSetUpdate = {};
      if (name.trim() !== set.name) body.name = name.trim();
      if (!sameIds(types, set.types)) body.types = types;
      if (!sameIds(serviceIds, set.serviceIds)) body.serviceIds = serviceIds;
      if (!sameIds(riskLevels, set.riskLevels)) body.riskLevels = riskLevels;
      if (!sameIds(userIds, set.userIds)) body.userIds = userIds;
      if (!sameIds(groupIds, set.groupIds)) body.groupIds = groupIds;
      if (rule !== set.rule) body.rule = rule;
      if ((n ?? null) !== set.atLeast) body.atLeast = n ?? null;
      if (active !== set.active) body.active = active;
      return Object.keys(body).length ? updateApproverSet(set.id, { ...body, version: set.version }) : null;
    },
    onSuccess: async (saved) => {
      if (saved) await queryClient.invalidateQueries({ queryKey: changeAdminKeys.approverSets });
      notifySuccess(saved ? `${saved.name} was saved.` : "Nothing to save.");
      onDone();
    },
    onError: (error) =>
      handleSaveError(error, {
        noun: "approver set",
        fields: SET_FIELDS,
        setFieldErrors: setErrors,
        onConflict: set ? onReload : undefined,
      }),
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const found: FieldErrors = {};
    if (!name.trim()) found.name = "Enter a name";
    if (userIds.length + groupIds.length === 0) found.userIds = "Name at least one approving agent or group";
    validRule(rule, atLeast, found);
    setErrors(found);
    if (Object.keys(found).length === 0) mutation.mutate();
  };

  const shown = rootErrors(errors);
  return (
    <form onSubmit={onSubmit} noValidate aria-label={set ? `Edit ${set.name}` : "New approver set"}>
      <Stack gap="md">
        <TextInput
          label="Name"
          required
          value={name}
          onChange={(e) => {
            setName(e.currentTarget.value);
            clear("name");
          }}
          error={shown.name}
          data-autofocus
        />
        <Checkbox.Group
          label="Change types"
          description="None ticked: normal changes"
          value={types}
          onChange={(v) => setTypes(v as ChangeType[])}
          error={shown.types}
        >
          <Group gap="md" mt={6}>
            {CHANGE_TYPES.map((t) => (
              <Checkbox key={t} value={t} label={CHANGE_TYPE_LABELS[t]} />
            ))}
          </Group>
        </Checkbox.Group>
        {types.includes("standard") && (
          <Alert color="blue" variant="light" icon={<IconInfoCircle size={18} aria-hidden />} p="xs">
            Standard changes are pre-approved through their template and never go to a CAB.
          </Alert>
        )}
        <ServicesSelect
          label="Business services"
          description="Applies when a change affects one of them; none: any change"
          value={serviceIds}
          onChange={(v) => {
            setServiceIds(v);
            clear("serviceIds");
          }}
          error={shown.serviceIds}
        />
        <Checkbox.Group
          label="Risk levels"
          description="None ticked: every risk level"
          value={riskLevels}
          onChange={(v) => setRiskLevels(v as RiskLevel[])}
          error={shown.riskLevels}
        >
          <Group gap="md" mt={6}>
            {RISK_LEVELS.map((r) => (
              <Checkbox key={r} value={r} label={RISK_LABELS[r]} />
            ))}
          </Group>
        </Checkbox.Group>
        <Approvers
          userIds={userIds}
          groupIds={groupIds}
          onUsers={(v) => {
            setUserIds(v);
            clear("userIds");
          }}
          onGroups={(v) => {
            setGroupIds(v);
            clear("groupIds");
            clear("userIds");
          }}
          errors={shown}
        />
        <RuleInput
          rule={rule}
          atLeast={atLeast}
          onRule={(r) => {
            setRule(r);
            clear("atLeast");
          }}
          onAtLeast={(n) => {
            setAtLeast(n);
            clear("atLeast");
          }}
          errors={{ rule: shown.rule, atLeast: shown.atLeast }}
        />
        <Text fz="xs" c="dimmed">
          The change's requester and owner never approve their own change; they do not count among the approvers.
        </Text>
        {set && (
          <Switch
            label="Active"
            description={active ? "New changes that match it need its approval" : "Not applied to new changes"}
            checked={active}
            onChange={(e) => setActive(e.currentTarget.checked)}
            color="teal"
          />
        )}
      </Stack>
      <FormActions onCancel={onDone} submitLabel={set ? "Save" : "Create approver set"} loading={mutation.isPending} />
    </form>
  );
}

/** A saved board an owner can add to one change. */
export function CabTemplateForm(props: { onDone: () => void }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const [userIds, setUserIds] = useState<string[]>([]);
  const [groupIds, setGroupIds] = useState<string[]>([]);
  const [rule, setRule] = useState<ApprovalRule>("majority");
  const [atLeast, setAtLeast] = useState<number | string>(2);
  const [errors, setErrors] = useState<FieldErrors>({});
  const clear = (field: string) => setErrors(({ [field]: _, ...rest }) => rest);
  const mutation = useMutation({
    mutationFn: () =>
      createCabTemplate({
        name: name.trim(),
        userIds,
        groupIds,
        rule,
        ...(rule === "at_least" ? { atLeast: Number(atLeast) } : {}),
      }),
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: changeAdminKeys.cabTemplates });
      notifySuccess(`${saved.name} was created: change owners can add it to their changes.`);
      props.onDone();
    },
    onError: (error) =>
      handleSaveError(error, {
        noun: "CAB template",
        fields: ["name", "userIds", "groupIds", "rule", "atLeast"],
        setFieldErrors: setErrors,
      }),
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const found: FieldErrors = {};
    if (!name.trim()) found.name = "Enter a name";
    if (userIds.length + groupIds.length === 0) found.userIds = "Name at least one approving agent or group";
    validRule(rule, atLeast, found);
    setErrors(found);
    if (Object.keys(found).length === 0) mutation.mutate();
  };
  return (
    <form onSubmit={onSubmit} noValidate aria-label="New CAB template">
      <Stack gap="md">
        <TextInput
          label="Name"
          placeholder="Database CAB"
          required
          value={name}
          onChange={(e) => {
            setName(e.currentTarget.value);
            clear("name");
          }}
          error={errors.name}
          data-autofocus
        />
        <Approvers
          userIds={userIds}
          groupIds={groupIds}
          onUsers={(v) => {
            setUserIds(v);
            clear("userIds");
          }}
          onGroups={(v) => {
            setGroupIds(v);
            clear("groupIds");
            clear("userIds");
          }}
          errors={errors}
        />
        <RuleInput
          rule={rule}
          atLeast={atLeast}
          onRule={(r) => {
            setRule(r);
            clear("atLeast");
          }}
          onAtLeast={(n) => {
            setAtLeast(n);
            clear("atLeast");
          }}
          errors={{ rule: errors.rule, atLeast: errors.atLeast }}
        />
      </Stack>
      <FormActions onCancel={props.onDone} submitLabel="Create CAB template" loading={mutation.isPending} />
    </form>
  );
}
