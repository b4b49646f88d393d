import {
  ActionIcon,
  Badge,
  Button,
  Center,
  Container,
  Group,
  Loader,
  NumberInput,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { IconArrowDown, IconArrowUp, IconDeviceFloppy, IconPlus, IconTrash } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useId, useState } from "react";
import {
  type ChangeSettings,
  changeAdminKeys,
  getChangeSettings,
  saveChangeSettings,
} from "../../../api/change-admin.ts";
import { errorAt, type FieldErrors, handleSaveError } from "../../../lib/form-errors.ts";
import { formatMinutes } from "../../../lib/format.ts";
import { errorMessage, notifySuccess } from "../../../lib/notify.ts";
import { PageHeader } from "../../page-header.tsx";

const QUESTION_ID = /^[a-z][a-z0-9_]{0,39}$/;

interface QuestionRow {
  key: number;
  id: string;
  text: string;
  weight: number | string;
  /** Saved before: its id is what answers are stored under, so it stays. */
  saved: boolean;
  /** The id was typed, so it no longer follows the text. */
  idTouched: boolean;
}

let nextKey = 1;

/** "Is the change reversible?" → "is_the_change_reversible". */
export function questionIdFrom(text: string): string {
  return text
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^[^a-z]+/, "")
    .slice(0, 40)
    .replace(/_+$/, "");
}

const toRows = (s: ChangeSettings): QuestionRow[] =>
  s.riskQuestions.map((q) => ({ key: nextKey++, ...q, saved: true, idTouched: true }));

const isInt = (v: number | string, min: number, max: number) =>
  typeof v === "number" && Number.isInteger(v) && v >= min && v <= max;

function validate(
  rows: QuestionRow[],
  t: Record<"medium" | "high" | "veryHigh", number | string>,
  hours: number | string,
) {
  const errors: FieldErrors = {};
  const seen = new Map<string, number>();
  rows.forEach((r, i) => {
    if (!r.text.trim()) errors[`riskQuestions.${i}.text`] = "Write the question";
    if (!QUESTION_ID.test(r.id))
      errors[`riskQuestions.${i}.id`] = "Lower-case letters, digits and _, starting with a letter";
    else if (seen.has(r.id)) errors[`riskQuestions.${i}.id`] = `Question ${(seen.get(r.id) ?? 0) + 1} has this id`;
    seen.set(r.id, i);
    if (!isInt(r.weight, 0, 100)) errors[`riskQuestions.${i}.weight`] = "0–100";
  });
  for (const k of ["medium", "high", "veryHigh"] as const) {
    if (!isInt(t[k], 1, 1000)) errors[`riskThresholds.${k}`] = "A whole number, 1–1000";
  }
  if (!errors["riskThresholds.high"] && !errors["riskThresholds.medium"] && Number(t.medium) >= Number(t.high)) {
    errors["riskThresholds.high"] = "Must be above medium";
  }
  if (!errors["riskThresholds.veryHigh"] && !errors["riskThresholds.high"] && Number(t.high) >= Number(t.veryHigh)) {
    errors["riskThresholds.veryHigh"] = "Must be above high";
  }
  if (!isInt(hours, 1, 24 * 90)) errors.reviewWindowHours = "A whole number of hours, 1–2160 (90 days)";
  return errors;
}

function Section({ title, description, children }: { title: string; description: string; children: ReactNode }) {
  const id = useId();
  return (
    <Paper withBorder radius="lg" p="lg" component="section" aria-labelledby={id}>
      <Title order={2} fz="lg" id={id}>
        {title}
      </Title>
      <Text fz="sm" c="dimmed" mb="md" maw={720}>
        {description}
      </Text>
      {children}
    </Paper>
  );
}

