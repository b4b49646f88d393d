import { Badge, Group, List, Stack, Text, Tooltip } from "@mantine/core";
import { IconAlertTriangleFilled, IconShieldCheck } from "@tabler/icons-react";
import { Link } from "@tanstack/react-router";
import { type CSSProperties, useId } from "react";
import type { CalendarChange } from "../../api/change-admin.ts";
import {
  CHANGE_STATE_LABELS,
  CHANGE_TYPE_LABELS,
  CONFLICT_RULE_LABELS,
  conflictCount,
  RISK_LABELS,
} from "./calendar-labels.ts";
import { changeName, formatTime, openConflicts, spanLabel } from "./calendar-model.ts";

const FINAL = new Set(["closed", "rejected", "canceled"]);
const STRUCK = new Set(["rejected", "canceled"]);

/** The words behind a chip: when, what kind, where it stands, and every conflict. */
export function describeChange(c: CalendarChange): string {
  const parts = [
    spanLabel(c.start, c.end),
    `${CHANGE_TYPE_LABELS[c.type]} change`,
    CHANGE_STATE_LABELS[c.state],
    `${RISK_LABELS[c.riskLevel]} risk`,
  ];
  const open = openConflicts(c);
  if (open.length) parts.push(`${conflictCount(open.length)}: ${open.map((x) => x.message).join(" ")}`);
  else if (c.conflicts.length) parts.push("Its conflicts were accepted by the owner.");
  return parts.join(". ");
}

/** What the tooltip shows. */
export function ChangeSummary({ change: c }: { change: CalendarChange }) {
  const open = openConflicts(c);
  return (
    <Stack gap={6} py={2}>
      <div>
        <Text fz="xs" ff="monospace" opacity={0.8}>
          {c.number}
        </Text>
        <Text fz="sm" fw={600} lh={1.3}>
          {c.title}
        </Text>
      </div>
      <Text fz="xs">{spanLabel(c.start, c.end)}</Text>
      <Text fz="xs" opacity={0.85}>
        {CHANGE_TYPE_LABELS[c.type]} · {CHANGE_STATE_LABELS[c.state]} · {RISK_LABELS[c.riskLevel]} risk
      </Text>
      {open.length > 0 && (
        <Stack gap={4}>
          <Group gap={4}>
            <IconAlertTriangleFilled size={14} aria-hidden color="var(--mantine-color-red-4)" />
            <Text fz="xs" fw={700}>
              {conflictCount(open.length)}
            </Text>
          </Group>
          <List size="xs" spacing={4} withPadding>
            {open.map((x) => (
              <List.Item key={`${x.rule}-${x.message}`}>
                <Text span fz="xs" fw={600}>
                  {CONFLICT_RULE_LABELS[x.rule] ?? x.rule}:
                </Text>{" "}
                {x.message}
              </List.Item>
            ))}
          </List>
        </Stack>
      )}
      {open.length === 0 && c.conflicts.length > 0 && (
        <Group gap={4}>
          <IconShieldCheck size={14} aria-hidden />
          <Text fz="xs">{conflictCount(c.conflicts.length)}, accepted by the owner</Text>
        </Group>
      )}
    </Stack>
  );
}

interface ChipProps {
  change: CalendarChange;
  /** A block on the week's time grid rather than a bar in the month. */
  block?: boolean;
  /** Shown before the title: the start time on the day it starts. */
  showTime?: boolean;
  continuesBefore?: boolean;
  continuesAfter?: boolean;
  style?: CSSProperties;
}

/** A change on the calendar: a link to it, red with a warning when its conflicts are open. */
export function ChangeChip({ change: c, block, showTime, continuesBefore, continuesAfter, style }: ChipProps) {
  const descriptionId = useId();
  const open = openConflicts(c);
  return (
    <>
      <Tooltip
        label={<ChangeSummary change={c} />}
        multiline
        w={340}
        withArrow
        openDelay={120}
        events={{ hover: true, focus: true, touch: true }}
        color={open.length ? "red.9" : "dark"}
        zIndex={400}
      >
        <Link
          to="/changes/$id"
          params={{ id: c.id }}
          className="steward-cal-chip"
          aria-label={changeName(c)}
          aria-describedby={descriptionId}
          data-type={c.type}
          data-conflict={open.length ? true : undefined}
          data-final={FINAL.has(c.state) ? true : undefined}
          data-struck={STRUCK.has(c.state) ? true : undefined}
          data-before={continuesBefore ? true : undefined}
          data-after={continuesAfter ? true : undefined}
          data-block={block ? true : undefined}
          data-change={c.number}
          style={style}
        >
          {block ? (
            <>
              <Group gap={4} wrap="nowrap">
                {open.length > 0 && <IconAlertTriangleFilled size={12} aria-hidden style={{ flexShrink: 0 }} />}
                <span className="steward-cal-chip-time">
                  {formatTime(new Date(c.start))}–{formatTime(new Date(c.end))}
                </span>
              </Group>
              <div className="steward-cal-chip-title" style={{ fontWeight: 600 }}>
                {c.number}
              </div>
              <div className="steward-cal-chip-title">{c.title}</div>
            </>
          ) : (
            <>
              {open.length > 0 && <IconAlertTriangleFilled size={12} aria-hidden style={{ flexShrink: 0 }} />}
              {showTime && <span className="steward-cal-chip-time">{formatTime(new Date(c.start))}</span>}
              <span className="steward-cal-chip-title">
                {c.number} {c.title}
              </span>
              {open.length > 1 && (
                <Badge size="xs" color="red" variant="filled" circle ml="auto" style={{ flexShrink: 0 }} aria-hidden>
                  {open.length}
                </Badge>
              )}
            </>
          )}
        </Link>
      </Tooltip>
      <span id={descriptionId} className="steward-visually-hidden">
        {describeChange(c)}
      </span>
    </>
  );
}
