import {
  ActionIcon,
  Alert,
  Button,
  Divider,
  Group,
  NumberInput,
  Paper,
  SegmentedControl,
  Select,
  Stack,
  Switch,
  Text,
  Textarea,
  TextInput,
} from "@mantine/core";
import { IconArrowDown, IconArrowUp, IconCircleCheck, IconInfoCircle, IconPlus, IconTrash } from "@tabler/icons-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import {
  approveChangeTemplate,
  type ChangeTemplate,
  type ChangeTemplateUpdate,
  changeAdminKeys,
  createChangeTemplate,
  updateChangeTemplate,
} from "../../../api/change-admin.ts";
import { errorAt, type FieldErrors, handleSaveError, withoutErrors } from "../../../lib/form-errors.ts";
import { formatDateTime, formatMinutes } from "../../../lib/format.ts";
import { notifyError, notifySuccess } from "../../../lib/notify.ts";
import { CiMultiSelect } from "../../cmdb/ci-picker.tsx";
import { useCatalog } from "../../cmdb/use-cmdb.ts";
import { useUserNames } from "../../tickets/use-names.ts";
import { FormActions } from "../form-drawer.tsx";

type Outage = ChangeTemplate["outage"];
type WorkOrderKind = ChangeTemplate["workOrders"][number]["kind"];
interface WorkOrderRow {
  key: number;
  kind: WorkOrderKind;
  title: string;
  instructions: string;
}

const KIND_OPTIONS: { value: WorkOrderKind; label: string }[] = [
  { value: "implementation", label: "Implementation" },
  { value: "test", label: "Test" },
  { value: "rollback", label: "Rollback" },
  { value: "review", label: "Review" },
];

const FIELDS = [
  "name",
  "title",
  "description",
  "justification",
  "categoryId",
  "ciIds",
  "durationMinutes",
  "implementationPlan",
  "testPlan",
  "rollbackPlan",
  "outage",
  "workOrders",
  "active",
];

