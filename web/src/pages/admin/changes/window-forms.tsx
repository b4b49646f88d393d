import {
  Alert,
  Chip,
  Code,
  Group,
  NumberInput,
  Paper,
  SegmentedControl,
  Select,
  Stack,
  Text,
  TextInput,
} from "@mantine/core";
import { IconInfoCircle, IconLock } from "@tabler/icons-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useMemo, useState } from "react";
import { changeAdminKeys, createBlackoutWindow, createMaintenanceWindow } from "../../../api/change-admin.ts";
import { type FieldErrors, handleSaveError } from "../../../lib/form-errors.ts";
import { formatMinutes } from "../../../lib/format.ts";
import { notifySuccess } from "../../../lib/notify.ts";
import { CiMultiSelect } from "../../cmdb/ci-picker.tsx";
import { FormActions } from "../form-drawer.tsx";
import { browserZone, timeZones } from "../settings/calendar-model.ts";
import { ServicesSelect } from "./change-pickers.tsx";
import {
  dayOfMonthOf,
  describeRecurrence,
  localToIso,
  type Repeat,
  toRrule,
  WEEKDAYS,
  type Weekday,
  weekdayOf,
} from "./window-model.ts";

/** Root field of each error ("ciIds.0" → "ciIds"). */
function roots(errors: FieldErrors): FieldErrors {
  const out: FieldErrors = {};
  for (const [k, v] of Object.entries(errors)) out[k.split(".")[0] ?? k] ??= v;
  return out;
}

const DAY_OPTIONS = [
  ...Array.from({ length: 31 }, (_, i) => ({ value: String(i + 1), label: String(i + 1) })),
  { value: "-1", label: "Last day" },
];

function RecurrenceBuilder(props: {
  dtstart: string;
  repeat: Repeat;
  onRepeat: (r: Repeat) => void;
  error?: string | undefined;
}) {
  const { dtstart, repeat, onRepeat } = props;
  const kind = repeat.kind;
  const switchTo = (k: string) => {
    if (k === "weekly") onRepeat({ kind: "weekly", interval: 1, days: [weekdayOf(dtstart) ?? "SU"] });
    else if (k === "monthly") onRepeat({ kind: "monthly", interval: 1, day: dayOfMonthOf(dtstart) ?? 1 });
    else onRepeat({ kind: "custom", rule: repeat.kind === "custom" ? repeat.rule : toRrule(repeat) });
  };
  return (
    <Stack gap="sm">
      <Stack gap={6}>
        <Text fz="sm" fw={500} id="window-repeat">
          Repeats
        </Text>
        <SegmentedControl
          aria-labelledby="window-repeat"
          data={[
            { value: "weekly", label: "Weekly" },
            { value: "monthly", label: "Monthly" },
            { value: "custom", label: "Custom RRULE" },
          ]}
          value={kind}
          onChange={switchTo}
        />
      </Stack>
      {repeat.kind === "weekly" && (
        <>
          <Group gap="xs" align="center">
            <Text fz="sm">Every</Text>
            <NumberInput
              aria-label="Every how many weeks"
              min={1}
              max={52}
              allowDecimal={false}
              value={repeat.interval}
              onChange={(v) => onRepeat({ ...repeat, interval: Math.max(1, Number(v) || 1) })}
              w={80}
            />
            <Text fz="sm">{repeat.interval === 1 ? "week" : "weeks"}, on</Text>
          </Group>
          <Chip.Group
            multiple
            value={repeat.days}
            onChange={(days) => onRepeat({ ...repeat, days: days as Weekday[] })}
          >
            <Group gap={6} role="group" aria-label="Weekdays">
              {WEEKDAYS.map((d) => (
                <Chip key={d.code} value={d.code} size="sm" aria-label={d.long}>
                  {d.short}
                </Chip>
              ))}
            </Group>
          </Chip.Group>
        </>
      )}
      {repeat.kind === "monthly" && (
        <Group gap="xs" align="center">
          <Text fz="sm">On day</Text>
          <Select
            aria-label="Day of the month"
            data={DAY_OPTIONS}
            value={String(repeat.day)}
            allowDeselect={false}
            onChange={(v) => v && onRepeat({ ...repeat, day: Number(v) })}
            w={120}
            comboboxProps={{ withinPortal: true }}
          />
          <Text fz="sm">of every</Text>
          <NumberInput
            aria-label="Every how many months"
            min={1}
            max={12}
            allowDecimal={false}
            value={repeat.interval}
            onChange={(v) => onRepeat({ ...repeat, interval: Math.max(1, Number(v) || 1) })}
            w={80}
          />
          <Text fz="sm">{repeat.interval === 1 ? "month" : "months"}</Text>
        </Group>
      )}
      {repeat.kind === "custom" && (
        <TextInput
          label="RRULE"
          description="RFC 5545 recurrence rule, e.g. FREQ=MONTHLY;BYDAY=1SU (the first Sunday)"
          placeholder="FREQ=WEEKLY;BYDAY=SU"
          value={repeat.rule}
          onChange={(e) => onRepeat({ kind: "custom", rule: e.currentTarget.value })}
          error={props.error}
          styles={{ input: { fontFamily: "var(--mantine-font-family-monospace)" } }}
        />
      )}
      {repeat.kind !== "custom" && props.error && (
        <Text fz="xs" c="red">
          {props.error}
        </Text>
      )}
    </Stack>
  );
}

