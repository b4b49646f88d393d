import { Paper, Popover, Stack, Text } from "@mantine/core";
import { IconLock, IconTool } from "@tabler/icons-react";
import type { CalendarBlackout, CalendarChange, CalendarMaintenance } from "../../api/change-admin.ts";
import { ChangeChip } from "./calendar-chip.tsx";
import {
  addDays,
  chunk,
  daysOf,
  formatDay,
  layoutWeek,
  type Placed,
  type Range,
  sameDay,
  spanLabel,
  within,
} from "./calendar-model.ts";

/** Change lanes a week shows before the rest fold behind "+N more". */
const MAX_LANES = 3;

export type CalendarWindow =
  | ({ kind: "blackout" } & CalendarBlackout)
  | ({ kind: "maintenance"; global?: undefined } & CalendarMaintenance);

/** Blackouts first, then maintenance occurrences, as one list for the strips. */
export function windowsOf(blackouts: CalendarBlackout[], maintenance: CalendarMaintenance[]): CalendarWindow[] {
  return [
    ...blackouts.map((b) => ({ ...b, kind: "blackout" as const })),
    ...maintenance.map((m) => ({ ...m, kind: "maintenance" as const })),
  ];
}

const weekday = new Intl.DateTimeFormat(undefined, { weekday: "short" });
const dayNumber = new Intl.DateTimeFormat(undefined, { day: "numeric" });
const weekLabel = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "long" });

export function windowName(w: CalendarWindow): string {
  if (w.kind === "blackout") return `Blackout${w.global ? " (global)" : ""}: ${w.name}, ${spanLabel(w.start, w.end)}`;
  return `Maintenance window: ${w.name}, ${spanLabel(w.start, w.end)}`;
}

/** A blackout or maintenance window as a bar over the days it touches; `offset` skips leading grid columns. */
export function WindowStrip({
  placed,
  row,
  offset = 0,
}: {
  placed: Placed<CalendarWindow>;
  row: number;
  offset?: number;
}) {
  const w = placed.item;
  return (
    <div
      className="steward-cal-slot"
      style={{ gridColumn: `${placed.startCol + 1 + offset} / ${placed.endCol + 2 + offset}`, gridRow: row }}
    >
      <div
        className="steward-cal-strip"
        data-kind={w.kind}
        title={windowName(w)}
        role="note"
        aria-label={windowName(w)}
      >
        {w.kind === "blackout" ? <IconLock size={11} aria-hidden /> : <IconTool size={11} aria-hidden />}
        <span style={{ overflow: "hidden", textOverflow: "ellipsis" }}>{w.name}</span>
      </div>
    </div>
  );
}

