import { Button, type ButtonProps, Checkbox, Group, Modal, Select, Stack, Text, Textarea } from "@mantine/core";
import { useMutation, useQuery } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import type { Ticket, TransitionInput } from "../../../../common/tickets.ts";
import { findTransition, isTerminal, type Requirement, stateType } from "../../../../common/workflows.ts";
import { keys } from "../../api/queries.ts";
import { listLinks } from "../../api/ticket-extras.ts";
import { listTickets, transitionTicket } from "../../api/tickets.ts";
import { type FieldErrors, handleSaveError } from "../../lib/form-errors.ts";
import { notifySuccess } from "../../lib/notify.ts";
import { HOLD_REASON_OPTIONS, humanize, RESOLUTION_CODE_OPTIONS, stateLabel, transitionLabel } from "./labels.ts";
import { linksKey, useTicketUpdates } from "./use-ticket.ts";

const REQUIREMENTS: Requirement[] = ["reason", "resolutionCode", "resolution", "rootCause", "workaround"];

function buttonLook(to: string): Pick<ButtonProps, "variant" | "color"> {
  if (to === "canceled") return { variant: "subtle", color: "red" };
  if (["resolved", "fulfilled", "closed", "known_error"].includes(to)) return { variant: "filled" };
  return { variant: "default" };
}

/** Server messages start in lower case ("say why the ticket is on hold"); beside a field they read as sentences. */
function sentences(errors: FieldErrors): FieldErrors {
  return Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, v.charAt(0).toUpperCase() + v.slice(1)]));
}

const DONE = ["resolved", "closed"];

/**
 * What follows this ticket when it is resolved or closed and the agent agrees:
 * its open children, and a problem's open incidents when the problem is resolved.
 */
function useFollowers(ticket: Ticket) {
  const links = useQuery({ queryKey: linksKey(ticket.id), queryFn: () => listLinks(ticket.id) });
  const open = { problemId: ticket.id, stateType: "new,open,pending", limit: 100 };
  const incidents = useQuery({
    queryKey: [...keys.tickets, "list", open],
    queryFn: () => listTickets(open),
    enabled: ticket.type === "problem",
  });
  const children = (links.data?.items ?? []).filter(
    (l) => l.kind === "parent_of" && !DONE.includes(l.ticket.stateType),
  ).length;
  return (to: string): Followers | null => {
    if (!DONE.includes(stateType(ticket.type, to) ?? "")) return null;
    const linked = ticket.type === "problem" && to === "resolved" ? (incidents.data?.items.length ?? 0) : 0;
    return children + linked > 0 ? { children, incidents: linked } : null;
  };
}

interface Followers {
  children: number;
  incidents: number;
}

function followersText({ children, incidents }: Followers, to: string): string {
  const parts = [
    ...(children ? [`the ${children === 1 ? "open child ticket" : `${children} open child tickets`}`] : []),
    ...(incidents
      ? [`the ${incidents === 1 ? "open incident" : `${incidents} open incidents`} linked to this problem`]
      : []),
  ];
  return `Also move ${parts.join(" and ")} to ${humanize(to).toLowerCase()}, where their workflow allows`;
}

/** One button per state the caller may move the ticket to. */
export function StateActions({ ticket }: { ticket: Ticket }) {
  const [target, setTarget] = useState<string | null>(null);
  const { saved } = useTicketUpdates(ticket.id);
  const followersFor = useFollowers(ticket);
  const direct = useMutation({
    mutationFn: (to: string) => transitionTicket(ticket.id, { to, version: ticket.version }),
    onSuccess: async (t) => {
      await saved(t);
      notifySuccess(`${t.number} is now ${stateLabel(t.state).toLowerCase()}.`);
    },
    onError: (error) =>
      handleSaveError(error, { noun: "ticket", fields: [], setFieldErrors: () => {}, onConflict: () => saved() }),
  });
  if (ticket.abilities.transitions.length === 0) return null;
  const start = (to: string) => {
    const needs = findTransition(ticket.type, ticket.state, to)?.requires ?? [];
    if (needs.length === 0 && !isTerminal(ticket.type, to) && !followersFor(to)) direct.mutate(to);
    else setTarget(to);
  };
  return (
    <>
      <Group gap="xs" role="group" aria-label="Change state">
        {ticket.abilities.transitions.map((to) => (
          <Button
            key={to}
            size="sm"
            {...buttonLook(to)}
            loading={direct.isPending && direct.variables === to}
            disabled={direct.isPending && direct.variables !== to}
            onClick={() => start(to)}
          >
            {transitionLabel(ticket.state, to)}
          </Button>
        ))}
      </Group>
      <Modal
        opened={target !== null}
        onClose={() => setTarget(null)}
        title={target ? transitionLabel(ticket.state, target) : ""}
        size="md"
      >
        {target && (
          <TransitionForm ticket={ticket} to={target} followers={followersFor(target)} onDone={() => setTarget(null)} />
        )}
      </Modal>
    </>
  );
}

