import { Button, Group, Modal, Stack, Text } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { FormEvent, ReactNode } from "react";
import type { Ticket } from "../../../../common/tickets.ts";
import { type BulkBody, type BulkResult, bulkTickets } from "../../api/bulk.ts";
import { isApiError } from "../../api/client.ts";
import { keys } from "../../api/queries.ts";
import type { FieldErrors } from "../../lib/form-errors.ts";
import { notifyError } from "../../lib/notify.ts";

export type BulkDialogKind = "assign" | "state" | "priority" | "merge";

/** What a bulk action did: the server's answer per ticket, and the tickets as they were when it was sent. */
export interface BulkOutcome {
  verb: "updated" | "merged";
  results: BulkResult[];
  tickets: Map<string, Ticket>;
}

export interface BulkDialogProps {
  opened: boolean;
  tickets: Ticket[];
  onClose: () => void;
  onDone: (outcome: BulkOutcome) => void;
}

/** Sends one bulk request; afterwards every ticket list, ticket and view count is refreshed. */
export function useBulkAction(props: BulkDialogProps, verb: BulkOutcome["verb"], onError: (error: unknown) => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: BulkBody) => bulkTickets(body),
    onSuccess: async (data) => {
      await queryClient.invalidateQueries({ queryKey: keys.tickets });
      props.onDone({ verb, results: data.results, tickets: new Map(props.tickets.map((t) => [t.id, t])) });
    },
    onError,
  });
}

const sentence = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * A refused request as a whole (the per-ticket refusals come in the answer): errors about a field the
 * dialog shows ("transition.reason" → "reason") go beside it, anything else into a notification.
 */
export function showBulkError(error: unknown, fields: readonly string[], setErrors: (errors: FieldErrors) => void) {
  if (isApiError(error)) {
    const shown: FieldErrors = {};
    for (const [path, message] of Object.entries(error.fieldErrors())) {
      const parts = path.split(".");
      const field = parts.length > 1 ? (parts[1] ?? path) : path;
      if (fields.includes(field)) shown[field] ??= sentence(message);
    }
    if (Object.keys(shown).length > 0) {
      setErrors(shown);
      return;
    }
  }
  notifyError(error, "Could not change the selected tickets");
}

/** "3 tickets", "1 ticket". */
export const ticketCount = (n: number) => `${n} ticket${n === 1 ? "" : "s"}`;

/** The frame every bulk dialog shares: what it applies to, its fields, Cancel and the action. */
export function BulkModal(props: {
  opened: boolean;
  title: string;
  count: number;
  onClose: () => void;
  onSubmit: () => void;
  submitLabel: string;
  loading: boolean;
  color?: string;
  children: ReactNode;
}) {
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    props.onSubmit();
  };
  return (
    <Modal opened={props.opened} onClose={props.onClose} title={props.title} size="md">
      <form onSubmit={onSubmit} noValidate aria-label={props.title}>
        <Stack gap="md">
          <Text fz="sm" c="dimmed">
            Applies to the {ticketCount(props.count)} you selected; each one is checked on its own.
          </Text>
          {props.children}
        </Stack>
        <Group justify="flex-end" mt="xl" gap="sm">
          <Button variant="default" onClick={props.onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={props.loading} color={props.color}>
            {props.submitLabel}
          </Button>
        </Group>
      </form>
    </Modal>
  );
}