/** A one-off or recurring window on CIs or services in which changes are welcome. */
export function MaintenanceWindowForm({ onDone }: { onDone: () => void }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const [ciIds, setCiIds] = useState<string[]>([]);
  const [serviceIds, setServiceIds] = useState<string[]>([]);
  const [recurring, setRecurring] = useState(true);
  const [start, setStart] = useState("");
  const [end, setEnd] = useState("");
  const [timezone, setTimezone] = useState(browserZone());
  const [dtstart, setDtstart] = useState("");
  const [duration, setDuration] = useState<number | string>(240);
  const [repeat, setRepeat] = useState<Repeat>({ kind: "weekly", interval: 1, days: ["SU"] });
  const [errors, setErrors] = useState<FieldErrors>({});
  const zones = useMemo(() => timeZones(), []);
  const rrule = toRrule(repeat);
  const clear = (...fields: string[]) =>
    setErrors((e) => Object.fromEntries(Object.entries(e).filter(([k]) => !fields.includes(k))));

  const mutation = useMutation({
    mutationFn: () =>
      createMaintenanceWindow(
        recurring
          ? { name: name.trim(), ciIds, serviceIds, rrule, dtstart, durationMinutes: Number(duration), timezone }
          : { name: name.trim(), ciIds, serviceIds, start: localToIso(start) ?? "", end: localToIso(end) ?? "" },
      ),
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: changeAdminKeys.maintenanceWindows });
      await queryClient.invalidateQueries({ queryKey: changeAdminKeys.calendarRoot });
      notifySuccess(`${saved.name} was added.`);
      onDone();
    },
    onError: (error) =>
      handleSaveError(error, {
        noun: "maintenance window",
        fields: ["name", "ciIds", "serviceIds", "start", "end", "rrule", "dtstart", "durationMinutes", "timezone"],
        setFieldErrors: (e) => setErrors(roots(e)),
      }),
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const found: FieldErrors = {};
    if (!name.trim()) found.name = "Enter a name";
    if (ciIds.length + serviceIds.length === 0) found.ciIds = "Name the CIs or services it is for";
    if (recurring) {
      if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(dtstart)) found.dtstart = "Pick the first occurrence's date and time";
      if (typeof duration !== "number" || !Number.isInteger(duration) || duration < 1)
        found.durationMinutes = "Whole minutes, at least 1";
      if (repeat.kind === "weekly" && repeat.days.length === 0) found.rrule = "Pick at least one weekday";
      if (repeat.kind === "custom" && !repeat.rule.trim()) found.rrule = "Write the rule";
      if (!timezone) found.timezone = "Choose a time zone";
    } else {
      const s = localToIso(start);
      const e = localToIso(end);
      if (!s) found.start = "Pick the start";
      if (!e) found.end = "Pick the end";
      if (s && e && Date.parse(s) >= Date.parse(e)) found.end = "Must be after the start";
    }
    setErrors(found);
    if (Object.keys(found).length === 0) mutation.mutate();
  };

  return (
    <form onSubmit={onSubmit} noValidate aria-label="New maintenance window">
      <Stack gap="md">
        <TextInput
          label="Name"
          placeholder="Sunday night patching"
          required
          value={name}
          onChange={(e) => {
            setName(e.currentTarget.value);
            clear("name");
          }}
          error={errors.name}
          data-autofocus
        />
        <CiMultiSelect
          label="Configuration items"
          description="Changes to these CIs belong in the window"
          value={ciIds}
          onChange={(v) => {
            setCiIds(v);
            clear("ciIds");
          }}
          error={errors.ciIds}
        />
        <ServicesSelect
          label="Business services"
          description="…or to anything these services run on"
          value={serviceIds}
          onChange={(v) => {
            setServiceIds(v);
            clear("ciIds", "serviceIds");
          }}
          error={errors.serviceIds}
        />
        <SegmentedControl
          aria-label="Kind of window"
          data={[
            { value: "recurring", label: "Recurring" },
            { value: "once", label: "One-off" },
          ]}
          value={recurring ? "recurring" : "once"}
          onChange={(v) => setRecurring(v === "recurring")}
        />
        {recurring ? (
          <Paper withBorder radius="md" p="md">
            <Stack gap="md">
              <Group grow align="flex-start">
                <TextInput
                  type="datetime-local"
                  label="First occurrence"
                  description="On the time zone's wall clock"
                  required
                  value={dtstart}
                  onChange={(e) => {
                    const v = e.currentTarget.value;
                    setDtstart(v);
                    clear("dtstart");
                    // A weekly rule on the first occurrence's weekday until someone picks the days.
                    const day = weekdayOf(v);
                    if (repeat.kind === "weekly" && day && repeat.days.length <= 1)
                      setRepeat({ ...repeat, days: [day] });
                    const dom = dayOfMonthOf(v);
                    if (repeat.kind === "monthly" && dom) setRepeat({ ...repeat, day: dom });
                  }}
                  error={errors.dtstart}
                />
                <NumberInput
                  label="Duration"
                  description={
                    typeof duration === "number" && duration > 0 ? formatMinutes(duration, { days: true }) : " "
                  }
                  suffix=" min"
                  required
                  min={1}
                  step={30}
                  allowDecimal={false}
                  value={duration}
                  onChange={(v) => {
                    setDuration(v);
                    clear("durationMinutes");
                  }}
                  error={errors.durationMinutes}
                />
              </Group>
              <Select
                label="Time zone"
                description="Keeps the window on the local clock across daylight-saving changes"
                searchable
                limit={100}
                data={zones.includes(timezone) ? zones : [timezone, ...zones]}
                value={timezone}
                allowDeselect={false}
                onChange={(v) => v && setTimezone(v)}
                error={errors.timezone}
                comboboxProps={{ withinPortal: true }}
              />
              <RecurrenceBuilder
                dtstart={dtstart}
                repeat={repeat}
                onRepeat={(r) => {
                  setRepeat(r);
                  clear("rrule");
                }}
                error={errors.rrule}
              />
              <Stack gap={4}>
                <Text fz="xs" c="dimmed">
                  Rule
                </Text>
                <Code block aria-label="Generated rule">
                  {rrule || "—"}
                </Code>
                {dtstart && (
                  <Text fz="sm" fw={500}>
                    {describeRecurrence({
                      rrule,
                      dtstart,
                      durationMinutes: typeof duration === "number" ? duration : null,
                      timezone,
                    })}
                  </Text>
                )}
              </Stack>
            </Stack>
          </Paper>
        ) : (
          <Group grow align="flex-start">
            <TextInput
              type="datetime-local"
              label="Starts"
              required
              value={start}
              onChange={(e) => {
                setStart(e.currentTarget.value);
                clear("start");
              }}
              error={errors.start}
            />
            <TextInput
              type="datetime-local"
              label="Ends"
              required
              value={end}
              onChange={(e) => {
                setEnd(e.currentTarget.value);
                clear("end");
              }}
              error={errors.end}
            />
          </Group>
        )}
      </Stack>
      <FormActions onCancel={onDone} submitLabel="Add maintenance window" loading={mutation.isPending} />
    </form>
  );
}