function TransitionForm({
  ticket,
  to,
  followers,
  onDone,
}: {
  ticket: Ticket;
  to: string;
  followers: Followers | null;
  onDone: () => void;
}) {
  const needs = findTransition(ticket.type, ticket.state, to)?.requires ?? [];
  const [values, setValues] = useState<Partial<Record<Requirement, string>>>({});
  const [cascade, setCascade] = useState(true);
  const [errors, setErrors] = useState<FieldErrors>({});
  const { saved } = useTicketUpdates(ticket.id);
  const set = (key: Requirement, value: string | null) => {
    setValues((v) => ({ ...v, [key]: value ?? "" }));
    setErrors(({ [key]: _, ...rest }) => rest);
  };
  const mutation = useMutation({
    mutationFn: () => {
      const body: TransitionInput = { to, version: ticket.version, ...(followers && cascade ? { cascade: true } : {}) };
      for (const key of needs) {
        const value = values[key]?.trim();
        // Left empty, the server names the field: its message goes beside it.
        if (value) Object.assign(body, { [key]: value });
      }
      return transitionTicket(ticket.id, body);
    },
    onSuccess: async (t) => {
      await saved(t);
      notifySuccess(`${t.number} is now ${stateLabel(t.state, t.holdReason).toLowerCase()}.`);
      onDone();
    },
    onError: (error) =>
      handleSaveError(error, {
        noun: "ticket",
        fields: REQUIREMENTS,
        setFieldErrors: (e) => setErrors(sentences(e)),
        onConflict: async () => {
          onDone();
          await saved();
        },
      }),
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setErrors({});
    mutation.mutate();
  };
  const text = (key: Requirement, label: string, description: string) => (
    <Textarea
      key={key}
      label={label}
      description={description}
      withAsterisk
      autosize
      minRows={3}
      maxRows={10}
      value={values[key] ?? ""}
      onChange={(e) => set(key, e.currentTarget.value)}
      error={errors[key]}
    />
  );
  return (
    <form onSubmit={onSubmit} noValidate aria-label={transitionLabel(ticket.state, to)}>
      <Stack gap="md">
        <Text fz="sm" c="dimmed">
          {ticket.number} moves from {stateLabel(ticket.state, ticket.holdReason)} to {humanize(to)}.
          {isTerminal(ticket.type, to) && " It cannot be changed afterwards."}
        </Text>
        {needs.includes("reason") && (
          <Select
            label="Reason"
            description="What the ticket is waiting for; the SLA clock pauses meanwhile"
            withAsterisk
            placeholder="Choose a reason"
            data={HOLD_REASON_OPTIONS}
            value={values.reason || null}
            onChange={(v) => set("reason", v)}
            error={errors.reason}
            comboboxProps={{ withinPortal: true }}
            data-autofocus
          />
        )}
        {needs.includes("resolutionCode") && (
          <Select
            label="Resolution code"
            withAsterisk
            placeholder="How was it resolved?"
            data={RESOLUTION_CODE_OPTIONS}
            value={values.resolutionCode || null}
            onChange={(v) => set("resolutionCode", v)}
            error={errors.resolutionCode}
            comboboxProps={{ withinPortal: true }}
            data-autofocus
          />
        )}
        {needs.includes("resolution") && text("resolution", "Resolution", "What was done; the requester sees this")}
        {needs.includes("rootCause") && text("rootCause", "Root cause", "Why it happened")}
        {needs.includes("workaround") && text("workaround", "Workaround", "How to get going until it is fixed")}
        {followers && (
          <Checkbox
            label={followersText(followers, to)}
            checked={cascade}
            onChange={(e) => setCascade(e.currentTarget.checked)}
          />
        )}
      </Stack>
      <Group justify="flex-end" mt="xl" gap="sm">
        <Button variant="default" onClick={onDone}>
          Cancel
        </Button>
        <Button type="submit" loading={mutation.isPending} color={to === "canceled" ? "red" : undefined}>
          {transitionLabel(ticket.state, to)}
        </Button>
      </Group>
    </form>
  );
}
