import { Badge, Button, Group, Paper, Stack, Text, Title } from "@mantine/core";
import { IconPencil } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { Ticket } from "../../../../common/tickets.ts";
import { cmdbKeys, listCis, listTicketCis, setTicketCis } from "../../api/cmdb.ts";
import { can, useMe } from "../../auth.tsx";
import { handleSaveError } from "../../lib/form-errors.ts";
import { errorMessage, notifySuccess } from "../../lib/notify.ts";
import { CiMultiSelect } from "../cmdb/ci-picker.tsx";
import { CiLink, IncidentBadge } from "../cmdb/cmdb-badges.tsx";
import { useOrganizationNames } from "../cmdb/use-cmdb.ts";

/**
 * The configuration items and services this ticket affects (for agents who may read the CMDB). Those who
 * may edit the ticket pick them, the requester's organization's CIs offered first.
 */
export function TicketCis({ ticket }: { ticket: Ticket }) {
  const me = useMe();
  if (!can(me, "cmdb.read")) return null;
  return <TicketCisPanel ticket={ticket} />;
}

function TicketCisPanel({ ticket }: { ticket: Ticket }) {
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [picked, setPicked] = useState<string[]>([]);
  const [error, setError] = useState<string | undefined>();
  const linked = useQuery({
    queryKey: cmdbKeys.ticketCis(ticket.id),
    queryFn: () => listTicketCis(ticket.id),
    select: (d) => d.items,
  });
  const orgId = ticket.organizationId;
  const orgNames = useOrganizationNames([orgId]);
  const suggested = useQuery({
    queryKey: [...cmdbKeys.cis, "organization", orgId],
    queryFn: () => listCis({ organizationId: orgId ?? undefined, limit: 50 }),
    enabled: editing && !!orgId,
    select: (d) => d.items,
  });
  const save = useMutation({
    mutationFn: (ids: string[]) => setTicketCis(ticket.id, ids),
    onSuccess: async (answer) => {
      queryClient.setQueryData(cmdbKeys.ticketCis(ticket.id), answer);
      setEditing(false);
      setError(undefined);
      notifySuccess(
        answer.items.length
          ? `${ticket.number} affects ${answer.items.length} ${answer.items.length === 1 ? "CI" : "CIs"}.`
          : `No CI is linked to ${ticket.number} now.`,
      );
      // Impact answers and derived incident states may have changed.
      await queryClient.invalidateQueries({ queryKey: cmdbKeys.root });
    },
    onError: (e) =>
      handleSaveError(e, {
        noun: "affected CIs",
        fields: ["ciIds"],
        setFieldErrors: (errors) => setError(errors.ciIds),
      }),
  });
  const items = linked.data ?? [];
  const editable = ticket.abilities.update;
  const startEditing = () => {
    setPicked(items.map((c) => c.id));
    setError(undefined);
    setEditing(true);
  };
  const orgName = orgId ? orgNames.get(orgId) : undefined;

  return (
    <Paper withBorder p="md" radius="lg" component="section" aria-labelledby="ticket-cis-title">
      <Group justify="space-between" mb="sm" gap="xs">
        <Group gap={6}>
          <Title order={2} fz="md" id="ticket-cis-title">
            Affected CIs
          </Title>
          <Badge variant="light" color="gray" size="sm">
            {items.length}
          </Badge>
        </Group>
        {editable && !editing && (
          <Button
            size="compact-sm"
            variant="light"
            leftSection={<IconPencil size={14} aria-hidden />}
            onClick={startEditing}
          >
            {items.length ? "Edit" : "Link CIs"}
          </Button>
        )}
      </Group>
      {editing ? (
        <Stack gap="sm">
          <CiMultiSelect
            label="Configuration items and services"
            value={picked}
            onChange={(ids) => {
              setPicked(ids);
              setError(undefined);
            }}
            suggestions={
              suggested.data?.length
                ? { label: orgName ? `${orgName}'s CIs` : "The requester's organization", items: suggested.data }
                : undefined
            }
            description={orgId ? "The requester's organization's CIs are offered first" : undefined}
            error={error}
            autoFocus
          />
          <Group justify="flex-end" gap="xs">
            <Button size="xs" variant="default" onClick={() => setEditing(false)}>
              Cancel
            </Button>
            <Button size="xs" loading={save.isPending} onClick={() => save.mutate(picked)}>
              Save
            </Button>
          </Group>
        </Stack>
      ) : linked.isError ? (
        <Text fz="sm" c="red">
          {errorMessage(linked.error)}
        </Text>
      ) : items.length ? (
        <Stack component="ul" gap={8} p={0} m={0} aria-label="Affected CIs" style={{ listStyle: "none" }}>
          {items.map((c) => (
            <Group component="li" key={c.id} gap="xs" justify="space-between" wrap="nowrap">
              <div style={{ minWidth: 0 }}>
                <CiLink id={c.id} name={c.name} number={c.number} />
                <Text fz="xs" c="dimmed">
                  {c.className}
                </Text>
              </div>
              <IncidentBadge state={c.incidentState} size="sm" />
            </Group>
          ))}
        </Stack>
      ) : (
        <Text fz="sm" c="dimmed">
          {linked.isLoading ? "Loading…" : "No configuration item is linked."}
        </Text>
      )}
    </Paper>
  );
}
