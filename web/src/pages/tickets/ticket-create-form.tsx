import { Group, Input, SegmentedControl, Select, SimpleGrid, Stack, Text, Textarea, TextInput } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import type { CustomField } from "../../../../common/custom-fields.ts";
import type { Ticket, TicketCreate } from "../../../../common/tickets.ts";
import { DEFAULT_PRIORITY_MATRIX, type TicketType } from "../../../../common/workflows.ts";
import { setTicketCis } from "../../api/cmdb.ts";
import { keys, priorityMatrixQuery } from "../../api/queries.ts";
import { createTicket } from "../../api/tickets.ts";
import { type FieldErrors, handleSaveError } from "../../lib/form-errors.ts";
import { textToHtml } from "../../lib/html.ts";
import { notifyError } from "../../lib/notify.ts";
import { FormActions } from "../admin/form-drawer.tsx";
import { NewTicketCustomFields, newTicketValues, sentences, useCustomFieldDefs } from "./custom-field-input.tsx";
import { LEVEL_OPTIONS, PRIORITY_LABELS, TYPE_OPTIONS } from "./labels.ts";
import { NewTicketCis } from "./new-ticket-cis.tsx";
import { PriorityBadge } from "./ticket-badges.tsx";
import { CategorySelect, GroupSelect, UserSelect } from "./ticket-pickers.tsx";

interface Values {
  type: TicketType;
  title: string;
  description: string;
  impact: string;
  urgency: string;
  groupId: string | null;
  assigneeId: string | null;
  requesterId: string | null;
  categoryId: string | null;
  customFields: Record<string, unknown>;
}

const FIELDS = [
  "type",
  "title",
  "description",
  "impact",
  "urgency",
  "groupId",
  "assigneeId",
  "requesterId",
  "categoryId",
  "customFields",
];

function body(v: Values, defs: CustomField[]): TicketCreate {
  const out: TicketCreate = {
    type: v.type,
    title: v.title.trim(),
    description: textToHtml(v.description),
    impact: Number(v.impact),
    urgency: Number(v.urgency),
  };
  if (v.groupId) out.groupId = v.groupId;
  if (v.assigneeId) out.assigneeId = v.assigneeId;
  if (v.requesterId) out.requesterId = v.requesterId;
  if (v.categoryId) out.categoryId = v.categoryId;
  const customFields = newTicketValues(defs, v.customFields);
  if (Object.keys(customFields).length) out.customFields = customFields;
  return out;
}

/** Impact × urgency → priority, as the server will compute it; the built-in matrix until the admin's arrives. */
export function usePriorityPreview(impact: string, urgency: string): string {
  const matrix = useQuery(priorityMatrixQuery);
  const key = `${impact}-${urgency}`;
  return matrix.data?.get(key) ?? DEFAULT_PRIORITY_MATRIX[key] ?? "P3";
}