let nextKey = 1;
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function WorkOrdersEditor(props: {
  rows: WorkOrderRow[];
  onChange: (rows: WorkOrderRow[]) => void;
  errors: FieldErrors;
}) {
  const { rows, onChange, errors } = props;
  const update = (key: number, patch: Partial<WorkOrderRow>) =>
    onChange(rows.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const move = (index: number, by: -1 | 1) => {
    const next = [...rows];
    const [row] = next.splice(index, 1);
    if (row) next.splice(index + by, 0, row);
    onChange(next);
  };
  return (
    <Stack gap="xs" role="group" aria-labelledby="template-work-orders">
      <div>
        <Text fz="sm" fw={500} id="template-work-orders">
          Work orders
        </Text>
        <Text fz="xs" c="dimmed">
          Added, in this order, to every change made from the template
        </Text>
      </div>
      {errors.workOrders && (
        <Text fz="xs" c="red">
          {errors.workOrders}
        </Text>
      )}
      {rows.map((row, i) => {
        const n = i + 1;
        return (
          <Paper key={row.key} withBorder radius="md" p="sm" data-testid="template-work-order">
            <Group gap="xs" align="flex-start" wrap="nowrap">
              <Stack gap="xs" style={{ flex: 1, minWidth: 0 }}>
                <Group gap="xs" align="flex-start" wrap="nowrap">
                  <Select
                    aria-label={`Kind, work order ${n}`}
                    data={KIND_OPTIONS}
                    value={row.kind}
                    allowDeselect={false}
                    onChange={(kind) => kind && update(row.key, { kind: kind as WorkOrderKind })}
                    w={150}
                    style={{ flexShrink: 0 }}
                    comboboxProps={{ withinPortal: true }}
                  />
                  <TextInput
                    aria-label={`Title, work order ${n}`}
                    placeholder="Apply the patch"
                    value={row.title}
                    onChange={(e) => update(row.key, { title: e.currentTarget.value })}
                    error={errorAt(errors, `workOrders.${i}.title`)}
                    style={{ flex: 1, minWidth: 0 }}
                  />
                </Group>
                <Textarea
                  aria-label={`Instructions, work order ${n}`}
                  placeholder="Instructions (optional)"
                  autosize
                  minRows={1}
                  maxRows={6}
                  value={row.instructions}
                  onChange={(e) => update(row.key, { instructions: e.currentTarget.value })}
                  error={errorAt(errors, `workOrders.${i}.instructions`)}
                />
              </Stack>
              <Stack gap={2}>
                <ActionIcon
                  variant="subtle"
                  color="gray"
                  aria-label={`Move work order ${n} up`}
                  disabled={i === 0}
                  onClick={() => move(i, -1)}
                >
                  <IconArrowUp size={16} aria-hidden />
                </ActionIcon>
                <ActionIcon
                  variant="subtle"
                  color="gray"
                  aria-label={`Move work order ${n} down`}
                  disabled={i === rows.length - 1}
                  onClick={() => move(i, 1)}
                >
                  <IconArrowDown size={16} aria-hidden />
                </ActionIcon>
                <ActionIcon
                  variant="subtle"
                  color="red"
                  aria-label={`Remove work order ${n}`}
                  onClick={() => onChange(rows.filter((r) => r.key !== row.key))}
                >
                  <IconTrash size={16} aria-hidden />
                </ActionIcon>
              </Stack>
            </Group>
          </Paper>
        );
      })}
      <Group>
        <Button
          variant="light"
          size="xs"
          leftSection={<IconPlus size={14} aria-hidden />}
          disabled={rows.length >= 50}
          onClick={() =>
            onChange([
              ...rows,
              { key: nextKey++, kind: rows.length ? "test" : "implementation", title: "", instructions: "" },
            ])
          }
        >
          Add work order
        </Button>
      </Group>
    </Stack>
  );
}

/** Whether changes may be made from it, and the button that allows it. */
function ApprovalPanel(props: { template: ChangeTemplate; dirty: boolean; onApproved: (t: ChangeTemplate) => void }) {
  const { template, dirty, onApproved } = props;
  const queryClient = useQueryClient();
  const names = useUserNames([template.approvedById]);
  const approve = useMutation({
    mutationFn: () => approveChangeTemplate(template.id),
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: changeAdminKeys.templates });
      notifySuccess(`“${saved.name}” is approved: standard changes can be made from it.`);
      onApproved(saved);
    },
    onError: (error) => notifyError(error, "Could not approve the template"),
  });
  if (template.approved) {
    return (
      <Alert color="teal" variant="light" icon={<IconCircleCheck size={18} aria-hidden />} title="Approved">
        <Text fz="sm">
          Approved
          {template.approvedById ? ` by ${names.get(template.approvedById) ?? "…"}` : ""}
          {template.approvedAt ? ` on ${formatDateTime(template.approvedAt)}` : ""}. Changes made from it need no CAB.
          Saving a change to its content withdraws the approval until it is approved again.
        </Text>
      </Alert>
    );
  }
  return (
    <Alert color="yellow" variant="light" icon={<IconInfoCircle size={18} aria-hidden />} title="Not approved">
      <Text fz="sm" mb="sm">
        {template.active
          ? "Standard changes cannot be made from it until it is approved."
          : "It is inactive: activate it before approving it."}
      </Text>
      <Button
        size="xs"
        color="teal"
        leftSection={<IconCircleCheck size={14} aria-hidden />}
        onClick={() => approve.mutate()}
        loading={approve.isPending}
        disabled={dirty || !template.active}
      >
        Approve template
      </Button>
      {dirty && (
        <Text fz="xs" c="dimmed" mt={6}>
          Save or undo your edits first: the saved version is what gets approved.
        </Text>
      )}
    </Alert>
  );
}

