import { ActionIcon, Button, Checkbox, Group, Select, Stack, Text, TextInput } from "@mantine/core";
import { IconCalendarPlus, IconPlus, IconTrash } from "@tabler/icons-react";
import type { FieldErrors } from "../../../lib/form-errors.ts";
import {
  DAY_LONG,
  DAY_OPTIONS,
  type HolidayRow,
  type HourRow,
  officeHours,
  rowKey,
  tidyTime,
} from "./calendar-model.ts";

interface RowsProps<T> {
  rows: T[];
  onChange: (rows: T[]) => void;
  errors: FieldErrors;
  disabled: boolean;
}

function update<T extends { key: number }>(rows: T[], key: number, patch: Partial<T>): T[] {
  return rows.map((r) => (r.key === key ? { ...r, ...patch } : r));
}

/** Weekly working intervals, one row each; none at all means the calendar runs around the clock. */
export function HoursEditor({ rows, onChange, errors, disabled }: RowsProps<HourRow>) {
  const add = () => {
    const last = rows.at(-1);
    const day = last ? String(Math.min(7, Number(last.day) + 1)) : "1";
    onChange([...rows, { key: rowKey(), day, start: last?.start ?? "09:00", end: last?.end ?? "17:00" }]);
  };
  return (
    <Stack gap="xs" role="group" aria-labelledby="hours-label">
      <Text fz="sm" fw={500} id="hours-label">
        Working hours
      </Text>
      {errors.hours && (
        <Text fz="xs" c="red">
          {errors.hours}
        </Text>
      )}
      {rows.length === 0 ? (
        <Text fz="sm" c="dimmed">
          No working hours: the calendar runs 24×7 (holidays still apply).
        </Text>
      ) : (
        rows.map((row, i) => {
          const where = `${DAY_LONG[Number(row.day) - 1] ?? "day"}, row ${i + 1}`;
          return (
            <Group key={row.key} gap="xs" align="flex-start" wrap="nowrap" data-testid="hours-row">
              <Select
                aria-label={`Day, row ${i + 1}`}
                data={DAY_OPTIONS}
                value={row.day}
                allowDeselect={false}
                onChange={(day) => day && onChange(update(rows, row.key, { day }))}
                error={errors[`hours.${i}.day`]}
                disabled={disabled}
                w={84}
                style={{ flexShrink: 0 }}
                comboboxProps={{ withinPortal: true }}
              />
              <TextInput
                aria-label={`Start, ${where}`}
                placeholder="09:00"
                inputMode="numeric"
                maxLength={5}
                value={row.start}
                onChange={(e) => onChange(update(rows, row.key, { start: e.currentTarget.value }))}
                onBlur={(e) => onChange(update(rows, row.key, { start: tidyTime(e.currentTarget.value) }))}
                error={errors[`hours.${i}.start`]}
                disabled={disabled}
                flex="1 1 0"
                miw={0}
              />
              <Text pt={6} c="dimmed" aria-hidden>
                –
              </Text>
              <TextInput
                aria-label={`End, ${where}`}
                placeholder="17:00"
                inputMode="numeric"
                maxLength={5}
                value={row.end}
                onChange={(e) => onChange(update(rows, row.key, { end: e.currentTarget.value }))}
                onBlur={(e) => onChange(update(rows, row.key, { end: tidyTime(e.currentTarget.value) }))}
                error={errors[`hours.${i}.end`]}
                disabled={disabled}
                flex="1 1 0"
                miw={0}
              />
              <ActionIcon
                variant="subtle"
                color="gray"
                size={36}
                aria-label={`Remove ${where}`}
                onClick={() => onChange(rows.filter((r) => r.key !== row.key))}
                disabled={disabled}
              >
                <IconTrash size={16} aria-hidden />
              </ActionIcon>
            </Group>
          );
        })
      )}
      {!disabled && (
        <Group gap="xs">
          <Button variant="light" size="xs" leftSection={<IconPlus size={14} aria-hidden />} onClick={add}>
            Add hours
          </Button>
          {rows.length === 0 && (
            <Button variant="subtle" size="xs" onClick={() => onChange(officeHours())}>
              Use Mon–Fri 09:00–17:00
            </Button>
          )}
        </Group>
      )}
    </Stack>
  );
}

/** Days off: a date, a name, and whether it comes back every year. */
export function HolidaysEditor({ rows, onChange, errors, disabled }: RowsProps<HolidayRow>) {
  return (
    <Stack gap="xs" role="group" aria-labelledby="holidays-label">
      <Text fz="sm" fw={500} id="holidays-label">
        Holidays
      </Text>
      {errors.holidays && (
        <Text fz="xs" c="red">
          {errors.holidays}
        </Text>
      )}
      {rows.length === 0 && (
        <Text fz="sm" c="dimmed">
          No holidays.
        </Text>
      )}
      {rows.map((row, i) => (
        <Group key={row.key} gap="xs" align="flex-start" wrap="wrap" data-testid="holiday-row">
          <TextInput
            type="date"
            aria-label={`Date, holiday ${i + 1}`}
            value={row.date}
            onChange={(e) => onChange(update(rows, row.key, { date: e.currentTarget.value }))}
            error={errors[`holidays.${i}.date`]}
            disabled={disabled}
            w={150}
          />
          <TextInput
            aria-label={`Name, holiday ${i + 1}`}
            placeholder="New Year's Day"
            value={row.name}
            onChange={(e) => onChange(update(rows, row.key, { name: e.currentTarget.value }))}
            error={errors[`holidays.${i}.name`]}
            disabled={disabled}
            flex="1 1 140px"
            miw={0}
          />
          <Checkbox
            label="Yearly"
            aria-label={`Yearly, holiday ${i + 1}`}
            checked={row.yearly}
            onChange={(e) => onChange(update(rows, row.key, { yearly: e.currentTarget.checked }))}
            disabled={disabled}
            mt={8}
          />
          <ActionIcon
            variant="subtle"
            color="gray"
            size={36}
            aria-label={`Remove holiday ${i + 1}`}
            onClick={() => onChange(rows.filter((r) => r.key !== row.key))}
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
            leftSection={<IconCalendarPlus size={14} aria-hidden />}
            onClick={() => onChange([...rows, { key: rowKey(), date: "", name: "", yearly: false }])}
          >
            Add holiday
          </Button>
        </Group>
      )}
    </Stack>
  );
}
