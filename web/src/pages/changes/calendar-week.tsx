import { Paper, ScrollArea, Text } from "@mantine/core";
import { useEffect, useMemo, useRef } from "react";
import type { CalendarBlackout, CalendarChange, CalendarMaintenance } from "../../api/change-admin.ts";
import { ChangeChip } from "./calendar-chip.tsx";
import { daysOf, formatTime, layoutDay, layoutWeek, type Range, sameDay, spanLabel, within } from "./calendar-model.ts";
import { WindowStrip, windowsOf } from "./calendar-month.tsx";

const HOUR_PX = 44;
const HOURS = Array.from({ length: 24 }, (_, h) => h);
const header = new Intl.DateTimeFormat(undefined, { weekday: "short", day: "numeric" });
const longDay = new Intl.DateTimeFormat(undefined, { weekday: "long", day: "numeric", month: "long" });
const px = (minutes: number) => (minutes / 60) * HOUR_PX;

type Shade = { kind: "blackout" | "maintenance"; windowId: string; name: string; start: string; end: string };

/** Seven days on a 24-hour grid (mounted afresh for each week, so it scrolls to that week's first change): changes as blocks as tall as their window, freezes and maintenance behind them. */
export function WeekView(props: {
  range: Range;
  changes: CalendarChange[];
  blackouts: CalendarBlackout[];
  maintenance: CalendarMaintenance[];
}) {
  const days = useMemo(() => daysOf(props.range), [props.range]);
  const today = new Date();
  const viewport = useRef<HTMLDivElement>(null);
  const perDay = useMemo(() => days.map((d) => layoutDay(props.changes, d)), [days, props.changes]);
  // Open an hour before the week's earliest change, or on the working morning.
  const earliest = Math.min(...perDay.flatMap((blocks) => blocks.map((b) => b.top)));
  useEffect(() => {
    const minutes = Number.isFinite(earliest) ? Math.max(0, earliest - 60) : 7 * 60;
    viewport.current?.scrollTo({ top: px(minutes) });
  }, [earliest]);
  const strips = layoutWeek(
    within(windowsOf(props.blackouts, props.maintenance), props.range.start, props.range.end),
    days,
  );
  const stripLanes = strips.reduce((n, p) => Math.max(n, p.lane + 1), 0);
  const shades: Shade[] = [
    ...props.maintenance.map((m) => ({ ...m, kind: "maintenance" as const })),
    ...props.blackouts.map((b) => ({ ...b, kind: "blackout" as const })),
  ];
  const grid = { display: "grid", gridTemplateColumns: "56px repeat(7, minmax(0, 1fr))" } as const;
  return (
    <Paper withBorder radius="lg" style={{ overflow: "hidden" }} data-testid="calendar-week">
      <div style={{ ...grid, background: "var(--mantine-color-default-hover)" }} aria-hidden>
        <span />
        {days.map((d) => (
          <Text
            key={d.toISOString()}
            fz="sm"
            fw={sameDay(d, today) ? 700 : 600}
            c={sameDay(d, today) ? "var(--mantine-primary-color-filled)" : undefined}
            px="sm"
            py={8}
            style={{ borderLeft: "1px solid var(--mantine-color-default-border)" }}
          >
            {header.format(d)}
          </Text>
        ))}
      </div>
      {stripLanes > 0 && (
        <div
          style={{
            ...grid,
            rowGap: 3,
            padding: "4px 0",
            borderTop: "1px solid var(--mantine-color-default-border)",
            borderBottom: "1px solid var(--mantine-color-default-border)",
          }}
        >
          {strips.map((p) => (
            <WindowStrip
              key={`${p.item.kind}-${p.item.windowId}-${p.item.start}`}
              placed={p}
              row={p.lane + 1}
              offset={1}
            />
          ))}
        </div>
      )}
      <ScrollArea h={620} viewportRef={viewport} type="auto">
        <div className="steward-cal-timegrid" style={{ height: px(24 * 60) }}>
          <div className="steward-cal-hours" aria-hidden>
            {HOURS.slice(1).map((h) => (
              <span key={h} className="steward-cal-hour-label" style={{ top: px(h * 60) }}>
                {formatTime(new Date(2000, 0, 1, h))}
              </span>
            ))}
          </div>
          {days.map((d, i) => {
            const isToday = sameDay(d, today);
            const nowTop = px(today.getHours() * 60 + today.getMinutes());
            return (
              <fieldset
                key={d.toISOString()}
                aria-label={longDay.format(d)}
                className="steward-cal-column"
                data-today={isToday ? true : undefined}
                style={{ backgroundSize: `100% ${HOUR_PX}px` }}
              >
                {layoutDay(shades, d).map((b) => {
                  const label =
                    b.item.kind === "blackout"
                      ? `Blackout: ${b.item.name}, ${spanLabel(b.item.start, b.item.end)}`
                      : `Maintenance window: ${b.item.name}, ${spanLabel(b.item.start, b.item.end)}`;
                  return (
                    <div
                      key={`${b.item.kind}-${b.item.windowId}-${b.item.start}`}
                      className="steward-cal-shade"
                      data-kind={b.item.kind}
                      aria-hidden
                      title={label}
                      style={{ top: px(b.top), height: px(b.bottom - b.top) }}
                    >
                      {b.item.kind === "maintenance" && !b.continuesBefore ? b.item.name : ""}
                    </div>
                  );
                })}
                {(perDay[i] ?? []).map((b) => (
                  <ChangeChip
                    key={b.item.id}
                    change={b.item}
                    block
                    continuesBefore={b.continuesBefore}
                    continuesAfter={b.continuesAfter}
                    style={{
                      top: px(b.top) + 1,
                      height: Math.max(px(b.bottom - b.top) - 2, 20),
                      left: `calc(${(b.col / b.cols) * 100}% + 2px)`,
                      width: `calc(${100 / b.cols}% - 4px)`,
                    }}
                  />
                ))}
                {isToday && <div className="steward-cal-now" style={{ top: nowTop }} aria-hidden />}
              </fieldset>
            );
          })}
        </div>
      </ScrollArea>
    </Paper>
  );
}
