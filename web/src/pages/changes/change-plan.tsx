import { Alert, Badge, Button, Divider, Group, Paper, Stack, Text, ThemeIcon, Title } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { IconInfoCircle, IconPencil } from "@tabler/icons-react";
import { useMutation } from "@tanstack/react-query";
import { type FormEvent, Fragment, type ReactNode, useState } from "react";
import { type Change, updateChange } from "../../api/changes.ts";
import { type FieldErrors, handleSaveError } from "../../lib/form-errors.ts";
import { formatDateTime, formatMinutes } from "../../lib/format.ts";
import { notifySuccess } from "../../lib/notify.ts";
import { FormActions, FormDrawer } from "../admin/form-drawer.tsx";
import { CiLink } from "../cmdb/cmdb-badges.tsx";
import { useCatalogNames, useCisByIds } from "../cmdb/use-cmdb.ts";
import { useGroupNames, useUserNames } from "../tickets/use-names.ts";
import { useChangeSaved } from "./change-actions.tsx";
import { formatWindow } from "./change-badges.tsx";
import {
  CHANGE_FIELDS,
  ChangeFormSections,
  type ChangeValues,
  checkValues,
  sentences,
  updateBody,
  useChangeSettings,
  valuesFromChange,
} from "./change-form.tsx";

function Missing({ text = "Not answered" }: { text?: string }) {
  return (
    <Text fz="sm" c="dimmed" fs="italic">
      {text}
    </Text>
  );
}

function Prose({ text }: { text: string }) {
  if (!text.trim()) return <Missing />;
  return (
    <Text fz="sm" style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>
      {text}
    </Text>
  );
}

function Labeled({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Stack gap={2}>
      <Text fz="xs" c="dimmed" fw={600}>
        {label}
      </Text>
      {children}
    </Stack>
  );
}

function Answer(props: { n: number; title: string; missing: boolean; children: ReactNode }) {
  const id = `answer-${props.n}`;
  return (
    <Group
      component="section"
      aria-labelledby={id}
      gap="md"
      wrap="nowrap"
      align="flex-start"
      data-missing={props.missing || undefined}
    >
      <ThemeIcon
        variant={props.missing ? "filled" : "light"}
        color={props.missing ? "red" : undefined}
        radius="xl"
        size={28}
        aria-hidden
      >
        <Text fz="sm" fw={700}>
          {props.n}
        </Text>
      </ThemeIcon>
      <Stack gap={6} miw={0} style={{ flex: 1 }}>
        <Group gap="xs">
          <Title order={3} fz="sm" id={id}>
            {props.title}
          </Title>
          {props.missing && (
            <Badge color="red" variant="light" size="sm" tt="none">
              Needs an answer
            </Badge>
          )}
        </Group>
        {props.children}
      </Stack>
    </Group>
  );
}

const OUTAGE_TEXT = { none: "No outage", partial: "Partial outage", full: "Full outage" } as const;

