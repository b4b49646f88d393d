import "./calendar-styles.css";
import {
  ActionIcon,
  Alert,
  Box,
  Button,
  Container,
  Group,
  Loader,
  SegmentedControl,
  Skeleton,
  Text,
  Title,
  Tooltip,
} from "@mantine/core";
import { IconAlertTriangle, IconChartBar, IconChevronLeft, IconChevronRight } from "@tabler/icons-react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { getRouteApi, Link } from "@tanstack/react-router";
import { type CSSProperties, useMemo, useState } from "react";
import { type CalendarParams, changeAdminKeys, getChangeCalendar } from "../../api/change-admin.ts";
import { errorMessage } from "../../lib/notify.ts";
import { PageHeader } from "../page-header.tsx";
import { CalendarFilterBar, type CalendarFilters, NO_FILTERS } from "./calendar-filters.tsx";
import { ListView } from "./calendar-list.tsx";
import {
  type CalendarView,
  nextLabel,
  openConflicts,
  periodTitle,
  previousLabel,
  startOfDay,
  step,
  visibleRange,
} from "./calendar-model.ts";
import { MonthView } from "./calendar-month.tsx";
import { WeekView } from "./calendar-week.tsx";

const VIEW_OPTIONS = [
  { value: "month", label: "Month" },
  { value: "week", label: "Week" },
  { value: "list", label: "List" },
];

function Legend() {
  const item = (label: string, swatch: CSSProperties) => (
    <Group gap={6} wrap="nowrap" key={label}>
      <span className="steward-cal-swatch" style={swatch} aria-hidden />
      <Text fz="xs" c="dimmed">
        {label}
      </Text>
    </Group>
  );
  return (
    <Group gap="md" aria-label="Legend" role="group">
      {item("Standard", { background: "var(--mantine-color-teal-filled)" })}
      {item("Normal", { background: "var(--mantine-color-indigo-filled)" })}
      {item("Emergency", { background: "var(--mantine-color-orange-filled)" })}
      {item("Conflict", {
        background: "var(--mantine-color-red-light)",
        boxShadow: "inset 0 0 0 1.5px var(--mantine-color-red-filled)",
      })}
      {item("Blackout", {
        backgroundImage:
          "repeating-linear-gradient(135deg, rgba(250,82,82,.45) 0, rgba(250,82,82,.45) 3px, transparent 3px, transparent 6px)",
      })}
      {item("Maintenance", { border: "1.5px dashed var(--mantine-color-teal-4)" })}
    </Group>
  );
}

const route = getRouteApi("/agent/changes/calendar");

/** YYYY-MM-DD of a local day. */
const dayKey = (d: Date) =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;

/** The local midnight of a YYYY-MM-DD day (today when it is not a real date). */
function parseDay(key: string): Date {
  const [y, m, d] = key.split("-").map(Number) as [number, number, number];
  const day = new Date(y, m - 1, d);
  return Number.isNaN(day.getTime()) ? startOfDay(new Date()) : day;
}