/** A change freeze: for everything, or for some services. */
export function BlackoutWindowForm({ onDone }: { onDone: () => void }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const [start, setStart] = useState("");
  const [end, setEnd] = useState("");
  const [serviceIds, setServiceIds] = useState<string[]>([]);
  const [errors, setErrors] = useState<FieldErrors>({});
  const clear = (field: string) => setErrors(({ [field]: _, ...rest }) => rest);
  const mutation = useMutation({
    mutationFn: () =>
      createBlackoutWindow({
        name: name.trim(),
        start: localToIso(start) ?? "",
        end: localToIso(end) ?? "",
        serviceIds,
      }),
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: changeAdminKeys.blackoutWindows });
      await queryClient.invalidateQueries({ queryKey: changeAdminKeys.calendarRoot });
      notifySuccess(`${saved.name} was added.`);
      onDone();
    },
    onError: (error) =>
      handleSaveError(error, {
        noun: "blackout window",
        fields: ["name", "start", "end", "serviceIds"],
        setFieldErrors: (e) => setErrors(roots(e)),
      }),
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const found: FieldErrors = {};
    const s = localToIso(start);
    const e = localToIso(end);
    if (!name.trim()) found.name = "Enter a name";
    if (!s) found.start = "Pick the start";
    if (!e) found.end = "Pick the end";
    if (s && e && Date.parse(s) >= Date.parse(e)) found.end = "Must be after the start";
    setErrors(found);
    if (Object.keys(found).length === 0) mutation.mutate();
  };
  return (
    <form onSubmit={onSubmit} noValidate aria-label="New blackout window">
      <Stack gap="md">
        <TextInput
          label="Name"
          placeholder="Year-end freeze"
          required
          value={name}
          onChange={(e) => {
            setName(e.currentTarget.value);
            clear("name");
          }}
          error={errors.name}
          data-autofocus
        />
        <Group grow align="flex-start">
          <TextInput
            type="datetime-local"
            label="Starts"
            required
            value={start}
            onChange={(e) => {
              setStart(e.currentTarget.value);
              clear("start");
            }}
            error={errors.start}
          />
          <TextInput
            type="datetime-local"
            label="Ends"
            required
            value={end}
            onChange={(e) => {
              setEnd(e.currentTarget.value);
              clear("end");
            }}
            error={errors.end}
          />
        </Group>
        <Text fz="xs" c="dimmed" mt={-8}>
          In your time zone ({browserZone()}).
        </Text>
        <ServicesSelect
          label="Business services"
          description="Only changes affecting these services are frozen"
          placeholder="All services (global freeze)"
          value={serviceIds}
          onChange={(v) => {
            setServiceIds(v);
            clear("serviceIds");
          }}
          error={errors.serviceIds}
        />
        {serviceIds.length === 0 ? (
          <Alert color="red" variant="light" icon={<IconLock size={18} aria-hidden />} p="sm">
            A global freeze: every change planned in this period conflicts with it.
          </Alert>
        ) : (
          <Alert color="blue" variant="light" icon={<IconInfoCircle size={18} aria-hidden />} p="sm">
            Changes affecting these services, directly or through what they run on, conflict with it.
          </Alert>
        )}
      </Stack>
      <FormActions onCancel={onDone} submitLabel="Add blackout window" loading={mutation.isPending} />
    </form>
  );
}