export function TicketCreateForm({ onCreated, onCancel }: { onCreated: (t: Ticket) => void; onCancel: () => void }) {
  const queryClient = useQueryClient();
  const [values, setValues] = useState<Values>({
    type: "incident",
    title: "",
    description: "",
    impact: "2",
    urgency: "2",
    groupId: null,
    assigneeId: null,
    requesterId: null,
    categoryId: null,
    customFields: {},
  });
  const [errors, setErrors] = useState<FieldErrors>({});
  const set = <K extends keyof Values>(key: K, value: Values[K]) => {
    setValues((v) => ({ ...v, [key]: value }));
    setErrors(({ [key]: _, ...rest }) => rest);
  };
  const setCustom = (key: string, value: unknown) => {
    setValues((v) => ({ ...v, customFields: { ...v.customFields, [key]: value } }));
    setErrors(({ [`customFields.${key}`]: _, ...rest }) => rest);
  };
  const priority = usePriorityPreview(values.impact, values.urgency);
  const defs = useCustomFieldDefs(values.type);

  const [ciIds, setCiIds] = useState<string[]>([]);
  const mutation = useMutation({
    mutationFn: async () => {
      const ticket = await createTicket(body(values, defs.data ?? []));
      if (ciIds.length) {
        try {
          await setTicketCis(ticket.id, ciIds);
        } catch (error) {
          // The ticket exists: say what did not stick rather than failing the whole form.
          notifyError(error, `${ticket.number} was created, but its CIs could not be linked`);
        }
      }
      return ticket;
    },
    onSuccess: async (ticket) => {
      await queryClient.invalidateQueries({ queryKey: keys.tickets });
      onCreated(ticket);
    },
    onError: (error) =>
      handleSaveError(error, {
        noun: "ticket",
        fields: FIELDS,
        paths: true,
        setFieldErrors: (e) => setErrors(sentences(e)),
      }),
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!values.title.trim()) {
      setErrors({ title: "Enter a title" });
      return;
    }
    setErrors({});
    mutation.mutate();
  };

  return (
    <form onSubmit={onSubmit} noValidate aria-label="New ticket">
      <Stack gap="md">
        <Input.Wrapper id="ticket-type" label="Type" labelElement="div" error={errors.type}>
          <SegmentedControl
            aria-labelledby="ticket-type-label"
            fullWidth
            mt={4}
            value={values.type}
            onChange={(v) => set("type", v as TicketType)}
            data={TYPE_OPTIONS}
          />
        </Input.Wrapper>
        <TextInput
          label="Title"
          required
          placeholder="What is wrong, or what is needed?"
          value={values.title}
          onChange={(e) => set("title", e.currentTarget.value)}
          error={errors.title}
          data-autofocus
        />
        <Textarea
          label="Description"
          autosize
          minRows={4}
          maxRows={12}
          value={values.description}
          onChange={(e) => set("description", e.currentTarget.value)}
          error={errors.description}
        />
        <SimpleGrid cols={2} spacing="sm">
          <Select
            label="Impact"
            description="How widely it hurts"
            data={LEVEL_OPTIONS}
            value={values.impact}
            onChange={(v) => set("impact", v ?? "2")}
            allowDeselect={false}
            error={errors.impact}
          />
          <Select
            label="Urgency"
            description="How soon it matters"
            data={LEVEL_OPTIONS}
            value={values.urgency}
            onChange={(v) => set("urgency", v ?? "2")}
            allowDeselect={false}
            error={errors.urgency}
          />
        </SimpleGrid>
        <Group gap="xs" aria-live="polite" data-testid="priority-preview">
          <Text fz="sm" c="dimmed">
            Resulting priority
          </Text>
          <PriorityBadge priority={priority} />
          <Text fz="sm" fw={500}>
            {PRIORITY_LABELS[priority]}
          </Text>
        </Group>
        <GroupSelect
          label="Group"
          placeholder="Default group"
          value={values.groupId}
          onChange={(v) => set("groupId", v)}
          error={errors.groupId}
        />
        <UserSelect
          label="Assignee"
          kind="agent"
          placeholder="Unassigned"
          value={values.assigneeId}
          onChange={(v) => set("assigneeId", v)}
          error={errors.assigneeId}
        />
        <UserSelect
          label="Requester"
          description="Who reported it or needs it; their organization comes with them"
          placeholder="Search people"
          value={values.requesterId}
          onChange={(v) => set("requesterId", v)}
          error={errors.requesterId}
        />
        <CategorySelect
          label="Category"
          placeholder="None"
          value={values.categoryId}
          onChange={(v) => set("categoryId", v)}
          error={errors.categoryId}
        />
        <NewTicketCis requesterId={values.requesterId} value={ciIds} onChange={setCiIds} />
        <NewTicketCustomFields type={values.type} values={values.customFields} onChange={setCustom} errors={errors} />
      </Stack>
      <FormActions onCancel={onCancel} submitLabel="Create ticket" loading={mutation.isPending} />
    </form>
  );
}
