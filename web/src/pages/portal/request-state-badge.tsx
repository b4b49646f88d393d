import { Badge } from "@mantine/core";
import type { Ticket } from "../../../../common/tickets.ts";
import { customerState } from "./portal-labels.ts";

export function RequestStateBadge({ ticket, size }: { ticket: Ticket; size?: "sm" | "md" | "lg" }) {
  const { label, color } = customerState(ticket);
  return (
    <Badge color={color} variant="light" tt="none" fw={600} size={size} style={{ minWidth: "max-content" }}>
      {label}
    </Badge>
  );
}
