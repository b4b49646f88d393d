import { Button, Group, NumberInput, Paper, Stack, Text, TextInput, Title } from "@mantine/core";
import { IconCalculator } from "@tabler/icons-react";
import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import type { Calendar } from "../../../../../common/calendars.ts";
import { addWorkingMinutes } from "../../../api/settings.ts";
import { type FieldErrors, handleSaveError } from "../../../lib/form-errors.ts";
import { formatDateTime, formatMinutes } from "../../../lib/format.ts";
import { browserZone } from "./calendar-model.ts";

/** "2025-11-24T09:00" for a datetime-local field, in the browser's zone. */
function localInputValue(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** Try the saved calendar: when is something due that starts then and needs so many working minutes? */
export function CalendarPreview({ calendar }: { calendar: Calendar }) {
  const [start, setStart] = useState(() => localInputValue(new Date()));
  const [minutes, setMinutes] = useState<number | string>(480);
  const [errors, setErrors] = useState<FieldErrors>({});
  const mutation = useMutation({
    mutationFn: () =>
      addWorkingMinutes(calendar.id, { start: new Date(start).toISOString(), minutes: Number(minutes) }),
    onError: (error) =>
      handleSaveError(error, { noun: "preview", fields: ["start", "minutes"], setFieldErrors: setErrors }),
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const found: FieldErrors = {};
    if (!start || Number.isNaN(new Date(start).getTime())) found.start = "Pick a start";
    if (typeof minutes !== "number") found.minutes = "Enter working minutes";
    setErrors(found);
    if (Object.keys(found).length === 0) mutation.mutate();
  };
  const mine = browserZone();
  const dueAt = mutation.data?.dueAt;
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="preview-title">
      <Title order={3} fz="sm" id="preview-title" mb={4}>
        Due-date preview
      </Title>
      <Text fz="xs" c="dimmed" mb="sm">
        Uses the saved calendar. The start is in your time zone ({mine}).
      </Text>
      <form onSubmit={onSubmit} noValidate aria-label="Due-date preview">
        <Stack gap="sm">
          <Group gap="sm" align="flex-start" grow preventGrowOverflow={false} wrap="wrap">
            <TextInput
              type="datetime-local"
              label="Start"
              value={start}
              onChange={(e) => {
                setStart(e.currentTarget.value);
                mutation.reset();
                setErrors(({ start: _, ...rest }) => rest);
              }}
              error={errors.start}
              miw={190}
            />
            <NumberInput
              label="Working minutes"
              description={typeof minutes === "number" ? `= ${formatMinutes(minutes)}` : undefined}
              inputWrapperOrder={["label", "input", "description", "error"]}
              min={0}
              allowDecimal={false}
              allowNegative={false}
              value={minutes}
              onChange={(v) => {
                setMinutes(v);
                mutation.reset();
                setErrors(({ minutes: _, ...rest }) => rest);
              }}
              error={errors.minutes}
              miw={120}
            />
          </Group>
          <Group>
            <Button
              type="submit"
              variant="light"
              loading={mutation.isPending}
              leftSection={<IconCalculator size={16} aria-hidden />}
            >
              Compute due date
            </Button>
          </Group>
          <div aria-live="polite">
            {dueAt && (
              <Stack gap={2} data-testid="preview-result">
                <Text fz="sm">
                  Due <b>{formatDateTime(dueAt, calendar.timezone)}</b> ({calendar.timezone})
                </Text>
                <Text fz="sm" c="dimmed">
                  {formatDateTime(dueAt, mine)} in your time zone ({mine})
                </Text>
              </Stack>
            )}
          </div>
        </Stack>
      </form>
    </Paper>
  );
}
