import {
  Alert,
  Divider,
  Group,
  Input,
  NumberInput,
  Paper,
  Radio,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  ThemeIcon,
  Title,
} from "@mantine/core";
import { IconInfoCircle } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import type { Me } from "../../../../common/identity.ts";
import {
  type Change,
  type ChangeCreateBody,
  type ChangeTemplate,
  type ChangeType,
  type ChangeUpdateBody,
  changeKeys,
  getChangeSettings,
  type Outage,
} from "../../api/changes.ts";
import type { FieldErrors } from "../../lib/form-errors.ts";
import { formatMinutes } from "../../lib/format.ts";
import { CiMultiSelect } from "../cmdb/ci-picker.tsx";
import { useCatalog } from "../cmdb/use-cmdb.ts";
import { GroupSelect, UserSelect } from "../tickets/ticket-pickers.tsx";
import { browserZone, fromLocalInput, toLocalInput } from "./change-badges.tsx";
import { ChangeTicketsPicker } from "./change-tickets.tsx";

/** The risk questionnaire and thresholds (they change rarely). */
export function useChangeSettings() {
  return useQuery({ queryKey: changeKeys.settings, queryFn: getChangeSettings, staleTime: 5 * 60_000 });
}

/** What the form holds: the change's fields, with times as datetime-local text in the browser's zone. */
export interface ChangeValues {
  type: ChangeType;
  title: string;
  description: string;
  justification: string;
  categoryId: string | null;
  requestedById: string | null;
  ownerId: string | null;
  assigneeId: string | null;
  groupId: string | null;
  ciIds: string[];
  outageKind: Outage["kind"];
  outageMinutes: number | string;
  plannedStart: string;
  plannedEnd: string;
  rollbackPlan: string;
  implementationPlan: string;
  testPlan: string;
  riskAnswers: Record<string, boolean>;
  ticketIds: string[];
}

/** Every field the form shows an error beside. */
export const CHANGE_FIELDS = [
  "type",
  "title",
  "description",
  "justification",
  "categoryId",
  "requestedById",
  "ownerId",
  "assigneeId",
  "groupId",
  "ciIds",
  "outage",
  "plannedStart",
  "plannedEnd",
  "rollbackPlan",
  "implementationPlan",
  "testPlan",
  "riskAnswers",
  "ticketIds",
  "templateId",
] as const;

/** Which of the eight questions a field answers, for messages about missing answers. */
export const FIELD_QUESTIONS: Record<string, string> = {
  title: "What changes: the title",
  description: "What changes",
  justification: "Why",
  requestedById: "Who asked for it",
  ownerId: "Who is responsible",
  assigneeId: "Who is responsible: the assignee",
  groupId: "Who is responsible: the implementer group",
  ciIds: "What it impacts",
  outage: "What it impacts: the expected outage",
  plannedStart: "When it starts",
  plannedEnd: "When it ends",
  rollbackPlan: "How it is rolled back",
  implementationPlan: "How it is implemented",
  testPlan: "How it is tested",
  riskAnswers: "Risk questionnaire",
  reviewOutcome: "Post-implementation review: the outcome",
};

export function emptyValues(me: Me | null): ChangeValues {
  const agent = me?.kind === "agent" ? me.id : null;
  return {
    type: "normal",
    title: "",
    description: "",
    justification: "",
    categoryId: null,
    requestedById: me?.id ?? null,
    ownerId: agent,
    assigneeId: null,
    groupId: null,
    ciIds: [],
    outageKind: "none",
    outageMinutes: "",
    plannedStart: "",
    plannedEnd: "",
    rollbackPlan: "",
    implementationPlan: "",
    testPlan: "",
    riskAnswers: {},
    ticketIds: [],
  };
}

export function valuesFromTemplate(template: ChangeTemplate, me: Me | null): ChangeValues {
  return {
    ...emptyValues(me),
    type: "standard",
    title: template.title,
    description: template.description,
    justification: template.justification,
    categoryId: template.categoryId,
    ciIds: template.ciIds,
    implementationPlan: template.implementationPlan,
    testPlan: template.testPlan,
    rollbackPlan: template.rollbackPlan,
    outageKind: template.outage.kind,
    outageMinutes: template.outage.minutes ?? "",
  };
}

