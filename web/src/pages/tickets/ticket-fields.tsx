import { Divider, Group, Paper, Select, SimpleGrid, Stack, TagsInput, Text, Title } from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import type { Ticket, TicketUpdate } from "../../../../common/tickets.ts";
import { updateTicket } from "../../api/tickets.ts";
import { type FieldErrors, handleSaveError } from "../../lib/form-errors.ts";
import { formatRelative } from "../../lib/format.ts";
import { notifySuccess } from "../../lib/notify.ts";
import { OrganizationSelect } from "../admin/entity-selects.tsx";
import { LEVEL_OPTIONS, PRIORITY_LABELS } from "./labels.ts";
import { PriorityBadge } from "./ticket-badges.tsx";
import { TicketCustomFields } from "./ticket-custom-fields.tsx";
import { CategorySelect, GroupSelect, UserSelect } from "./ticket-pickers.tsx";
import { ProblemLink } from "./ticket-problem.tsx";
import { ticketWriteScope, useLatestTicket, useTicketUpdates } from "./use-ticket.ts";

const FIELDS = [
  "groupId",
  "assigneeId",
  "requesterId",
  "organizationId",
  "categoryId",
  "impact",
  "urgency",
  "tags",
  "problemId",
];

function Fact({ label, value }: { label: string; value: string }) {
  return (
    <Group justify="space-between" gap="xs" wrap="nowrap">
      <Text fz="xs" c="dimmed">
        {label}
      </Text>
      <Text fz="xs">{value}</Text>
    </Group>
  );
}

/**
 * The ticket's fields. Each change saves at once with the version it was made on; a 409 reloads the
 * ticket and says why. Read-only when the caller may not update it.
 */
export function TicketFields({ ticket }: { ticket: Ticket }) {
  const [errors, setErrors] = useState<FieldErrors>({});
  const { saved, reload } = useTicketUpdates(ticket.id);
  const latest = useLatestTicket(ticket);
  const mutation = useMutation({
    scope: ticketWriteScope(ticket.id),
    mutationFn: (patch: Omit<TicketUpdate, "version">) =>
      updateTicket(ticket.id, { ...patch, version: latest().version }),
    onSuccess: async (t) => {
      await saved(t);
      notifySuccess(`${t.number} was saved.`);
    },
    onError: (error) =>
      handleSaveError(error, { noun: "ticket", fields: FIELDS, setFieldErrors: setErrors, onConflict: reload }),
  });
  const readOnly = !ticket.abilities.update;
  const disabled = readOnly || mutation.isPending;
  const save = (field: string, patch: Omit<TicketUpdate, "version">) => {
    setErrors(({ [field]: _, ...rest }) => rest);
    mutation.mutate(patch);
  };

  return (
    <Paper withBorder p="md" radius="lg" component="section" aria-labelledby="ticket-fields-title">
      <Title order={2} fz="md" mb="sm" id="ticket-fields-title">
        Details
      </Title>
      <Stack gap="sm">
        <GroupSelect
          label="Group"
          clearable={false}
          value={ticket.groupId}
          onChange={(v) => v && v !== ticket.groupId && save("groupId", { groupId: v })}
          error={errors.groupId}
          disabled={disabled}
        />
        <UserSelect
          label="Assignee"
          kind="agent"
          placeholder="Unassigned"
          value={ticket.assigneeId}
          onChange={(v) => v !== ticket.assigneeId && save("assigneeId", { assigneeId: v })}
          error={errors.assigneeId}
          disabled={disabled}
        />
        <UserSelect
          label="Requester"
          placeholder="Nobody"
          value={ticket.requesterId}
          onChange={(v) => v !== ticket.requesterId && save("requesterId", { requesterId: v })}
          error={errors.requesterId}
          disabled={disabled}
        />
        <OrganizationSelect
          label="Organization"
          description=""
          value={ticket.organizationId}
          onChange={(v) => v !== ticket.organizationId && save("organizationId", { organizationId: v })}
          error={errors.organizationId}
          disabled={disabled}
        />
        <CategorySelect
          label="Category"
          placeholder="None"
          value={ticket.categoryId}
          onChange={(v) => v !== ticket.categoryId && save("categoryId", { categoryId: v })}
          error={errors.categoryId}
          disabled={disabled}
        />
        <SimpleGrid cols={2} spacing="sm">
          <Select
            label="Impact"
            data={LEVEL_OPTIONS}
            value={String(ticket.impact)}
            allowDeselect={false}
            onChange={(v) => v && Number(v) !== ticket.impact && save("impact", { impact: Number(v) })}
            error={errors.impact}
            disabled={disabled}
          />
          <Select
            label="Urgency"
            data={LEVEL_OPTIONS}
            value={String(ticket.urgency)}
            allowDeselect={false}
            onChange={(v) => v && Number(v) !== ticket.urgency && save("urgency", { urgency: Number(v) })}
            error={errors.urgency}
            disabled={disabled}
          />
        </SimpleGrid>
        <Group gap="xs">
          <Text fz="sm" c="dimmed">
            Priority
          </Text>
          <PriorityBadge priority={ticket.priority} />
          <Text fz="sm">{PRIORITY_LABELS[ticket.priority]}</Text>
        </Group>
        <TagsInput
          label="Tags"
          placeholder={readOnly ? undefined : "Add a tag and press Enter"}
          value={ticket.tags}
          onChange={(tags) => save("tags", { tags })}
          error={errors.tags}
          disabled={disabled}
          clearable
        />
        {ticket.type === "incident" && (
          <ProblemLink
            ticket={ticket}
            disabled={disabled}
            error={errors.problemId}
            onChange={(problemId) => save("problemId", { problemId })}
          />
        )}
        <TicketCustomFields ticket={ticket} disabled={readOnly} />
        <Divider my={4} />
        <Stack gap={4}>
          <Fact label="Created" value={formatRelative(ticket.createdAt)} />
          <Fact label="Updated" value={formatRelative(ticket.updatedAt)} />
          <Fact label="First response" value={formatRelative(ticket.firstResponseAt, "Not yet")} />
          {ticket.resolvedAt && <Fact label="Resolved" value={formatRelative(ticket.resolvedAt)} />}
          {ticket.closedAt && <Fact label="Closed" value={formatRelative(ticket.closedAt)} />}
        </Stack>
      </Stack>
    </Paper>
  );
}
