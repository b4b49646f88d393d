import {
  ActionIcon,
  Anchor,
  Badge,
  Box,
  Button,
  Group,
  Modal,
  Paper,
  Select,
  Stack,
  Text,
  Title,
  Tooltip,
} from "@mantine/core";
import { IconLink, IconX } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { type FormEvent, useState } from "react";
import type { Ticket } from "../../../../common/tickets.ts";
import type { StateType } from "../../../../common/workflows.ts";
import { addLink, type LinkKind, listLinks, removeLink, type TicketLink } from "../../api/ticket-extras.ts";
import { type FieldErrors, handleSaveError } from "../../lib/form-errors.ts";
import { errorMessage, notifyError, notifySuccess } from "../../lib/notify.ts";
import { sentences } from "./custom-field-input.tsx";
import { StateBadge } from "./ticket-badges.tsx";
import { TicketSearchPicker, type TicketSummary } from "./ticket-search-picker.tsx";
import { linksKey, linksRoot } from "./use-ticket.ts";

/** How this ticket relates to the other one, as a phrase before the other's number. */
const KIND_LABELS: Record<TicketLink["kind"], string> = {
  parent_of: "Parent of",
  child_of: "Child of",
  related: "Related to",
  duplicate_of: "Duplicate of",
  duplicated_by: "Duplicated by",
};
const KIND_OPTIONS: { value: LinkKind; label: string }[] = [
  { value: "related", label: "Related to" },
  { value: "parent_of", label: "Parent of" },
  { value: "child_of", label: "Child of" },
  { value: "duplicate_of", label: "Duplicate of" },
];

function LinkRow(props: { link: TicketLink; onRemove: (() => void) | null; removing: boolean }) {
  const { link, onRemove } = props;
  const other = link.ticket;
  return (
    <Group component="li" gap="xs" wrap="nowrap" justify="space-between" align="flex-start">
      <Box miw={0}>
        <Text fz="xs" c="dimmed">
          {KIND_LABELS[link.kind]}
        </Text>
        <Group gap={6} wrap="nowrap">
          <Anchor
            renderRoot={(rootProps) => <Link {...rootProps} to="/tickets/$id" params={{ id: other.id }} />}
            fz="sm"
            fw={600}
            ff="monospace"
          >
            {other.number}
          </Anchor>
          <StateBadge state={other.state} stateType={other.stateType as StateType} size="sm" />
        </Group>
        <Text fz="sm" lineClamp={2} style={{ overflowWrap: "anywhere" }}>
          {other.title}
        </Text>
      </Box>
      {onRemove && (
        <Tooltip label="Remove link" withinPortal>
          <ActionIcon
            variant="subtle"
            color="gray"
            size="sm"
            aria-label={`Remove link to ${other.number}`}
            loading={props.removing}
            onClick={onRemove}
          >
            <IconX size={14} aria-hidden />
          </ActionIcon>
        </Tooltip>
      )}
    </Group>
  );
}

/**
 * Parent, child, related and duplicate tickets. A "duplicated by" link belongs to the duplicate: it is
 * removed from there (the API takes the kind as this ticket relates to the other).
 */
export function TicketLinks({ ticket }: { ticket: Ticket }) {
  const queryClient = useQueryClient();
  const [adding, setAdding] = useState(false);
  const links = useQuery({
    queryKey: linksKey(ticket.id),
    queryFn: () => listLinks(ticket.id),
    select: (d) => d.items,
  });
  const remove = useMutation({
    mutationFn: (link: TicketLink) => removeLink(ticket.id, link.ticket.id, link.kind as LinkKind),
    onSuccess: async (_, link) => {
      notifySuccess(`The link to ${link.ticket.number} was removed.`);
      await queryClient.invalidateQueries({ queryKey: linksRoot });
    },
    onError: (error) => notifyError(error, "Could not remove the link"),
  });
  const editable = ticket.abilities.update;
  const items = links.data ?? [];

  return (
    <Paper withBorder p="md" radius="lg" component="section" aria-labelledby="ticket-links-title">
      <Group justify="space-between" mb="sm" gap="xs">
        <Group gap={6}>
          <Title order={2} fz="md" id="ticket-links-title">
            Linked tickets
          </Title>
          <Badge variant="light" color="gray" size="sm">
            {items.length}
          </Badge>
        </Group>
        {editable && (
          <Button
            size="compact-sm"
            variant="light"
            leftSection={<IconLink size={14} aria-hidden />}
            onClick={() => setAdding(true)}
          >
            Link a ticket
          </Button>
        )}
      </Group>
      {links.isError ? (
        <Text fz="sm" c="red">
          {errorMessage(links.error)}
        </Text>
      ) : items.length ? (
        <Stack component="ul" gap="sm" p={0} m={0} aria-label="Linked tickets" style={{ listStyle: "none" }}>
          {items.map((link) => (
            <LinkRow
              key={`${link.kind}-${link.ticket.id}`}
              link={link}
              onRemove={editable && link.kind !== "duplicated_by" ? () => remove.mutate(link) : null}
              removing={remove.isPending && remove.variables === link}
            />
          ))}
        </Stack>
      ) : (
        <Text fz="sm" c="dimmed">
          {links.isLoading ? "Loading links…" : "No linked tickets."}
        </Text>
      )}
      <Modal opened={adding} onClose={() => setAdding(false)} title="Link a ticket" size="md">
        {adding && <AddLinkForm ticket={ticket} onDone={() => setAdding(false)} />}
      </Modal>
    </Paper>
  );
}

function AddLinkForm({ ticket, onDone }: { ticket: Ticket; onDone: () => void }) {
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<LinkKind>("related");
  const [target, setTarget] = useState<TicketSummary | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const mutation = useMutation({
    mutationFn: (t: TicketSummary) => addLink(ticket.id, { targetId: t.id, kind }),
    onSuccess: async (_, t) => {
      notifySuccess(`${ticket.number} is now linked to ${t.number}.`);
      await queryClient.invalidateQueries({ queryKey: linksRoot });
      onDone();
    },
    onError: (error) =>
      handleSaveError(error, {
        noun: "link",
        fields: ["targetId", "kind"],
        // "cycle" alone says little: the problem's detail explains it.
        setFieldErrors: (e) =>
          setErrors(sentences(e.kind === "cycle" ? { ...e, kind: "That would make a ticket its own ancestor" } : e)),
      }),
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!target) {
      setErrors({ targetId: "Choose a ticket" });
      return;
    }
    setErrors({});
    mutation.mutate(target);
  };
  return (
    <form onSubmit={onSubmit} noValidate aria-label="Link a ticket">
      <Stack gap="md">
        <Select
          label={`${ticket.number} is`}
          data={KIND_OPTIONS}
          value={kind}
          allowDeselect={false}
          onChange={(v) => {
            if (v) setKind(v as LinkKind);
            setErrors(({ kind: _, ...rest }) => rest);
          }}
          error={errors.kind}
          comboboxProps={{ withinPortal: true }}
        />
        <TicketSearchPicker
          label="Ticket"
          value={target}
          onChange={(t) => {
            setTarget(t);
            setErrors(({ targetId: _, ...rest }) => rest);
          }}
          exclude={[ticket.id]}
          error={errors.targetId}
          autoFocus
        />
      </Stack>
      <Group justify="flex-end" mt="xl" gap="sm">
        <Button variant="default" onClick={onDone}>
          Cancel
        </Button>
        <Button type="submit" loading={mutation.isPending}>
          Add link
        </Button>
      </Group>
    </form>
  );
}
