import { Alert, Anchor, Button, Group, Modal, Stack, Text } from "@mantine/core";
import { IconArrowMerge, IconInfoCircle } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate } from "@tanstack/react-router";
import { type FormEvent, useState } from "react";
import type { Ticket } from "../../../../common/tickets.ts";
import { keys } from "../../api/queries.ts";
import { mergeTicket } from "../../api/ticket-extras.ts";
import { getTicket } from "../../api/tickets.ts";
import { handleSaveError } from "../../lib/form-errors.ts";
import { notifySuccess } from "../../lib/notify.ts";
import { sentences } from "./custom-field-input.tsx";
import { TicketSearchPicker, type TicketSummary } from "./ticket-search-picker.tsx";
import { ticketKey } from "./use-ticket.ts";

/** "Merge into…": pick the ticket that continues, read what happens, confirm; then open that ticket. */
export function MergeAction({ ticket }: { ticket: Ticket }) {
  const [open, setOpen] = useState(false);
  if (!ticket.abilities.update) return null;
  return (
    <>
      <Button
        size="sm"
        variant="default"
        leftSection={<IconArrowMerge size={16} aria-hidden />}
        onClick={() => setOpen(true)}
      >
        Merge into…
      </Button>
      <Modal
        opened={open}
        onClose={() => setOpen(false)}
        title={`Merge ${ticket.number} into another ticket`}
        size="lg"
      >
        {open && <MergeForm ticket={ticket} onDone={() => setOpen(false)} />}
      </Modal>
    </>
  );
}

function MergeForm({ ticket, onDone }: { ticket: Ticket; onDone: () => void }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [target, setTarget] = useState<TicketSummary | null>(null);
  const [error, setError] = useState<string | undefined>();
  const mutation = useMutation({
    mutationFn: (t: TicketSummary) => mergeTicket(ticket.id, t.id),
    onSuccess: async (merged, t) => {
      queryClient.setQueryData(ticketKey(ticket.id), merged);
      notifySuccess(`${ticket.number} was merged into ${t.number}.`);
      onDone();
      await navigate({ to: "/tickets/$id", params: { id: t.id } });
      // Both tickets, their timelines and links, and the work lists changed.
      await queryClient.invalidateQueries({ queryKey: keys.tickets });
    },
    onError: (e) =>
      handleSaveError(e, {
        noun: "ticket",
        fields: ["targetId"],
        setFieldErrors: (errors) => setError(sentences(errors).targetId),
      }),
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!target) {
      setError("Choose the ticket to merge into");
      return;
    }
    setError(undefined);
    mutation.mutate(target);
  };
  const into = target?.number ?? "the ticket you choose";
  return (
    <form onSubmit={onSubmit} noValidate aria-label={`Merge ${ticket.number}`}>
      <Stack gap="md">
        <TicketSearchPicker
          label="Merge into"
          description="The ticket that continues"
          value={target}
          onChange={(t) => {
            setTarget(t);
            setError(undefined);
          }}
          exclude={[ticket.id]}
          error={error}
          autoFocus
        />
        <Alert color="orange" variant="light" icon={<IconInfoCircle size={20} aria-hidden />} title="What happens">
          <Text fz="sm">
            The replies and notes of {ticket.number} move to {into}. {ticket.number} becomes read-only and is linked to{" "}
            {into} as its duplicate. This cannot be undone.
          </Text>
        </Alert>
      </Stack>
      <Group justify="flex-end" mt="xl" gap="sm">
        <Button variant="default" onClick={onDone}>
          Cancel
        </Button>
        <Button type="submit" color="orange" loading={mutation.isPending}>
          {target ? `Merge into ${target.number}` : "Merge"}
        </Button>
      </Group>
    </form>
  );
}

/** On a merged ticket: where it went, with a link there. */
export function MergedBanner({ ticket }: { ticket: Ticket }) {
  const targetId = ticket.mergedIntoId;
  const target = useQuery({
    queryKey: ticketKey(targetId ?? ""),
    queryFn: () => getTicket(targetId ?? ""),
    enabled: !!targetId,
    retry: false,
  });
  if (!targetId) return null;
  return (
    <Alert
      color="gray"
      variant="light"
      radius="lg"
      icon={<IconArrowMerge size={20} aria-hidden />}
      title="This ticket was merged"
      data-testid="merged-banner"
    >
      <Text fz="sm">
        It continues in{" "}
        {target.data ? (
          <>
            <Anchor
              renderRoot={(props) => <Link {...props} to="/tickets/$id" params={{ id: targetId }} />}
              fw={600}
              fz="sm"
            >
              {target.data.number}
            </Anchor>{" "}
            · {target.data.title}
          </>
        ) : target.isError ? (
          "a ticket you cannot open"
        ) : (
          "another ticket"
        )}
        . Its replies and notes are there now; this ticket is read-only.
      </Text>
    </Alert>
  );
}