export function valuesFromChange(c: Change): ChangeValues {
  return {
    type: c.type,
    title: c.title,
    description: c.description,
    justification: c.justification,
    categoryId: c.categoryId,
    requestedById: c.requestedById,
    ownerId: c.ownerId,
    assigneeId: c.assigneeId,
    groupId: c.groupId,
    ciIds: c.ciIds,
    outageKind: c.outage.kind,
    outageMinutes: c.outage.minutes ?? "",
    plannedStart: toLocalInput(c.plannedStart),
    plannedEnd: toLocalInput(c.plannedEnd),
    rollbackPlan: c.rollbackPlan,
    implementationPlan: c.implementationPlan,
    testPlan: c.testPlan,
    riskAnswers: c.riskAnswers,
    ticketIds: c.ticketIds,
  };
}

export function outageOf(v: Pick<ChangeValues, "outageKind" | "outageMinutes">): Outage {
  if (v.outageKind === "none") return { kind: "none" };
  return typeof v.outageMinutes === "number"
    ? { kind: v.outageKind, minutes: v.outageMinutes }
    : { kind: v.outageKind };
}

export function createBody(v: ChangeValues, templateId: string | undefined): ChangeCreateBody {
  return {
    type: v.type,
    title: v.title.trim(),
    description: v.description,
    justification: v.justification,
    ...(v.requestedById ? { requestedById: v.requestedById } : {}),
    ownerId: v.ownerId,
    assigneeId: v.assigneeId,
    groupId: v.groupId,
    plannedStart: fromLocalInput(v.plannedStart),
    plannedEnd: fromLocalInput(v.plannedEnd),
    ciIds: v.ciIds,
    implementationPlan: v.implementationPlan,
    testPlan: v.testPlan,
    rollbackPlan: v.rollbackPlan,
    outage: outageOf(v),
    categoryId: v.categoryId,
    ...(templateId ? { templateId } : {}),
    ticketIds: v.ticketIds,
    riskAnswers: v.riskAnswers,
  };
}

const sameList = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join() === [...b].sort().join();
const sameAnswers = (a: Record<string, boolean>, b: Record<string, boolean>) =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);
/** Two instants the same to the minute (the form knows minutes only). */
const sameInstant = (a: string | null, b: string | null) =>
  a === b || (!!a && !!b && Math.floor(Date.parse(a) / 60_000) === Math.floor(Date.parse(b) / 60_000));

/**
 * Only what was edited: sending an unchanged plan, window or CI list would still be a write, and a new plan
 * withdraws the CAB's approvals.
 */
export function updateBody(v: ChangeValues, c: Change): ChangeUpdateBody {
  const out: ChangeUpdateBody = { version: c.version };
  if (v.title.trim() !== c.title) out.title = v.title.trim();
  if (v.description !== c.description) out.description = v.description;
  if (v.justification !== c.justification) out.justification = v.justification;
  if (v.categoryId !== c.categoryId) out.categoryId = v.categoryId;
  if (v.ownerId !== c.ownerId) out.ownerId = v.ownerId;
  if (v.assigneeId !== c.assigneeId) out.assigneeId = v.assigneeId;
  if (v.groupId !== c.groupId) out.groupId = v.groupId;
  const start = fromLocalInput(v.plannedStart);
  const end = fromLocalInput(v.plannedEnd);
  if (!sameInstant(start, c.plannedStart)) out.plannedStart = start;
  if (!sameInstant(end, c.plannedEnd)) out.plannedEnd = end;
  if (!sameList(v.ciIds, c.ciIds)) out.ciIds = v.ciIds;
  if (v.implementationPlan !== c.implementationPlan) out.implementationPlan = v.implementationPlan;
  if (v.testPlan !== c.testPlan) out.testPlan = v.testPlan;
  if (v.rollbackPlan !== c.rollbackPlan) out.rollbackPlan = v.rollbackPlan;
  const outage = outageOf(v);
  if (outage.kind !== c.outage.kind || (outage.minutes ?? null) !== (c.outage.minutes ?? null)) out.outage = outage;
  if (!sameList(v.ticketIds, c.ticketIds)) out.ticketIds = v.ticketIds;
  if (!sameAnswers(v.riskAnswers, c.riskAnswers)) out.riskAnswers = v.riskAnswers;
  return out;
}

