import { Button, Group, NumberInput, Paper, SegmentedControl, Stack, Text, Textarea } from "@mantine/core";
import { IconLock, IconSend } from "@tabler/icons-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import type { ArticleCreate, Ticket } from "../../../../common/tickets.ts";
import { addArticle } from "../../api/tickets.ts";
import { type FieldErrors, handleSaveError } from "../../lib/form-errors.ts";
import { textToHtml } from "../../lib/html.ts";
import { notifySuccess } from "../../lib/notify.ts";
import { refreshAround, ticketKey } from "./use-ticket.ts";

type Kind = "reply" | "note";

/**
 * Reply (public) or internal note, with optional time spent. Customers get the reply box only.
 * A reply can change the ticket (first response, a customer's answer resumes it), so both reload.
 */
export function TicketComposer({ ticket, withTime = true }: { ticket: Ticket; withTime?: boolean }) {
  const queryClient = useQueryClient();
  const { reply, note } = ticket.abilities;
  const [kind, setKind] = useState<Kind>(reply ? "reply" : "note");
  const [text, setText] = useState("");
  const [minutes, setMinutes] = useState<number | string>("");
  const [errors, setErrors] = useState<FieldErrors>({});
  const mutation = useMutation({
    mutationFn: () => {
      const body: ArticleCreate = { kind, body: textToHtml(text) };
      if (withTime && typeof minutes === "number" && minutes > 0) body.timeSpentMinutes = minutes;
      return addArticle(ticket.id, body);
    },
    onSuccess: async () => {
      setText("");
      setMinutes("");
      notifySuccess(kind === "note" ? "Internal note added." : "Reply sent.");
      await queryClient.invalidateQueries({ queryKey: ticketKey(ticket.id) });
      await refreshAround(queryClient, ticket.id);
    },
    onError: (error) =>
      handleSaveError(error, {
        noun: kind === "note" ? "note" : "reply",
        fields: ["body", "timeSpentMinutes"],
        setFieldErrors: setErrors,
      }),
  });
  if (!reply && !note) return null;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!text.trim()) {
      setErrors({ body: kind === "note" ? "Write a note first" : "Write a reply first" });
      return;
    }
    setErrors({});
    mutation.mutate();
  };
  const isNote = kind === "note";
  const label = isNote ? "Internal note" : "Reply";
  return (
    <Paper withBorder p="md" radius="md" className={isNote ? "steward-note" : undefined}>
      <form onSubmit={onSubmit} noValidate aria-label={isNote ? "Add an internal note" : "Write a reply"}>
        <Stack gap="sm">
          {reply && note && (
            <SegmentedControl
              aria-label="Message kind"
              value={kind}
              onChange={(v) => {
                setKind(v as Kind);
                setErrors({});
              }}
              data={[
                { value: "reply", label: "Reply" },
                { value: "note", label: "Internal note" },
              ]}
              w="fit-content"
              size="sm"
            />
          )}
          <Textarea
            label={label}
            description={
              isNote ? "Only agents see internal notes." : reply && note ? "The requester sees this reply." : undefined
            }
            autosize
            minRows={3}
            maxRows={14}
            placeholder={isNote ? "Write a note for your colleagues…" : "Write your reply…"}
            value={text}
            onChange={(e) => {
              setText(e.currentTarget.value);
              setErrors(({ body: _, ...rest }) => rest);
            }}
            error={errors.body}
          />
          <Group justify="space-between" align="flex-end" gap="sm">
            {withTime ? (
              <NumberInput
                label="Time spent (minutes)"
                min={0}
                max={100000}
                allowDecimal={false}
                allowNegative={false}
                value={minutes}
                onChange={setMinutes}
                error={errors.timeSpentMinutes}
                w={170}
              />
            ) : (
              <Text />
            )}
            <Button
              type="submit"
              loading={mutation.isPending}
              color={isNote ? "yellow" : undefined}
              autoContrast
              leftSection={isNote ? <IconLock size={16} aria-hidden /> : <IconSend size={16} aria-hidden />}
            >
              {isNote ? "Add note" : "Send reply"}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
