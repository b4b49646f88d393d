import { Divider, Select, Stack, Text, TextInput } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useMemo, useState } from "react";
import type { Calendar } from "../../../../../common/calendars.ts";
import { keys } from "../../../api/queries.ts";
import { createCalendar, updateCalendar } from "../../../api/settings.ts";
import { type FieldErrors, handleSaveError, withoutErrors } from "../../../lib/form-errors.ts";
import { notifySuccess } from "../../../lib/notify.ts";
import { FormActions } from "../form-drawer.tsx";
import {
  browserZone,
  type HolidayRow,
  type HourRow,
  holidaysBody,
  hoursBody,
  timeZones,
  toHolidayRows,
  toHourRows,
  validateRows,
} from "./calendar-model.ts";
import { HolidaysEditor, HoursEditor } from "./calendar-rows.tsx";

const FIELDS = ["name", "timezone", "hours", "holidays"];
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export function CalendarForm(props: { calendar: Calendar | null; onDone: () => void; onReload: () => Promise<void> }) {
  const { calendar, onDone, onReload } = props;
  const queryClient = useQueryClient();
  const [name, setName] = useState(calendar?.name ?? "");
  const [timezone, setTimezone] = useState(calendar?.timezone ?? browserZone());
  const [hours, setHours] = useState<HourRow[]>(() => toHourRows(calendar?.hours ?? []));
  const [holidays, setHolidays] = useState<HolidayRow[]>(() => toHolidayRows(calendar?.holidays ?? []));
  const [errors, setErrors] = useState<FieldErrors>({});
  const readOnly = calendar !== null && !calendar.abilities.update;
  const zones = useMemo(() => {
    const all = timeZones();
    return all.includes(timezone) ? all : [timezone, ...all];
  }, [timezone]);

  const mutation = useMutation({
    mutationFn: async () => {
      const body = { name: name.trim(), timezone, hours: hoursBody(hours), holidays: holidaysBody(holidays) };
      if (!calendar) return createCalendar(body);
      const patch: Parameters<typeof updateCalendar>[1] = { version: calendar.version };
      if (body.name !== calendar.name) patch.name = body.name;
      if (body.timezone !== calendar.timezone) patch.timezone = body.timezone;
      if (!same(body.hours, calendar.hours)) patch.hours = body.hours;
      if (!same(body.holidays, calendar.holidays)) patch.holidays = body.holidays;
      return Object.keys(patch).length > 1 ? updateCalendar(calendar.id, patch) : null;
    },
    onSuccess: async (saved) => {
      if (saved) await queryClient.invalidateQueries({ queryKey: keys.calendars });
      notifySuccess(saved ? `${saved.name} was saved.` : "Nothing to save.");
      onDone();
    },
    onError: (error) =>
      handleSaveError(error, {
        noun: "calendar",
        fields: FIELDS,
        paths: true,
        setFieldErrors: setErrors,
        onConflict: calendar ? onReload : undefined,
      }),
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const found = validateRows(hours, holidays);
    if (!name.trim()) found.name = "Enter a name";
    if (!timezone) found.timezone = "Choose a time zone";
    setErrors(found);
    if (Object.keys(found).length === 0) mutation.mutate();
  };

  return (
    <form onSubmit={onSubmit} noValidate aria-label={calendar ? `Edit ${calendar.name}` : "New calendar"}>
      <Stack gap="md">
        {readOnly && (
          <Text fz="sm" c="dimmed">
            You may look at this calendar but not change it.
          </Text>
        )}
        <TextInput
          label="Name"
          required
          value={name}
          onChange={(e) => {
            setName(e.currentTarget.value);
            setErrors((current) => withoutErrors(current, "name"));
          }}
          error={errors.name}
          disabled={readOnly}
          data-autofocus
        />
        <Select
          label="Time zone"
          description="Working hours and holidays are read in this zone"
          required
          searchable
          limit={100}
          data={zones}
          value={timezone}
          allowDeselect={false}
          onChange={(v) => {
            if (v) setTimezone(v);
            setErrors((current) => withoutErrors(current, "timezone"));
          }}
          nothingFoundMessage="No such time zone"
          error={errors.timezone}
          disabled={readOnly}
          comboboxProps={{ withinPortal: true }}
        />
        <Divider />
        <HoursEditor
          rows={hours}
          onChange={(rows) => {
            setHours(rows);
            setErrors((current) => withoutErrors(current, "hours"));
          }}
          errors={errors}
          disabled={readOnly}
        />
        <Divider />
        <HolidaysEditor
          rows={holidays}
          onChange={(rows) => {
            setHolidays(rows);
            setErrors((current) => withoutErrors(current, "holidays"));
          }}
          errors={errors}
          disabled={readOnly}
        />
      </Stack>
      {!readOnly && (
        <FormActions
          onCancel={onDone}
          submitLabel={calendar ? "Save" : "Create calendar"}
          loading={mutation.isPending}
        />
      )}
    </form>
  );
}