/** Checks the browser can make before a round trip. */
export function checkValues(v: ChangeValues): FieldErrors {
  const errors: FieldErrors = {};
  if (!v.title.trim()) errors.title = "Enter a title";
  if (v.plannedStart && !fromLocalInput(v.plannedStart)) errors.plannedStart = "Enter a date and time";
  if (v.plannedEnd && !fromLocalInput(v.plannedEnd)) errors.plannedEnd = "Enter a date and time";
  const start = fromLocalInput(v.plannedStart);
  const end = fromLocalInput(v.plannedEnd);
  if (start && end && Date.parse(end) <= Date.parse(start)) errors.plannedEnd = "Ends before it starts";
  return errors;
}

/** Server messages start in lower case ("say why"); beside a field they read as sentences. */
export function sentences(errors: FieldErrors): FieldErrors {
  return Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, v.charAt(0).toUpperCase() + v.slice(1)]));
}

function Section(props: { n: number; title: string; description: string; flat: boolean; children: ReactNode }) {
  const titleId = `change-q${props.n}`;
  const head = (
    <Group gap="sm" mb="md" wrap="nowrap" align="flex-start">
      <ThemeIcon variant="light" radius="xl" size={28} aria-hidden>
        <Text fz="sm" fw={700}>
          {props.n}
        </Text>
      </ThemeIcon>
      <Stack gap={2} miw={0}>
        <Title order={2} fz="md" id={titleId}>
          {props.title}
        </Title>
        <Text fz="sm" c="dimmed">
          {props.description}
        </Text>
      </Stack>
    </Group>
  );
  const body = <Stack gap="md">{props.children}</Stack>;
  if (props.flat) {
    return (
      <section aria-labelledby={titleId}>
        {head}
        {body}
      </section>
    );
  }
  return (
    <Paper withBorder p="lg" radius="lg" component="section" aria-labelledby={titleId}>
      {head}
      {body}
    </Paper>
  );
}

function RiskQuestions(props: {
  answers: Record<string, boolean>;
  onChange: (answers: Record<string, boolean>) => void;
  error?: string | undefined;
}) {
  const settings = useChangeSettings();
  const questions = settings.data?.riskQuestions ?? [];
  if (settings.isLoading) {
    return (
      <Text fz="sm" c="dimmed">
        Loading the questions…
      </Text>
    );
  }
  if (questions.length === 0) {
    return (
      <Text fz="sm" c="dimmed">
        No risk questions are set up; an administrator adds them under Change risk and review.
      </Text>
    );
  }
  return (
    <Stack gap="sm">
      {questions.map((q) => {
        const answer = props.answers[q.id];
        return (
          <Radio.Group
            key={q.id}
            label={q.text}
            value={answer === undefined ? "" : answer ? "yes" : "no"}
            onChange={(v) => props.onChange({ ...props.answers, [q.id]: v === "yes" })}
          >
            <Group gap="lg" mt={6}>
              <Radio value="yes" label="Yes" />
              <Radio value="no" label="No" />
            </Group>
          </Radio.Group>
        );
      })}
      {props.error && (
        <Text fz="sm" c="red">
          {props.error}
        </Text>
      )}
    </Stack>
  );
}

const OUTAGE_OPTIONS = [
  { value: "none", label: "None" },
  { value: "partial", label: "Partial" },
  { value: "full", label: "Full" },
];

/**
 * The eight questions every change answers: what, why, who asked, who is responsible, what it impacts,
 * when, how it is rolled back, and the risk questionnaire. `flat` leaves out the cards (inside a drawer).
 */