export function ChangeTemplateForm(props: {
  template: ChangeTemplate | null;
  onDone: () => void;
  onReload: () => Promise<void>;
  onShow: (t: ChangeTemplate) => void;
}) {
  const { template: t, onDone, onReload, onShow } = props;
  const queryClient = useQueryClient();
  const categories = useCatalog("change_category");
  const [name, setName] = useState(t?.name ?? "");
  const [title, setTitle] = useState(t?.title ?? "");
  const [description, setDescription] = useState(t?.description ?? "");
  const [justification, setJustification] = useState(t?.justification ?? "");
  const [categoryId, setCategoryId] = useState<string | null>(t?.categoryId ?? null);
  const [ciIds, setCiIds] = useState<string[]>(t?.ciIds ?? []);
  const [duration, setDuration] = useState<number | string>(t?.durationMinutes ?? 60);
  const [implementationPlan, setImplementationPlan] = useState(t?.implementationPlan ?? "");
  const [testPlan, setTestPlan] = useState(t?.testPlan ?? "");
  const [rollbackPlan, setRollbackPlan] = useState(t?.rollbackPlan ?? "");
  const [outageKind, setOutageKind] = useState<Outage["kind"]>(t?.outage.kind ?? "none");
  const [outageMinutes, setOutageMinutes] = useState<number | string>(t?.outage.minutes ?? "");
  const [workOrders, setWorkOrders] = useState<WorkOrderRow[]>(() =>
    (t?.workOrders ?? []).map((w) => ({ key: nextKey++, ...w, instructions: w.instructions ?? "" })),
  );
  const [active, setActive] = useState(t?.active ?? true);
  const [errors, setErrors] = useState<FieldErrors>({});
  const clear = (field: string) => setErrors((e) => withoutErrors(e, field));

  const outage: Outage =
    outageKind === "none" || outageMinutes === ""
      ? { kind: outageKind }
      : { kind: outageKind, minutes: Number(outageMinutes) };
  const content = {
    title: title.trim(),
    description,
    justification,
    categoryId,
    ciIds,
    durationMinutes: Number(duration),
    implementationPlan,
    testPlan,
    rollbackPlan: rollbackPlan.trim(),
    outage,
    workOrders: workOrders.map((w) => ({ kind: w.kind, title: w.title.trim(), instructions: w.instructions })),
  };
  const patch: ChangeTemplateUpdate = {};
  if (t) {
    if (name.trim() !== t.name) patch.name = name.trim();
    if (content.title !== t.title) patch.title = content.title;
    if (description !== t.description) patch.description = description;
    if (justification !== t.justification) patch.justification = justification;
    if (categoryId !== t.categoryId) patch.categoryId = categoryId;
    if (!same([...ciIds].sort(), [...t.ciIds].sort())) patch.ciIds = ciIds;
    if (content.durationMinutes !== t.durationMinutes) patch.durationMinutes = content.durationMinutes;
    if (implementationPlan !== t.implementationPlan) patch.implementationPlan = implementationPlan;
    if (testPlan !== t.testPlan) patch.testPlan = testPlan;
    if (content.rollbackPlan !== t.rollbackPlan) patch.rollbackPlan = content.rollbackPlan;
    if (!same(outage, t.outage)) patch.outage = outage;
    if (!same(content.workOrders, t.workOrders)) patch.workOrders = content.workOrders;
    if (active !== t.active) patch.active = active;
  }
  const dirty = Object.keys(patch).length > 0;
  const contentEdited = Object.keys(patch).some((k) => k !== "name" && k !== "active");

  const mutation = useMutation({
    mutationFn: async () => {
      if (!t) return createChangeTemplate({ name: name.trim(), ...content, categoryId: categoryId ?? null });
      return dirty ? updateChangeTemplate(t.id, { version: t.version, ...patch }) : null;
    },
    onSuccess: async (saved) => {
      if (saved) await queryClient.invalidateQueries({ queryKey: changeAdminKeys.templates });
      if (!saved) notifySuccess("Nothing to save.");
      else if (t?.approved && !saved.approved)
        notifySuccess(`${saved.name} was saved. It needs a new approval before standard changes use it again.`);
      else if (!t) notifySuccess(`${saved.name} was created. Approve it so standard changes can be made from it.`);
      else notifySuccess(`${saved.name} was saved.`);
      // A new template stays open so it can be approved next.
      if (saved && !t) onShow(saved);
      else onDone();
    },
    onError: (error) =>
      handleSaveError(error, {
        noun: "template",
        fields: FIELDS,
        paths: true,
        setFieldErrors: setErrors,
        onConflict: t ? onReload : undefined,
      }),
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const found: FieldErrors = {};
    if (!name.trim()) found.name = "Enter a name";
    if (!title.trim()) found.title = "Enter the title changes get";
    if (!rollbackPlan.trim()) found.rollbackPlan = "Say how a change made from it is rolled back";
    if (typeof duration !== "number" || !Number.isInteger(duration) || duration < 1 || duration > 43_200)
      found.durationMinutes = "Whole minutes, 1–43200 (30 days)";
    if (
      outageKind !== "none" &&
      outageMinutes !== "" &&
      (Number(outageMinutes) < 0 || !Number.isInteger(Number(outageMinutes)))
    )
      found.outage = "Whole minutes";
    workOrders.forEach((w, i) => {
      if (!w.title.trim()) found[`workOrders.${i}.title`] = "Give it a title";
    });
    setErrors(found);
    if (Object.keys(found).length === 0) mutation.mutate();
  };

  return (
    <form onSubmit={onSubmit} noValidate aria-label={t ? `Edit ${t.name}` : "New standard change template"}>
      <Stack gap="md">
        {t && <ApprovalPanel template={t} dirty={dirty} onApproved={onShow} />}
        {t?.approved && contentEdited && (
          <Alert color="orange" variant="light" icon={<IconInfoCircle size={18} aria-hidden />}>
            Saving this edit withdraws the template's approval.
          </Alert>
        )}
        <TextInput
          label="Name"
          description="How agents find it when they make a standard change"
          required
          value={name}
          onChange={(e) => {
            setName(e.currentTarget.value);
            clear("name");
          }}
          error={errors.name}
          data-autofocus
        />
        <TextInput
          label="Change title"
          description="The title of changes made from it"
          required
          value={title}
          onChange={(e) => {
            setTitle(e.currentTarget.value);
            clear("title");
          }}
          error={errors.title}
        />
        <Textarea
          label="Description"
          description="What changes"
          autosize
          minRows={2}
          maxRows={8}
          value={description}
          onChange={(e) => setDescription(e.currentTarget.value)}
          error={errors.description}
        />
        <Textarea
          label="Justification"
          description="Why"
          autosize
          minRows={2}
          maxRows={8}
          value={justification}
          onChange={(e) => setJustification(e.currentTarget.value)}
          error={errors.justification}
        />
        <Group grow align="flex-start">
          <Select
            label="Category"
            placeholder="None"
            data={(categories.data ?? [])
              .filter((c) => c.active || c.id === categoryId)
              .map((c) => ({ value: c.id, label: c.name }))}
            value={categoryId}
            onChange={(v) => {
              setCategoryId(v);
              clear("categoryId");
            }}
            clearable
            searchable
            nothingFoundMessage={categories.isLoading ? "Loading…" : "No category"}
            error={errors.categoryId}
            comboboxProps={{ withinPortal: true }}
          />
          <NumberInput
            label="Duration"
            description={typeof duration === "number" && duration > 0 ? formatMinutes(duration, { days: true }) : " "}
            suffix=" min"
            required
            min={1}
            max={43_200}
            step={15}
            allowDecimal={false}
            value={duration}
            onChange={(v) => {
              setDuration(v);
              clear("durationMinutes");
            }}
            error={errors.durationMinutes}
          />
        </Group>
        <CiMultiSelect
          label="Configuration items"
          description="Affected CIs and services of changes made from it"
          value={ciIds}
          onChange={(v) => {
            setCiIds(v);
            clear("ciIds");
          }}
          error={errorAt(errors, "ciIds")}
        />
        <Divider label="Plans" labelPosition="left" />
        <Textarea
          label="Implementation plan"
          autosize
          minRows={2}
          maxRows={10}
          value={implementationPlan}
          onChange={(e) => setImplementationPlan(e.currentTarget.value)}
          error={errors.implementationPlan}
        />
        <Textarea
          label="Test plan"
          autosize
          minRows={2}
          maxRows={10}
          value={testPlan}
          onChange={(e) => setTestPlan(e.currentTarget.value)}
          error={errors.testPlan}
        />
        <Textarea
          label="Rollback plan"
          description="Required: a standard change must be reversible"
          required
          autosize
          minRows={2}
          maxRows={10}
          value={rollbackPlan}
          onChange={(e) => {
            setRollbackPlan(e.currentTarget.value);
            clear("rollbackPlan");
          }}
          error={errors.rollbackPlan}
        />
        <Stack gap={6}>
          <Text fz="sm" fw={500} id="template-outage">
            Outage
          </Text>
          <Group gap="sm" align="flex-start">
            <SegmentedControl
              aria-labelledby="template-outage"
              data={[
                { value: "none", label: "None" },
                { value: "partial", label: "Partial" },
                { value: "full", label: "Full" },
              ]}
              value={outageKind}
              onChange={(v) => {
                setOutageKind(v as Outage["kind"]);
                clear("outage");
              }}
            />
            {outageKind !== "none" && (
              <NumberInput
                aria-label="Outage minutes"
                placeholder="Minutes"
                suffix=" min"
                min={0}
                max={525_600}
                allowDecimal={false}
                value={outageMinutes}
                onChange={setOutageMinutes}
                w={140}
              />
            )}
          </Group>
          {errorAt(errors, "outage") && (
            <Text fz="xs" c="red">
              {errorAt(errors, "outage")}
            </Text>
          )}
        </Stack>
        <Divider />
        <WorkOrdersEditor
          rows={workOrders}
          onChange={(rows) => {
            setWorkOrders(rows);
            clear("workOrders");
          }}
          errors={errors}
        />
        {t && (
          <Switch
            label="Active"
            description={active ? "Offered when agents make a standard change" : "Not offered, whether approved or not"}
            checked={active}
            onChange={(e) => setActive(e.currentTarget.checked)}
            color="teal"
          />
        )}
      </Stack>
      <FormActions onCancel={onDone} submitLabel={t ? "Save" : "Create template"} loading={mutation.isPending} />
    </form>
  );
}
