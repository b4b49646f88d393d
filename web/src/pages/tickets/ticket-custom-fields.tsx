import { Divider, Group, Stack, Text } from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import type { CustomField } from "../../../../common/custom-fields.ts";
import type { Ticket } from "../../../../common/tickets.ts";
import { updateTicket } from "../../api/tickets.ts";
import { type FieldErrors, handleSaveError } from "../../lib/form-errors.ts";
import { notifySuccess } from "../../lib/notify.ts";
import { CustomFieldInput, sentences, toApiValue, useCustomFieldDefs } from "./custom-field-input.tsx";
import { useUserNames } from "./use-names.ts";
import { ticketWriteScope, useLatestTicket, useTicketUpdates } from "./use-ticket.ts";

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** One field of the side panel: choices save at once, typed values when the input is left. */
function PanelField(props: {
  field: CustomField;
  saved: unknown;
  onSave: (value: unknown) => void;
  error?: string | undefined;
  disabled: boolean;
}) {
  const { field, saved, onSave } = props;
  const [draft, setDraft] = useState<unknown>(saved);
  const [synced, setSynced] = useState<unknown>(saved);
  if (!same(saved, synced)) {
    // The ticket changed (saved, or reloaded after a conflict): show what it holds now.
    setSynced(saved);
    setDraft(saved);
  }
  const typed = ["text", "number", "date"].includes(field.kind);
  const commit = (value: unknown) => {
    const next = toApiValue(field, value);
    if (!same(next, saved)) onSave(next);
  };
  return (
    <CustomFieldInput
      field={field}
      value={draft}
      onChange={(v) => {
        setDraft(v);
        if (!typed) commit(v);
      }}
      onCommit={() => commit(draft)}
      error={props.error}
      disabled={props.disabled}
    />
  );
}

/** A value kept from a field the admin has since deactivated: shown, no longer editable. */
function RetiredValue({ field, value }: { field: CustomField; value: unknown }) {
  const names = useUserNames(field.kind === "user" && typeof value === "string" ? [value] : []);
  const shown =
    field.kind === "user" && typeof value === "string"
      ? (names.get(value) ?? "…")
      : Array.isArray(value)
        ? value.join(", ")
        : typeof value === "boolean"
          ? value
            ? "Yes"
            : "No"
          : String(value);
  return (
    <Group justify="space-between" gap="xs" wrap="nowrap">
      <Text fz="sm" c="dimmed">
        {field.label}{" "}
        <Text span fz="xs">
          (retired)
        </Text>
      </Text>
      <Text fz="sm">{shown}</Text>
    </Group>
  );
}

/**
 * The ticket type's custom fields in the side panel. Each change saves at once (`customFields` with the
 * ticket's version); the server's message for a field shows beside it.
 */
export function TicketCustomFields({ ticket, disabled }: { ticket: Ticket; disabled: boolean }) {
  const defs = useCustomFieldDefs(ticket.type);
  const [errors, setErrors] = useState<FieldErrors>({});
  const { saved, reload } = useTicketUpdates(ticket.id);
  const latest = useLatestTicket(ticket);
  const mutation = useMutation({
    scope: ticketWriteScope(ticket.id),
    mutationFn: (customFields: Record<string, unknown>) =>
      updateTicket(ticket.id, { customFields, version: latest().version }),
    onSuccess: async (t) => {
      await saved(t);
      notifySuccess(`${t.number} was saved.`);
    },
    onError: (error) =>
      handleSaveError(error, {
        noun: "ticket",
        fields: ["customFields"],
        paths: true,
        setFieldErrors: (e) => setErrors(sentences(e)),
        onConflict: reload,
      }),
  });
  const shown = (defs.data ?? []).filter((d) => d.active || ticket.customFields[d.key] !== undefined);
  if (!shown.length) return null;
  return (
    <>
      <Divider my={4} label="More fields" labelPosition="left" />
      <Stack gap="sm" role="group" aria-label="Custom fields">
        {shown.map((field) =>
          field.active ? (
            <PanelField
              key={field.id}
              field={field}
              saved={ticket.customFields[field.key]}
              onSave={(value) => {
                setErrors(({ [`customFields.${field.key}`]: _, ...rest }) => rest);
                mutation.mutate({ [field.key]: value });
              }}
              error={errors[`customFields.${field.key}`]}
              disabled={disabled}
            />
          ) : (
            <RetiredValue key={field.id} field={field} value={ticket.customFields[field.key]} />
          ),
        )}
      </Stack>
    </>
  );
}
