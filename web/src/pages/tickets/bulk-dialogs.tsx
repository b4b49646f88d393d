import { Badge, Group, Select, Text } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { Ticket } from "../../../../common/tickets.ts";
import { keys, priorityMatrixQuery } from "../../api/queries.ts";
import { listTickets } from "../../api/tickets.ts";
import type { FieldErrors } from "../../lib/form-errors.ts";
import { type BulkDialogProps, BulkModal, showBulkError, ticketCount, useBulkAction } from "./bulk-common.tsx";
import { LEVEL_OPTIONS, PRIORITY_LABELS } from "./labels.ts";
import { PriorityBadge } from "./ticket-badges.tsx";
import { GroupSelect, UserSelect } from "./ticket-pickers.tsx";

const UNASSIGNED = [{ value: "none", label: "Unassigned" }];

/** Set the group, the assignee or both; what is left empty stays as it is. */
export function BulkAssignDialog(props: BulkDialogProps) {
  const [groupId, setGroupId] = useState<string | null>(null);
  const [assigneeId, setAssigneeId] = useState<string | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const mutation = useBulkAction(props, "updated", (e) => showBulkError(e, ["groupId", "assigneeId"], setErrors));
  const submit = () => {
    if (!groupId && !assigneeId) return setErrors({ groupId: "Choose a group, an assignee or both" });
    setErrors({});
    mutation.mutate({
      ids: props.tickets.map((t) => t.id),
      update: {
        ...(groupId ? { groupId } : {}),
        ...(assigneeId ? { assigneeId: assigneeId === "none" ? null : assigneeId } : {}),
      },
    });
  };
  return (
    <BulkModal
      opened={props.opened}
      title="Assign tickets"
      count={props.tickets.length}
      onClose={props.onClose}
      onSubmit={submit}
      submitLabel={`Assign ${ticketCount(props.tickets.length)}`}
      loading={mutation.isPending}
    >
      <GroupSelect
        label="Group"
        placeholder="Keep each ticket's group"
        value={groupId}
        onChange={(v) => {
          setGroupId(v);
          setErrors({});
        }}
        error={errors.groupId}
      />
      <UserSelect
        label="Assignee"
        placeholder="Keep each ticket's assignee"
        kind="agent"
        extra={UNASSIGNED}
        value={assigneeId}
        onChange={(v) => {
          setAssigneeId(v);
          setErrors({});
        }}
        error={errors.assigneeId}
      />
    </BulkModal>
  );
}

/** Impact and urgency, one or both; the priority follows from the matrix. */
export function BulkPriorityDialog(props: BulkDialogProps) {
  const [impact, setImpact] = useState<string | null>(null);
  const [urgency, setUrgency] = useState<string | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const matrix = useQuery(priorityMatrixQuery);
  const mutation = useBulkAction(props, "updated", (e) => showBulkError(e, ["impact", "urgency"], setErrors));
  const priority = impact && urgency ? matrix.data?.get(`${impact}-${urgency}`) : undefined;
  const submit = () => {
    if (!impact && !urgency) return setErrors({ impact: "Choose an impact, an urgency or both" });
    setErrors({});
    mutation.mutate({
      ids: props.tickets.map((t) => t.id),
      update: { ...(impact ? { impact: Number(impact) } : {}), ...(urgency ? { urgency: Number(urgency) } : {}) },
    });
  };
  const level = (value: string | null, set: (v: string | null) => void, label: string, description: string) => ({
    label,
    description,
    placeholder: "Keep each ticket's",
    data: LEVEL_OPTIONS,
    value,
    clearable: true,
    onChange: (v: string | null) => {
      set(v);
      setErrors({});
    },
    comboboxProps: { withinPortal: true },
  });
  return (
    <BulkModal
      opened={props.opened}
      title="Change priority"
      count={props.tickets.length}
      onClose={props.onClose}
      onSubmit={submit}
      submitLabel="Change priority"
      loading={mutation.isPending}
    >
      <Select {...level(impact, setImpact, "Impact", "How many people or services it affects")} error={errors.impact} />
      <Select {...level(urgency, setUrgency, "Urgency", "How soon it hurts")} error={errors.urgency} />
      <Group gap="xs" mih={26} aria-live="polite">
        {priority && (
          <>
            <Text fz="sm">Priority becomes</Text>
            <PriorityBadge priority={priority} />
            <Text fz="sm" c="dimmed">
              {PRIORITY_LABELS[priority]}
            </Text>
          </>
        )}
      </Group>
    </BulkModal>
  );
}

type Option = { value: string; label: string };
const optionOf = (t: Pick<Ticket, "id" | "number" | "title">): Option => ({
  value: t.id,
  label: `${t.number} · ${t.title}`,
});

/** Merge into one of the selected tickets or any other open one (searched by number or words). */
export function BulkMergeDialog(props: BulkDialogProps) {
  const [target, setTarget] = useState<Option | null>(null);
  const [search, setSearch] = useState("");
  const [q] = useDebouncedValue(search.trim(), 250);
  const [errors, setErrors] = useState<FieldErrors>({});
  const found = useQuery({
    queryKey: [...keys.tickets, "list", "merge-target", q],
    queryFn: () => listTickets({ q: q || undefined, stateType: "new,open,pending", limit: 10 }),
    placeholderData: keepPreviousData,
    enabled: q.length > 0 && q !== target?.label,
  });
  const options = new Map<string, Option>();
  for (const o of [
    ...(target ? [target] : []),
    ...props.tickets.map(optionOf),
    ...(found.data?.items ?? []).map(optionOf),
  ])
    options.set(o.value, o);
  const merged = props.tickets.filter((t) => t.id !== target?.value);
  const mutation = useBulkAction(props, "merged", (e) => showBulkError(e, ["mergeInto"], setErrors));
  const submit = () => {
    if (!target) return setErrors({ mergeInto: "Choose the ticket to merge into" });
    if (merged.length === 0) return setErrors({ mergeInto: "Choose a ticket other than the one selected" });
    setErrors({});
    mutation.mutate({ ids: merged.map((t) => t.id), mergeInto: target.value });
  };
  return (
    <BulkModal
      opened={props.opened}
      title="Merge tickets"
      count={props.tickets.length}
      onClose={props.onClose}
      onSubmit={submit}
      submitLabel={target ? `Merge ${ticketCount(merged.length)}` : "Merge"}
      loading={mutation.isPending}
      color="red"
    >
      <Select
        label="Merge into"
        description="One of the selected tickets, or search by number or title"
        placeholder="INC-123 or a few words"
        withAsterisk
        searchable
        data={[...options.values()]}
        value={target?.value ?? null}
        onChange={(value) => {
          setTarget(value ? (options.get(value) ?? null) : null);
          setErrors({});
        }}
        searchValue={search}
        onSearchChange={setSearch}
        nothingFoundMessage={found.isFetching ? "Searching…" : "No open ticket found"}
        error={errors.mergeInto}
        comboboxProps={{ withinPortal: true }}
        openOnFocus={false}
        data-autofocus
      />
      {target && merged.length > 0 && (
        <Text fz="sm">
          <Badge variant="light" color="gray" tt="none" mr={6}>
            {ticketCount(merged.length)}
          </Badge>
          become read-only and point to {target.label.split(" · ")[0]}; their replies, notes and attachments move there.
        </Text>
      )}
    </BulkModal>
  );
}