function MoreButton(props: { day: Date; hidden: number; changes: CalendarChange[]; column: number; row: number }) {
  const { day, hidden, column, row } = props;
  const changes = [...props.changes].sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
  return (
    <Popover width={320} position="bottom-start" withArrow shadow="md" trapFocus returnFocus>
      <Popover.Target>
        <button
          type="button"
          className="steward-cal-more"
          style={{ gridColumn: column + 1, gridRow: row }}
          aria-label={`${hidden} more on ${formatDay(day)}`}
        >
          +{hidden} more
        </button>
      </Popover.Target>
      <Popover.Dropdown>
        <Text fz="sm" fw={650} mb="xs">
          {formatDay(day)}
        </Text>
        <Stack gap={4}>
          {changes.map((c) => (
            <ChangeChip key={c.id} change={c} showTime />
          ))}
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}

function Week({
  days,
  month,
  changes,
  windows,
}: {
  days: Date[];
  month: number;
  changes: CalendarChange[];
  windows: CalendarWindow[];
}) {
  const first = days[0] as Date;
  const end = addDays(days[6] as Date, 1);
  const today = new Date();
  const windowsPlaced = layoutWeek(within(windows, first, end), days);
  const windowLanes = windowsPlaced.reduce((n, p) => Math.max(n, p.lane + 1), 0);
  const changesPlaced = layoutWeek(within(changes, first, end), days);
  const shown = changesPlaced.filter((p) => p.lane < MAX_LANES);
  const folded = changesPlaced.filter((p) => p.lane >= MAX_LANES);
  const changeLanes = shown.reduce((n, p) => Math.max(n, p.lane + 1), 0);
  const moreRow = windowLanes + changeLanes + 2;
  const blackoutDays = days.map((d) =>
    windows.some(
      (w) => w.kind === "blackout" && Date.parse(w.start) < addDays(d, 1).getTime() && Date.parse(w.end) > d.getTime(),
    ),
  );
  // One day column for every day of the week, its "+N more" listing all of that day's changes.
  const foldedPerDay = days.map((_, i) => folded.filter((p) => p.startCol <= i && p.endCol >= i));
  const rows = [
    "26px",
    ...Array.from({ length: windowLanes + changeLanes + (folded.length ? 1 : 0) }, () => "auto"),
    "1fr",
  ];
  return (
    <fieldset
      aria-label={`Week of ${weekLabel.format(first)}`}
      className="steward-cal-week"
      style={{ gridTemplateRows: rows.join(" ") }}
    >
      {days.map((d, i) => (
        <div
          key={`bg-${d.toISOString()}`}
          className="steward-cal-day"
          style={{ gridColumn: i + 1 }}
          data-outside={d.getMonth() !== month ? true : undefined}
          data-blackout={blackoutDays[i] ? true : undefined}
        />
      ))}
      {days.map((d, i) => (
        <div
          key={`num-${d.toISOString()}`}
          className="steward-cal-daynum"
          style={{ gridColumn: i + 1, gridRow: 1 }}
          data-outside={d.getMonth() !== month ? true : undefined}
          data-today={sameDay(d, today) ? true : undefined}
        >
          <span aria-hidden>{dayNumber.format(d)}</span>
          <span className="steward-visually-hidden">{formatDay(d)}</span>
          {blackoutDays[i] && <IconLock size={12} color="var(--mantine-color-red-filled)" aria-hidden />}
        </div>
      ))}
      {windowsPlaced.map((p) => (
        <WindowStrip key={`${p.item.kind}-${p.item.windowId}-${p.item.start}`} placed={p} row={p.lane + 2} />
      ))}
      {shown.map((p) => (
        <div
          key={p.item.id}
          className="steward-cal-slot"
          style={{
            gridColumn: `${p.startCol + 1} / ${p.endCol + 2}`,
            gridRow: windowLanes + p.lane + 2,
          }}
        >
          <ChangeChip
            change={p.item}
            showTime={!p.continuesBefore}
            continuesBefore={p.continuesBefore}
            continuesAfter={p.continuesAfter}
          />
        </div>
      ))}
      {foldedPerDay.map((list, i) =>
        list.length ? (
          <MoreButton
            key={`more-${days[i]?.toISOString()}`}
            day={days[i] as Date}
            hidden={list.length}
            changes={changesPlaced.filter((p) => p.startCol <= i && p.endCol >= i).map((p) => p.item)}
            column={i}
            row={moreRow}
          />
        ) : null,
      )}
    </fieldset>
  );
}

/** Whole weeks covering the month; changes as bars over the days they span, freezes shaded. */
export function MonthView(props: {
  range: Range;
  anchor: Date;
  changes: CalendarChange[];
  blackouts: CalendarBlackout[];
  maintenance: CalendarMaintenance[];
}) {
  const { range, anchor, changes } = props;
  const windows = windowsOf(props.blackouts, props.maintenance);
  const weeks = chunk(daysOf(range), 7);
  const header = weeks[0] ?? [];
  return (
    <Paper withBorder radius="lg" style={{ overflow: "hidden" }} data-testid="calendar-month">
      <div
        aria-hidden
        style={{
          display: "grid",
          gridTemplateColumns: "repeat(7, minmax(0, 1fr))",
          background: "var(--mantine-color-default-hover)",
        }}
      >
        {header.map((d) => (
          <Text key={d.toISOString()} fz="xs" fw={600} c="dimmed" tt="uppercase" px="sm" py={8}>
            {weekday.format(d)}
          </Text>
        ))}
      </div>
      {weeks.map((days) => (
        <Week key={days[0]?.toISOString()} days={days} month={anchor.getMonth()} changes={changes} windows={windows} />
      ))}
    </Paper>
  );
}
