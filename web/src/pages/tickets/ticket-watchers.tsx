import { ActionIcon, Avatar, Badge, Box, Button, Group, Paper, Stack, Text, Title, Tooltip } from "@mantine/core";
import { IconEye, IconEyeOff, IconX } from "@tabler/icons-react";
import { useMutation } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import type { Ticket } from "../../../../common/tickets.ts";
import { updateTicket } from "../../api/tickets.ts";
import { useMe } from "../../auth.tsx";
import { initials } from "../../layout/user-menu.tsx";
import { handleSaveError } from "../../lib/form-errors.ts";
import { notifySuccess } from "../../lib/notify.ts";
import { UserSelect } from "./ticket-pickers.tsx";
import { useUserNames } from "./use-names.ts";
import { ticketWriteScope, useLatestTicket, useTicketUpdates } from "./use-ticket.ts";

interface Change {
  add?: string;
  remove?: string;
  /** Said once it is saved: "You are watching INC-000012". */
  done: (number: string) => string;
}

/**
 * Who follows the ticket. Agents add and remove watchers (PATCH `watcherIds` with the version), and
 * watch or stop watching it themselves with one button.
 */
export function TicketWatchers({ ticket }: { ticket: Ticket }) {
  const me = useMe();
  const names = useUserNames(ticket.watcherIds);
  const [error, setError] = useState<string | undefined>();
  // The picker starts empty again after each addition; focus stays in it for the next one.
  const [picker, setPicker] = useState(0);
  const pickerBox = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (picker > 0) pickerBox.current?.querySelector("input")?.focus();
  }, [picker]);
  const { saved, reload } = useTicketUpdates(ticket.id);
  const latest = useLatestTicket(ticket);
  const mutation = useMutation({
    scope: ticketWriteScope(ticket.id),
    mutationFn: ({ add, remove }: Change) => {
      // Built from the ticket as it is now, so changes made in quick succession all count.
      const current = latest();
      const ids = current.watcherIds.filter((w) => w !== remove);
      if (add && !ids.includes(add)) ids.push(add);
      return updateTicket(ticket.id, { watcherIds: ids, version: current.version });
    },
    onSuccess: async (t, change) => {
      setError(undefined);
      await saved(t);
      notifySuccess(change.done(t.number));
    },
    onError: (e) =>
      handleSaveError(e, {
        noun: "ticket",
        fields: ["watcherIds"],
        setFieldErrors: (errors) => setError(errors.watcherIds),
        onConflict: reload,
      }),
  });
  const disabled = !ticket.abilities.update;
  const watching = !!me && ticket.watcherIds.includes(me.id);
  const name = (id: string) => names.get(id) ?? (id === me?.id ? me.name : "…");

  return (
    <Paper withBorder p="md" radius="lg" component="section" aria-labelledby="ticket-watchers-title">
      <Group justify="space-between" mb="sm" gap="xs">
        <Group gap={6}>
          <Title order={2} fz="md" id="ticket-watchers-title">
            Watchers
          </Title>
          <Badge variant="light" color="gray" size="sm">
            {ticket.watcherIds.length}
          </Badge>
        </Group>
        {me && !disabled && (
          <Button
            size="compact-sm"
            variant={watching ? "default" : "light"}
            leftSection={watching ? <IconEyeOff size={14} aria-hidden /> : <IconEye size={14} aria-hidden />}
            onClick={() =>
              mutation.mutate(
                watching
                  ? { remove: me.id, done: (n) => `You stopped watching ${n}.` }
                  : { add: me.id, done: (n) => `You are watching ${n}.` },
              )
            }
          >
            {watching ? "Stop watching" : "Watch"}
          </Button>
        )}
      </Group>
      <Stack gap="sm">
        {ticket.watcherIds.length === 0 ? (
          <Text fz="sm" c="dimmed">
            Nobody is watching this ticket.
          </Text>
        ) : (
          <Stack component="ul" gap={6} p={0} m={0} aria-label="Watchers" style={{ listStyle: "none" }}>
            {ticket.watcherIds.map((id) => (
              <Group component="li" key={id} justify="space-between" gap="xs" wrap="nowrap">
                <Group gap="xs" wrap="nowrap">
                  <Avatar size={24} radius="xl" color="indigo">
                    {initials(name(id))}
                  </Avatar>
                  <Text fz="sm">
                    {name(id)}
                    {id === me?.id && (
                      <Text span c="dimmed" fz="sm">
                        {" "}
                        (you)
                      </Text>
                    )}
                  </Text>
                </Group>
                {!disabled && (
                  <Tooltip label="Remove from watchers" withinPortal>
                    <ActionIcon
                      variant="subtle"
                      color="gray"
                      size="sm"
                      aria-label={`Remove ${name(id)} from watchers`}
                      onClick={() =>
                        mutation.mutate({ remove: id, done: (n) => `${name(id)} no longer watches ${n}.` })
                      }
                    >
                      <IconX size={14} aria-hidden />
                    </ActionIcon>
                  </Tooltip>
                )}
              </Group>
            ))}
          </Stack>
        )}
        {!disabled && (
          <Box ref={pickerBox}>
            <UserSelect
              key={picker}
              label="Add a watcher"
              placeholder="Search people"
              value={null}
              onChange={(id) => {
                if (!id || ticket.watcherIds.includes(id)) return;
                setPicker((n) => n + 1);
                mutation.mutate({ add: id, done: (n) => `Watcher added to ${n}.` });
              }}
              error={error}
            />
          </Box>
        )}
      </Stack>
    </Paper>
  );
}