export function ChangeFormSections(props: {
  values: ChangeValues;
  set: <K extends keyof ChangeValues>(key: K, value: ChangeValues[K]) => void;
  errors: FieldErrors;
  mode: "create" | "edit";
  template?: ChangeTemplate | null | undefined;
  flat?: boolean;
}) {
  const { values, set, errors, mode, template } = props;
  const flat = props.flat ?? false;
  const categories = useCatalog("change_category");
  const categoryOptions = (categories.data ?? [])
    .filter((c) => c.active || c.id === values.categoryId)
    .map((c) => ({ value: c.id, label: c.name }));
  const zone = browserZone();
  const duration = template?.durationMinutes;
  // A standard change does what its approved template says: plans and outage come from it.
  const locked = values.type === "standard";
  const fromTemplate = locked ? "From the approved template" : undefined;
  const setStart = (local: string) => {
    set("plannedStart", local);
    // A template knows how long its change takes: the end follows the start.
    if (duration && local) {
      const d = new Date(local);
      if (!Number.isNaN(d.getTime()))
        set("plannedEnd", toLocalInput(new Date(d.getTime() + duration * 60_000).toISOString()));
    }
  };

  const sections = [
    <Section key="what" n={1} title="What changes" description="The change in a line, and what it does." flat={flat}>
      {mode === "create" && !template && (
        <Input.Wrapper
          label="Type"
          labelElement="div"
          id="change-type"
          description="Emergency: when it cannot wait; only the emergency CAB decides, and a review follows"
          error={errors.type}
        >
          <div>
            <SegmentedControl
              aria-labelledby="change-type-label"
              mt={4}
              value={values.type}
              onChange={(v) => set("type", v as ChangeType)}
              data={[
                { value: "normal", label: "Normal" },
                { value: "emergency", label: "Emergency" },
              ]}
            />
          </div>
        </Input.Wrapper>
      )}
      {template && mode === "create" && (
        <Alert color="teal" variant="light" icon={<IconInfoCircle size={18} aria-hidden />} title="Standard change">
          Made from the approved template “{template.name}”: it is pre-approved and needs no CAB. It takes{" "}
          {formatMinutes(template.durationMinutes, { days: true })}.
        </Alert>
      )}
      <TextInput
        label="Title"
        required
        placeholder="e.g. Upgrade the core switch firmware to 17.9"
        value={values.title}
        onChange={(e) => set("title", e.currentTarget.value)}
        error={errors.title}
        data-autofocus
      />
      <Textarea
        label="Description"
        description="What is done, to what, and what is different afterwards"
        autosize
        minRows={3}
        maxRows={12}
        value={values.description}
        onChange={(e) => set("description", e.currentTarget.value)}
        error={errors.description}
      />
      <Select
        label="Category"
        placeholder="None"
        data={categoryOptions}
        value={values.categoryId}
        onChange={(v) => set("categoryId", v)}
        searchable
        clearable
        error={errors.categoryId}
        nothingFoundMessage={categories.isLoading ? "Loading…" : "No category found"}
        comboboxProps={{ withinPortal: true }}
      />
    </Section>,
    <Section key="why" n={2} title="Why" description="The reason for it, and what it answers." flat={flat}>
      <Textarea
        label="Justification"
        description="The business or technical reason; what happens if it is not done"
        autosize
        minRows={3}
        maxRows={12}
        value={values.justification}
        onChange={(e) => set("justification", e.currentTarget.value)}
        error={errors.justification}
      />
      <ChangeTicketsPicker
        value={values.ticketIds}
        onChange={(ids) => set("ticketIds", ids)}
        error={errors.ticketIds}
      />
    </Section>,
    <Section key="asked" n={3} title="Who asked for it" description="The person the change is made for." flat={flat}>
      <UserSelect
        label="Requested by"
        placeholder="Search people"
        value={values.requestedById}
        onChange={(v) => set("requestedById", v)}
        error={errors.requestedById}
        disabled={mode === "edit"}
        clearable={false}
        description={mode === "edit" ? "Set when the change was drafted" : undefined}
      />
    </Section>,
    <Section
      key="who"
      n={4}
      title="Who is responsible"
      description="The change owner answers for it; the assignee and the group carry it out. Neither the requester nor the owner may approve it."
      flat={flat}
    >
      <UserSelect
        label="Owner"
        kind="agent"
        placeholder="Search agents"
        value={values.ownerId}
        onChange={(v) => set("ownerId", v)}
        error={errors.ownerId}
      />
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
        <UserSelect
          label="Assignee"
          kind="agent"
          placeholder="Unassigned"
          value={values.assigneeId}
          onChange={(v) => set("assigneeId", v)}
          error={errors.assigneeId}
        />
        <GroupSelect
          label="Implementer group"
          placeholder="None"
          value={values.groupId}
          onChange={(v) => set("groupId", v)}
          error={errors.groupId}
        />
      </SimpleGrid>
    </Section>,
    <Section
      key="impact"
      n={5}
      title="What it impacts"
      description="The configuration items and services it touches, and the outage it causes."
      flat={flat}
    >
      <CiMultiSelect
        id="change-cis"
        label="Affected CIs and services"
        description="Business services and customers downstream of them are worked out from the CMDB"
        value={values.ciIds}
        onChange={(ids) => set("ciIds", ids)}
        error={errors.ciIds}
      />
      <Group gap="md" align="flex-start" wrap="wrap">
        <Input.Wrapper
          label="Expected outage"
          labelElement="div"
          id="change-outage"
          description={fromTemplate}
          error={errors.outage}
        >
          <div>
            <SegmentedControl
              aria-labelledby="change-outage-label"
              mt={4}
              readOnly={locked}
              value={values.outageKind}
              onChange={(v) => set("outageKind", v as Outage["kind"])}
              data={OUTAGE_OPTIONS}
            />
          </div>
        </Input.Wrapper>
        {values.outageKind !== "none" && (
          <NumberInput
            label="Outage minutes"
            description={typeof values.outageMinutes === "number" ? formatMinutes(values.outageMinutes) : undefined}
            inputWrapperOrder={["label", "input", "description", "error"]}
            min={0}
            max={525_600}
            allowDecimal={false}
            allowNegative={false}
            readOnly={locked}
            value={values.outageMinutes}
            onChange={(v) => set("outageMinutes", v)}
            w={160}
          />
        )}
      </Group>
    </Section>,
    <Section key="when" n={6} title="When" description={`The planned window, in your time zone (${zone}).`} flat={flat}>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
        <TextInput
          type="datetime-local"
          label="Planned start"
          value={values.plannedStart}
          onChange={(e) => setStart(e.currentTarget.value)}
          error={errors.plannedStart}
        />
        <TextInput
          type="datetime-local"
          label="Planned end"
          description={duration ? `The template takes ${formatMinutes(duration, { days: true })}` : undefined}
          inputWrapperOrder={["label", "input", "description", "error"]}
          value={values.plannedEnd}
          onChange={(e) => set("plannedEnd", e.currentTarget.value)}
          error={errors.plannedEnd}
        />
      </SimpleGrid>
    </Section>,
    <Section
      key="rollback"
      n={7}
      title="How it is rolled back"
      description={
        locked
          ? "From the approved template, as it was approved: a standard change does what its template says."
          : "If it goes wrong: how the previous state comes back. The implementation and test plans go here too."
      }
      flat={flat}
    >
      <Textarea
        label="Rollback plan"
        autosize
        minRows={3}
        maxRows={12}
        readOnly={locked}
        variant={locked ? "filled" : "default"}
        value={values.rollbackPlan}
        onChange={(e) => set("rollbackPlan", e.currentTarget.value)}
        error={errors.rollbackPlan}
      />
      <Textarea
        label="Implementation plan"
        autosize
        minRows={2}
        maxRows={12}
        readOnly={locked}
        variant={locked ? "filled" : "default"}
        value={values.implementationPlan}
        onChange={(e) => set("implementationPlan", e.currentTarget.value)}
        error={errors.implementationPlan}
      />
      <Textarea
        label="Test plan"
        description="How you know it worked"
        autosize
        minRows={2}
        maxRows={12}
        readOnly={locked}
        variant={locked ? "filled" : "default"}
        value={values.testPlan}
        onChange={(e) => set("testPlan", e.currentTarget.value)}
        error={errors.testPlan}
      />
    </Section>,
    <Section
      key="risk"
      n={8}
      title="Risk"
      description="Each yes adds to the risk score; together with the impact it sets the risk level and the CAB."
      flat={flat}
    >
      <RiskQuestions answers={values.riskAnswers} onChange={(a) => set("riskAnswers", a)} error={errors.riskAnswers} />
    </Section>,
  ];
  if (!flat) return <Stack gap="lg">{sections}</Stack>;
  return <Stack gap="lg">{sections.flatMap((s, i) => (i === 0 ? [s] : [<Divider key={`d${s.key}`} />, s]))}</Stack>;
}
