import { Alert, Anchor, List, Text } from "@mantine/core";
import { IconAlertTriangle, IconCircleCheck } from "@tabler/icons-react";
import { Link } from "@tanstack/react-router";
import type { BulkOutcome } from "./bulk-common.tsx";

/** "7 updated, 2 failed", then each failure with its ticket's number and the server's reason. */
export function BulkSummary({ outcome, onClose }: { outcome: BulkOutcome; onClose: () => void }) {
  const done = outcome.results.filter((r) => r.status < 300).length;
  const failed = outcome.results.filter((r) => r.status >= 300);
  const title = failed.length ? `${done} ${outcome.verb}, ${failed.length} failed` : `${done} ${outcome.verb}`;
  const Icon = failed.length ? IconAlertTriangle : IconCircleCheck;
  return (
    <Alert
      variant="light"
      color={failed.length === 0 ? "teal" : done > 0 ? "orange" : "red"}
      radius="lg"
      mb="sm"
      title={title}
      icon={<Icon size={20} aria-hidden />}
      withCloseButton
      closeButtonLabel="Dismiss the summary"
      onClose={onClose}
      data-testid="bulk-summary"
    >
      {failed.length === 0 ? (
        <Text fz="sm">Every selected ticket was {outcome.verb}.</Text>
      ) : (
        <List size="sm" spacing={4} aria-label="Tickets that were not changed">
          {failed.map((r) => {
            const ticket = outcome.tickets.get(r.id);
            return (
              <List.Item key={r.id}>
                <Anchor
                  renderRoot={(p) => <Link {...p} to="/tickets/$id" params={{ id: r.id }} />}
                  ff="monospace"
                  fz="xs"
                  fw={600}
                >
                  {ticket?.number ?? r.id}
                </Anchor>{" "}
                {ticket && (
                  <Text span fz="sm" c="dimmed">
                    {ticket.title} —{" "}
                  </Text>
                )}
                <Text span fz="sm">
                  {r.detail ?? r.title ?? `refused (${r.status})`}
                </Text>
              </List.Item>
            );
          })}
        </List>
      )}
    </Alert>
  );
}