/** The eight answers of a change, read-only; Edit opens them as a form when the caller may update it. */
export function ChangePlan({ change, missing }: { change: Change; missing: readonly string[] }) {
  const [editing, edit] = useDisclosure(false);
  const [formKey, setFormKey] = useState(0);
  const users = useUserNames([change.requestedById, change.ownerId, change.assigneeId]);
  const groups = useGroupNames();
  const cis = useCisByIds(change.ciIds);
  const categories = useCatalogNames(["change_category"]);
  const settings = useChangeSettings();
  const name = (id: string | null, none = "Nobody") => (id ? (users.get(id) ?? "…") : none);
  const isMissing = (...fields: string[]) => fields.some((f) => missing.includes(f));
  const answers = [
    <Answer key="what" n={1} title="What changes" missing={isMissing("description", "title")}>
      <Prose text={change.description} />
      <Group gap="lg">
        <Labeled label="Category">
          <Text fz="sm">{change.categoryId ? (categories.get(change.categoryId)?.name ?? "…") : "None"}</Text>
        </Labeled>
      </Group>
    </Answer>,
    <Answer key="why" n={2} title="Why" missing={isMissing("justification")}>
      <Prose text={change.justification} />
    </Answer>,
    <Answer key="asked" n={3} title="Who asked for it" missing={isMissing("requestedById")}>
      <Text fz="sm">{name(change.requestedById, "Not recorded")}</Text>
    </Answer>,
    <Answer key="who" n={4} title="Who is responsible" missing={isMissing("ownerId")}>
      <Group gap="xl" align="flex-start">
        <Labeled label="Owner">{change.ownerId ? <Text fz="sm">{name(change.ownerId)}</Text> : <Missing />}</Labeled>
        <Labeled label="Assignee">
          <Text fz="sm">{name(change.assigneeId, "Unassigned")}</Text>
        </Labeled>
        <Labeled label="Implementer group">
          <Text fz="sm">{change.groupId ? (groups.get(change.groupId) ?? "…") : "None"}</Text>
        </Labeled>
      </Group>
    </Answer>,
    <Answer key="impact" n={5} title="What it impacts" missing={isMissing("ciIds")}>
      {change.ciIds.length === 0 ? (
        <Missing text="No CI named" />
      ) : (
        <Group gap="md" component="ul" m={0} p={0} style={{ listStyle: "none" }} aria-label="Affected CIs">
          {change.ciIds.map((id) => {
            const ci = cis.byId.get(id);
            return (
              <li key={id}>
                <CiLink id={id} name={ci?.name ?? (cis.isLoading ? "…" : "A CI you may not see")} number={ci?.number} />
              </li>
            );
          })}
        </Group>
      )}
      <Text fz="sm" c="dimmed">
        {OUTAGE_TEXT[change.outage.kind]}
        {change.outage.kind !== "none" && change.outage.minutes !== undefined
          ? ` · ${formatMinutes(change.outage.minutes, { days: true })}`
          : ""}
      </Text>
    </Answer>,
    <Answer key="when" n={6} title="When" missing={isMissing("plannedStart", "plannedEnd")}>
      {change.plannedStart || change.plannedEnd ? (
        <Text fz="sm">{formatWindow(change.plannedStart, change.plannedEnd)}</Text>
      ) : (
        <Missing text="Not planned" />
      )}
      {(change.actualStart || change.actualEnd) && (
        <Text fz="xs" c="dimmed">
          Actually {change.actualStart ? `started ${formatDateTime(change.actualStart)}` : ""}
          {change.actualStart && change.actualEnd ? ", " : ""}
          {change.actualEnd ? `ended ${formatDateTime(change.actualEnd)}` : ""}
        </Text>
      )}
    </Answer>,
    <Answer key="rollback" n={7} title="How it is rolled back" missing={isMissing("rollbackPlan")}>
      <Prose text={change.rollbackPlan} />
      <Labeled label="Implementation plan">
        {change.implementationPlan.trim() ? <Prose text={change.implementationPlan} /> : <Missing text="None" />}
      </Labeled>
      <Labeled label="Test plan">
        {change.testPlan.trim() ? <Prose text={change.testPlan} /> : <Missing text="None" />}
      </Labeled>
    </Answer>,
    <Answer key="risk" n={8} title="Risk questionnaire" missing={isMissing("riskAnswers")}>
      {(settings.data?.riskQuestions ?? []).length === 0 ? (
        <Missing text="No risk questions are set up" />
      ) : (
        <Stack gap={4} component="ul" m={0} p={0} style={{ listStyle: "none" }} aria-label="Risk answers">
          {(settings.data?.riskQuestions ?? []).map((q) => {
            const a = change.riskAnswers[q.id];
            return (
              <Group component="li" key={q.id} gap="sm" justify="space-between" wrap="nowrap">
                <Text fz="sm">{q.text}</Text>
                <Badge
                  variant="light"
                  color={a === undefined ? "gray" : a ? "orange" : "teal"}
                  tt="none"
                  style={{ minWidth: "max-content" }}
                >
                  {a === undefined ? "Not answered" : a ? "Yes" : "No"}
                </Badge>
              </Group>
            );
          })}
        </Stack>
      )}
    </Answer>,
  ];
  return (
    <Paper withBorder p="md" radius="lg" component="section" aria-labelledby="change-plan-title">
      <Group justify="space-between" mb="md">
        <Title order={2} fz="md" id="change-plan-title">
          The eight questions
        </Title>
        {change.abilities.update && (
          <Button
            variant="default"
            size="xs"
            leftSection={<IconPencil size={14} aria-hidden />}
            onClick={() => {
              setFormKey((k) => k + 1);
              edit.open();
            }}
          >
            Edit
          </Button>
        )}
      </Group>
      <Stack gap="md">
        {answers.map((a, i) => (
          <Fragment key={a.key}>
            {i > 0 && <Divider />}
            {a}
          </Fragment>
        ))}
      </Stack>
      <FormDrawer opened={editing} onClose={edit.close} title={`Edit ${change.number}`} size={760}>
        {editing && <EditChangeForm key={formKey} change={change} onDone={edit.close} />}
      </FormDrawer>
    </Paper>
  );
}

function EditChangeForm({ change, onDone }: { change: Change; onDone: () => void }) {
  const [values, setValues] = useState<ChangeValues>(() => valuesFromChange(change));
  const [errors, setErrors] = useState<FieldErrors>({});
  const saved = useChangeSaved();
  const set = <K extends keyof ChangeValues>(key: K, value: ChangeValues[K]) => {
    setValues((v) => ({ ...v, [key]: value }));
    const field = key === "outageKind" || key === "outageMinutes" ? "outage" : key;
    setErrors(({ [field]: _, ...rest }) => rest);
  };
  const mutation = useMutation({
    mutationFn: () => updateChange(change.id, updateBody(values, change)),
    onSuccess: async (c) => {
      await saved(c);
      notifySuccess(`${c.number} was saved.`);
      onDone();
    },
    onError: (error) =>
      handleSaveError(error, {
        noun: "change",
        fields: CHANGE_FIELDS,
        setFieldErrors: (e) => setErrors(sentences(e)),
        onConflict: async () => {
          onDone();
          await saved();
        },
      }),
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const found = checkValues(values);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    if (Object.keys(updateBody(values, change)).length === 1) {
      onDone();
      return;
    }
    mutation.mutate();
  };
  const approving = ["authorization", "scheduled"].includes(change.state);
  return (
    <form onSubmit={onSubmit} noValidate aria-label={`Edit ${change.number}`}>
      <Stack gap="lg">
        {approving && (
          <Alert color="yellow" variant="light" icon={<IconInfoCircle size={18} aria-hidden />}>
            A new plan, window or list of CIs withdraws the CAB’s approvals: the change is decided on again.
          </Alert>
        )}
        <ChangeFormSections values={values} set={set} errors={errors} mode="edit" flat />
      </Stack>
      <FormActions onCancel={onDone} submitLabel="Save" loading={mutation.isPending} />
    </form>
  );
}
