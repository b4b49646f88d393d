import { Badge, type BadgeProps } from "@mantine/core";
import type { StateType, TicketType } from "../../../../common/workflows.ts";
import { PRIORITY_COLORS, PRIORITY_LABELS, STATE_TYPE_COLORS, stateLabel, TYPE_LABELS } from "./labels.ts";

const nowrap = { minWidth: "max-content" } as const;

export function PriorityBadge({ priority, size }: { priority: string; size?: BadgeProps["size"] }) {
  return (
    <Badge
      color={PRIORITY_COLORS[priority] ?? "gray"}
      variant={priority === "P1" ? "filled" : "light"}
      size={size}
      style={nowrap}
      title={`Priority ${priority}: ${PRIORITY_LABELS[priority] ?? ""}`}
    >
      {priority}
    </Badge>
  );
}

export function StateBadge(props: {
  state: string;
  stateType: StateType;
  holdReason?: string | null;
  size?: BadgeProps["size"];
}) {
  return (
    <Badge
      color={STATE_TYPE_COLORS[props.stateType]}
      variant="dot"
      size={props.size}
      tt="none"
      fw={600}
      style={nowrap}
      data-testid="state-badge"
    >
      {stateLabel(props.state, props.holdReason)}
    </Badge>
  );
}

export function TypeBadge({ type }: { type: TicketType }) {
  return (
    <Badge color="gray" variant="outline" tt="none" fw={500} style={nowrap}>
      {TYPE_LABELS[type]}
    </Badge>
  );
}
