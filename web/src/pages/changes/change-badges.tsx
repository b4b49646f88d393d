import { Badge, type BadgeProps, Text } from "@mantine/core";
import type { WorkOrderState } from "../../../../common/changes.ts";
import type { ChangeState, ChangeType, RiskLevel, WorkOrder } from "../../api/changes.ts";
import { formatDateTime } from "../../lib/format.ts";

const nowrap = { minWidth: "max-content" } as const;

export const STATE_LABELS: Record<ChangeState, string> = {
  draft: "Draft",
  assessment: "Assessment",
  authorization: "Authorization",
  scheduled: "Scheduled",
  implementing: "Implementing",
  rolled_back: "Rolled back",
  review: "Review",
  closed: "Closed",
  rejected: "Rejected",
  canceled: "Canceled",
};
const STATE_COLORS: Record<ChangeState, string> = {
  draft: "gray",
  assessment: "blue",
  authorization: "violet",
  scheduled: "cyan",
  implementing: "orange",
  rolled_back: "red",
  review: "teal",
  closed: "green",
  rejected: "red",
  canceled: "gray",
};
export const STATE_OPTIONS = (Object.keys(STATE_LABELS) as ChangeState[]).map((s) => ({
  value: s,
  label: STATE_LABELS[s],
}));

export const TYPE_LABELS: Record<ChangeType, string> = {
  standard: "Standard",
  normal: "Normal",
  emergency: "Emergency",
};
export const TYPE_OPTIONS = (Object.keys(TYPE_LABELS) as ChangeType[]).map((t) => ({
  value: t,
  label: TYPE_LABELS[t],
}));

export const RISK_LABELS: Record<RiskLevel, string> = {
  low: "Low risk",
  medium: "Medium risk",
  high: "High risk",
  very_high: "Very high risk",
};
const RISK_COLORS: Record<RiskLevel, string> = { low: "green", medium: "yellow", high: "orange", very_high: "red" };
export const RISK_OPTIONS = (Object.keys(RISK_LABELS) as RiskLevel[]).map((r) => ({
  value: r,
  label: RISK_LABELS[r],
}));

export function ChangeStateBadge({ state, size }: { state: ChangeState; size?: BadgeProps["size"] }) {
  return (
    <Badge
      color={STATE_COLORS[state]}
      variant="dot"
      size={size}
      tt="none"
      fw={600}
      style={nowrap}
      data-testid="change-state"
    >
      {STATE_LABELS[state]}
    </Badge>
  );
}

export function ChangeTypeBadge({ type, size }: { type: ChangeType; size?: BadgeProps["size"] }) {
  return (
    <Badge
      color={type === "emergency" ? "red" : type === "standard" ? "teal" : "gray"}
      variant={type === "emergency" ? "light" : "outline"}
      size={size}
      tt="none"
      fw={500}
      style={nowrap}
    >
      {TYPE_LABELS[type]}
    </Badge>
  );
}

export function RiskBadge({ level, score, size }: { level: RiskLevel; score?: number; size?: BadgeProps["size"] }) {
  return (
    <Badge
      color={RISK_COLORS[level]}
      variant={level === "very_high" ? "filled" : "light"}
      c={level === "medium" ? "yellow.9" : undefined}
      size={size}
      tt="none"
      fw={600}
      style={nowrap}
      data-testid="risk-badge"
      title={score === undefined ? undefined : `Risk score ${score}`}
    >
      {RISK_LABELS[level]}
      {score === undefined ? "" : ` · ${score}`}
    </Badge>
  );
}

export const WORK_ORDER_STATE_LABELS: Record<WorkOrderState, string> = {
  created: "Created",
  ready: "Ready",
  in_progress: "In progress",
  done: "Done",
  failed: "Failed",
  canceled: "Canceled",
};
const WORK_ORDER_COLORS: Record<WorkOrderState, string> = {
  created: "gray",
  ready: "blue",
  in_progress: "orange",
  done: "green",
  failed: "red",
  canceled: "gray",
};
export const WORK_ORDER_KIND_LABELS: Record<WorkOrder["kind"], string> = {
  implementation: "Implementation",
  test: "Test",
  rollback: "Rollback",
  review: "Review",
};

export function WorkOrderStateBadge({ state }: { state: WorkOrderState }) {
  return (
    <Badge
      color={WORK_ORDER_COLORS[state]}
      variant="light"
      tt="none"
      fw={600}
      style={nowrap}
      data-testid="work-order-state"
    >
      {WORK_ORDER_STATE_LABELS[state]}
    </Badge>
  );
}

/** "Tue 25 Nov 2025, 09:00 → 11:30" (the end's date only when it differs), or "Not planned". */
export function formatWindow(start: string | null, end: string | null): string {
  if (!start && !end) return "Not planned";
  if (!start || !end) return `${start ? formatDateTime(start) : "?"} → ${end ? formatDateTime(end) : "?"}`;
  const a = new Date(start);
  const b = new Date(end);
  const sameDay = a.toDateString() === b.toDateString();
  const endText = sameDay
    ? b.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" })
    : formatDateTime(end);
  return `${formatDateTime(start)} → ${endText}`;
}

export function PlannedWindow({ start, end }: { start: string | null; end: string | null }) {
  return (
    <Text fz="sm" c={start || end ? undefined : "dimmed"} style={{ whiteSpace: "nowrap" }}>
      {formatWindow(start, end)}
    </Text>
  );
}

/** "2025-11-24T09:00" for a datetime-local field, in the browser's zone. */
export function toLocalInput(iso: string | null | undefined): string {
  if (!iso) return "";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A datetime-local value, read in the browser's zone, as ISO 8601 with that zone's offset; null when empty. */
export function fromLocalInput(local: string): string | null {
  if (!local) return null;
  const d = new Date(local);
  if (Number.isNaN(d.getTime())) return null;
  const pad = (n: number) => String(Math.floor(Math.abs(n))).padStart(2, "0");
  const offset = -d.getTimezoneOffset();
  const sign = offset >= 0 ? "+" : "-";
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:00${sign}${pad(offset / 60)}:${pad(offset % 60)}`;
}

/** The browser's time zone, for field descriptions. */
export function browserZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}