function QuestionEditor(props: { rows: QuestionRow[]; onChange: (rows: QuestionRow[]) => void; errors: FieldErrors }) {
  const { rows, onChange, errors } = props;
  const update = (key: number, patch: Partial<QuestionRow>) =>
    onChange(rows.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const move = (index: number, by: -1 | 1) => {
    const next = [...rows];
    const [row] = next.splice(index, 1);
    if (row) next.splice(index + by, 0, row);
    onChange(next);
  };
  return (
    <Stack gap="sm">
      {errors.riskQuestions && (
        <Text fz="sm" c="red" role="alert">
          {errors.riskQuestions}
        </Text>
      )}
      {rows.length === 0 && (
        <Text fz="sm" c="dimmed">
          No questions: risk comes from the affected CIs alone.
        </Text>
      )}
      {rows.map((row, i) => {
        const n = i + 1;
        return (
          <Paper key={row.key} withBorder radius="md" p="sm" data-testid="risk-question">
            <Group gap="sm" align="flex-start" wrap="nowrap">
              <Badge variant="light" color="gray" size="lg" radius="sm" mt={4} style={{ flexShrink: 0 }} aria-hidden>
                {n}
              </Badge>
              <Stack gap="xs" style={{ flex: 1, minWidth: 0 }}>
                <TextInput
                  aria-label={`Question ${n}`}
                  placeholder="Does the change touch a production database?"
                  value={row.text}
                  onChange={(e) => {
                    const text = e.currentTarget.value;
                    update(row.key, row.idTouched ? { text } : { text, id: questionIdFrom(text) });
                  }}
                  error={errorAt(errors, `riskQuestions.${i}.text`)}
                />
                <Group gap="sm" align="flex-start" wrap="wrap">
                  <NumberInput
                    label="Points for yes"
                    aria-label={`Points for yes, question ${n}`}
                    min={0}
                    max={100}
                    allowDecimal={false}
                    value={row.weight}
                    onChange={(weight) => update(row.key, { weight })}
                    error={errorAt(errors, `riskQuestions.${i}.weight`)}
                    w={130}
                    size="xs"
                  />
                  <TextInput
                    label="Id"
                    aria-label={`Id, question ${n}`}
                    description={row.saved ? "Answers are stored under it" : undefined}
                    value={row.id}
                    onChange={(e) => update(row.key, { id: e.currentTarget.value, idTouched: true })}
                    error={errorAt(errors, `riskQuestions.${i}.id`)}
                    readOnly={row.saved}
                    w={260}
                    size="xs"
                    styles={{ input: { fontFamily: "var(--mantine-font-family-monospace)" } }}
                  />
                </Group>
              </Stack>
              <Group gap={2} wrap="nowrap" style={{ flexShrink: 0 }}>
                <ActionIcon
                  variant="subtle"
                  color="gray"
                  size={32}
                  aria-label={`Move question ${n} up`}
                  disabled={i === 0}
                  onClick={() => move(i, -1)}
                >
                  <IconArrowUp size={16} aria-hidden />
                </ActionIcon>
                <ActionIcon
                  variant="subtle"
                  color="gray"
                  size={32}
                  aria-label={`Move question ${n} down`}
                  disabled={i === rows.length - 1}
                  onClick={() => move(i, 1)}
                >
                  <IconArrowDown size={16} aria-hidden />
                </ActionIcon>
                <ActionIcon
                  variant="subtle"
                  color="red"
                  size={32}
                  aria-label={`Remove question ${n}`}
                  onClick={() => onChange(rows.filter((r) => r.key !== row.key))}
                >
                  <IconTrash size={16} aria-hidden />
                </ActionIcon>
              </Group>
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
            onChange([...rows, { key: nextKey++, id: "", text: "", weight: 10, saved: false, idTouched: false }])
          }
        >
          Add question
        </Button>
      </Group>
    </Stack>
  );
}

const LEVELS = [
  { key: "low", label: "Low", color: "gray" },
  { key: "medium", label: "Medium", color: "yellow" },
  { key: "high", label: "High", color: "orange" },
  { key: "veryHigh", label: "Very high", color: "red" },
] as const;

/** Score bands as the thresholds cut them. */
function Bands({ t }: { t: Record<"medium" | "high" | "veryHigh", number | string> }) {
  const m = Number(t.medium);
  const h = Number(t.high);
  const v = Number(t.veryHigh);
  if (![m, h, v].every(Number.isFinite) || !(m < h && h < v)) return null;
  const spans = [`0–${m - 1}`, `${m}–${h - 1}`, `${h}–${v - 1}`, `${v} and more`];
  return (
    <Group gap="xs" mt="md" aria-label="Score bands" role="list">
      {LEVELS.map((l, i) => (
        <Badge key={l.key} variant="light" color={l.color} size="lg" tt="none" fw={500} role="listitem">
          {l.label}: {spans[i]} points
        </Badge>
      ))}
    </Group>
  );
}

function SettingsForm({ settings, onReload }: { settings: ChangeSettings; onReload: () => Promise<unknown> }) {
  const queryClient = useQueryClient();
  const [rows, setRows] = useState<QuestionRow[]>(() => toRows(settings));
  const [thresholds, setThresholds] = useState<Record<"medium" | "high" | "veryHigh", number | string>>(
    settings.riskThresholds,
  );
  const [hours, setHours] = useState<number | string>(settings.reviewWindowHours);
  const [errors, setErrors] = useState<FieldErrors>({});
  const body = {
    version: settings.version,
    riskQuestions: rows.map((r) => ({ id: r.id.trim(), text: r.text.trim(), weight: Number(r.weight) })),
    riskThresholds: {
      medium: Number(thresholds.medium),
      high: Number(thresholds.high),
      veryHigh: Number(thresholds.veryHigh),
    },
    reviewWindowHours: Number(hours),
  };
  const dirty =
    JSON.stringify([body.riskQuestions, body.riskThresholds, body.reviewWindowHours]) !==
    JSON.stringify([settings.riskQuestions, settings.riskThresholds, settings.reviewWindowHours]);
  const maxScore = body.riskQuestions.reduce((n, q) => n + (Number.isFinite(q.weight) ? q.weight : 0), 0);

  const mutation = useMutation({
    mutationFn: () => saveChangeSettings(body),
    onSuccess: (saved) => {
      queryClient.setQueryData(changeAdminKeys.settings, saved);
      notifySuccess("Change settings were saved. New risk assessments use them.");
    },
    onError: (error) =>
      handleSaveError(error, {
        noun: "change configuration",
        fields: ["riskQuestions", "riskThresholds", "reviewWindowHours"],
        paths: true,
        setFieldErrors: setErrors,
        onConflict: async () => {
          await onReload();
        },
      }),
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const found = validate(rows, thresholds, hours);
    setErrors(found);
    if (Object.keys(found).length === 0) mutation.mutate();
  };

  return (
    <form onSubmit={onSubmit} noValidate aria-label="Change settings">
      <Stack gap="md">
        <Section
          title="Risk questionnaire"
          description="Asked of every change. Each yes adds its points to the risk score, on top of what the affected CIs' criticality and impact add."
        >
          <QuestionEditor rows={rows} onChange={setRows} errors={errors} />
          <Text fz="xs" c="dimmed" mt="sm">
            Yes to every question: {maxScore} points.
          </Text>
        </Section>
        <Section
          title="Risk levels"
          description="The score where each level starts. Approver sets can apply to some risk levels only."
        >
          <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm" maw={640}>
            {(["medium", "high", "veryHigh"] as const).map((k) => (
              <NumberInput
                key={k}
                label={`${LEVELS.find((l) => l.key === k)?.label} from`}
                suffix=" points"
                min={1}
                max={1000}
                allowDecimal={false}
                value={thresholds[k]}
                onChange={(v) => setThresholds((t) => ({ ...t, [k]: v }))}
                error={errors[`riskThresholds.${k}`]}
              />
            ))}
          </SimpleGrid>
          {errors.riskThresholds && (
            <Text fz="xs" c="red" mt={4}>
              {errors.riskThresholds}
            </Text>
          )}
          <Bands t={thresholds} />
        </Section>
        <Section
          title="Post-implementation review"
          description="Incidents opened on a change's CIs from its start until this long after its end are listed in its review and counted in the change report."
        >
          <NumberInput
            label="Review window"
            suffix=" hours"
            min={1}
            max={24 * 90}
            allowDecimal={false}
            value={hours}
            onChange={setHours}
            error={errors.reviewWindowHours}
            description={
              typeof hours === "number" && hours > 0
                ? `${formatMinutes(hours * 60, { days: true })} after the end`
                : " "
            }
            maw={300}
          />
        </Section>
        <Group gap="sm">
          <Button
            type="submit"
            loading={mutation.isPending}
            disabled={!dirty}
            leftSection={<IconDeviceFloppy size={16} aria-hidden />}
          >
            Save settings
          </Button>
          {dirty && (
            <Button
              variant="default"
              onClick={() => {
                setRows(toRows(settings));
                setThresholds(settings.riskThresholds);
                setHours(settings.reviewWindowHours);
                setErrors({});
              }}
            >
              Undo changes
            </Button>
          )}
        </Group>
      </Stack>
    </form>
  );
}

/** The risk questionnaire, risk level thresholds and the review window. */
export function ChangeSettingsPage() {
  const settings = useQuery({ queryKey: changeAdminKeys.settings, queryFn: getChangeSettings });
  return (
    <Container size="md" px={0} ml={0}>
      <PageHeader
        title="Change risk and review"
        description="How a change's risk is scored, where the levels start, and how long after a change incidents count against it."
      />
      {settings.isLoading ? (
        <Center py="xl">
          <Loader size="sm" aria-label="Loading the settings" />
        </Center>
      ) : settings.data ? (
        <SettingsForm key={settings.data.version} settings={settings.data} onReload={() => settings.refetch()} />
      ) : (
        <Text c="red" fz="sm" role="alert">
          {errorMessage(settings.error)}
        </Text>
      )}
    </Container>
  );
}