/** Changes on a calendar (month, week or list) with their conflicts, blackouts and maintenance windows. */
export function ChangeCalendarPage() {
  // The view and the day it shows live in the address, so a period can be linked to and survives a reload.
  const search = route.useSearch();
  const navigate = route.useNavigate();
  // On a phone the list reads better than seven narrow columns.
  const [defaultView] = useState<CalendarView>(() =>
    window.matchMedia("(max-width: 48em)").matches ? "list" : "month",
  );
  const view: CalendarView = search.view ?? defaultView;
  const anchor = useMemo(() => (search.date ? parseDay(search.date) : startOfDay(new Date())), [search.date]);
  const setView = (v: CalendarView) => navigate({ search: (s) => ({ ...s, view: v }), replace: true });
  const setAnchor = (next: Date | ((a: Date) => Date)) => {
    const day = typeof next === "function" ? next(anchor) : next;
    navigate({ search: (s) => ({ ...s, date: dayKey(day) }), replace: true });
  };
  const [filters, setFilters] = useState<CalendarFilters>(NO_FILTERS);
  const range = useMemo(() => visibleRange(view, anchor), [view, anchor]);
  const params: CalendarParams = {
    from: range.start.toISOString(),
    to: range.end.toISOString(),
    serviceId: filters.serviceId ?? undefined,
    ciId: filters.ciId ?? undefined,
    groupId: filters.groupId ?? undefined,
    type: filters.type ?? undefined,
    state: filters.state.length ? filters.state : undefined,
  };
  const calendar = useQuery({
    queryKey: changeAdminKeys.calendar(params),
    queryFn: ({ signal }) => getChangeCalendar(params, signal),
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
  const data = calendar.data;
  const changes = data?.changes ?? [];
  const withConflicts = changes.filter((c) => openConflicts(c).length > 0).length;
  const title = periodTitle(view, anchor);

  return (
    <Container size="xl" px={0}>
      <PageHeader
        title="Change calendar"
        description="Planned changes with their schedule conflicts, change freezes (blackouts) and maintenance windows."
        actions={
          <Button
            component={Link}
            to="/changes/report"
            variant="default"
            leftSection={<IconChartBar size={16} aria-hidden />}
          >
            Change report
          </Button>
        }
      />
      <CalendarFilterBar value={filters} onChange={setFilters} />
      <Group justify="space-between" mb="sm" gap="sm">
        <Group gap="xs">
          <Button variant="default" onClick={() => setAnchor(startOfDay(new Date()))}>
            Today
          </Button>
          <Tooltip label={previousLabel(view)} withArrow>
            <ActionIcon
              variant="default"
              size={36}
              aria-label={previousLabel(view)}
              onClick={() => setAnchor((a) => step(view, a, -1))}
            >
              <IconChevronLeft size={18} aria-hidden />
            </ActionIcon>
          </Tooltip>
          <Tooltip label={nextLabel(view)} withArrow>
            <ActionIcon
              variant="default"
              size={36}
              aria-label={nextLabel(view)}
              onClick={() => setAnchor((a) => step(view, a, 1))}
            >
              <IconChevronRight size={18} aria-hidden />
            </ActionIcon>
          </Tooltip>
          <Title order={2} fz={20} ml="xs" aria-live="polite" style={{ whiteSpace: "nowrap" }}>
            {title}
          </Title>
          {calendar.isFetching && <Loader size="xs" aria-label="Loading the calendar" />}
        </Group>
        <SegmentedControl
          aria-label="View"
          data={VIEW_OPTIONS}
          value={view}
          onChange={(v) => setView(v as CalendarView)}
        />
      </Group>
      <Group justify="space-between" mb="sm" gap="sm">
        <Legend />
        {data && (
          <Text fz="xs" c={withConflicts ? "red" : "dimmed"} fw={withConflicts ? 600 : 400} role="status">
            {changes.length} change{changes.length === 1 ? "" : "s"}
            {withConflicts ? ` · ${withConflicts} with open conflicts` : ""}
          </Text>
        )}
      </Group>
      {data?.truncated && (
        <Alert
          color="yellow"
          icon={<IconAlertTriangle size={18} aria-hidden />}
          mb="sm"
          title="Not every change is shown"
        >
          This period has more changes than the calendar can show at once. Narrow it with the filters or the week view.
        </Alert>
      )}
      {calendar.isError && !data ? (
        <Alert color="red" icon={<IconAlertTriangle size={18} aria-hidden />} title="The calendar could not be loaded">
          <Text fz="sm" mb="xs">
            {errorMessage(calendar.error)}
          </Text>
          <Button size="xs" variant="light" color="red" onClick={() => void calendar.refetch()}>
            Try again
          </Button>
        </Alert>
      ) : !data ? (
        <Skeleton h={560} radius="lg" />
      ) : (
        <Box aria-busy={calendar.isFetching}>
          {view === "month" && (
            <MonthView
              range={range}
              anchor={anchor}
              changes={changes}
              blackouts={data.blackouts}
              maintenance={data.maintenance}
            />
          )}
          {view === "week" && (
            <WeekView
              key={range.start.getTime()}
              range={range}
              changes={changes}
              blackouts={data.blackouts}
              maintenance={data.maintenance}
            />
          )}
          {view === "list" && (
            <ListView range={range} changes={changes} blackouts={data.blackouts} maintenance={data.maintenance} />
          )}
        </Box>
      )}
    </Container>
  );
}
