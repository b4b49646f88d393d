import { Alert, Button, type ButtonProps, Group, List, Modal, Stack, Text, Textarea } from "@mantine/core";
import { IconAlertTriangle } from "@tabler/icons-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import type { Problem } from "../../../../common/api.ts";
import { type Change, type ChangeState, changeKeys, transitionChange } from "../../api/changes.ts";
import { isApiError } from "../../api/client.ts";
import { type FieldErrors, handleSaveError } from "../../lib/form-errors.ts";
import { notifyError, notifySuccess } from "../../lib/notify.ts";
import { STATE_LABELS } from "./change-badges.tsx";
import { FIELD_QUESTIONS, sentences } from "./change-form.tsx";

/** What the server says when it has nothing more specific than its field errors. */
const GENERIC_DETAIL = "The request is not valid";

/** Moves that need a reason, recorded in the change's history. */
const NEEDS_REASON: readonly ChangeState[] = ["rejected", "canceled", "rolled_back"];

export function transitionLabel(change: Pick<Change, "state">, to: ChangeState): string {
  switch (to) {
    case "assessment":
      return "Submit for assessment";
    case "authorization":
      return change.state === "draft" ? "Request emergency approval" : "Request CAB approval";
    case "draft":
      return "Back to draft";
    case "scheduled":
      return "Schedule";
    case "implementing":
      return "Start implementation";
    case "review":
      return change.state === "rolled_back" ? "Start review" : "Implementation done";
    case "rolled_back":
      return "Roll back";
    case "closed":
      return "Close";
    case "rejected":
      return "Reject";
    case "canceled":
      return "Cancel change";
  }
}

function look(to: ChangeState): Pick<ButtonProps, "variant" | "color"> {
  if (to === "canceled" || to === "rejected") return { variant: "subtle", color: "red" };
  if (to === "rolled_back") return { variant: "light", color: "red" };
  if (to === "draft") return { variant: "default" };
  return { variant: "filled" };
}

/** A refused move, as the server explained it: what is missing, which conflicts block it, or why not. */
export interface MoveProblem {
  to: ChangeState;
  title: string;
  items: string[];
  /** Fields of the eight questions without an answer (from `change.*`). */
  missing: string[];
}

function problemOf(to: ChangeState, problem: Problem): MoveProblem {
  const missing: string[] = [];
  const items: string[] = [];
  for (const e of problem.errors ?? []) {
    const message = e.message.charAt(0).toUpperCase() + e.message.slice(1);
    if (e.field.startsWith("change.")) {
      const field = e.field.slice("change.".length);
      missing.push(field);
      items.push(`${FIELD_QUESTIONS[field] ?? field}: ${message.charAt(0).toLowerCase()}${message.slice(1)}`);
    } else {
      items.push(message);
    }
  }
  return { to, title: problem.detail ?? problem.title, items, missing };
}

export function MoveProblemAlert({ problem, onClose }: { problem: MoveProblem; onClose: () => void }) {
  return (
    <Alert
      color="red"
      variant="light"
      radius="lg"
      icon={<IconAlertTriangle size={20} aria-hidden />}
      title={`Could not move the change to ${STATE_LABELS[problem.to].toLowerCase()}`}
      withCloseButton
      closeButtonLabel="Dismiss"
      onClose={onClose}
      data-testid="move-problem"
    >
      {problem.title !== GENERIC_DETAIL && (
        <Text fz="sm" mb={problem.items.length ? 4 : 0}>
          {problem.title}
        </Text>
      )}
      {problem.items.length > 0 && (
        <List fz="sm" spacing={2}>
          {problem.items.map((item) => (
            <List.Item key={item}>{item}</List.Item>
          ))}
        </List>
      )}
    </Alert>
  );
}

/** After any write to a change: show what the server answered, and refresh its lists and panels. */
export function useChangeSaved() {
  const queryClient = useQueryClient();
  return async (change?: Change) => {
    if (change) queryClient.setQueryData(changeKeys.detail(change.id), change);
    await queryClient.invalidateQueries({ queryKey: changeKeys.root });
  };
}

/** One button per state the caller may move the change to; a reason is asked where the workflow needs one. */
export function ChangeActions(props: { change: Change; onProblem: (problem: MoveProblem | null) => void }) {
  const { change, onProblem } = props;
  const [asking, setAsking] = useState<ChangeState | null>(null);
  const saved = useChangeSaved();
  const onError = (to: ChangeState, error: unknown) => {
    if (isApiError(error, 422) && (error.problem.errors?.length ?? 0) > 0 && !error.fieldErrors().reason) {
      onProblem(problemOf(to, error.problem));
      return;
    }
    if (isApiError(error, 409)) {
      notifyError(error, "The change was changed by someone else");
      void saved();
      return;
    }
    notifyError(error, "Could not move the change");
  };
  const direct = useMutation({
    mutationFn: (to: ChangeState) => transitionChange(change.id, { to, version: change.version }),
    onSuccess: async (c) => {
      onProblem(null);
      await saved(c);
      notifySuccess(`${c.number} is now ${STATE_LABELS[c.state].toLowerCase()}.`);
    },
    onError: (error, to) => onError(to, error),
  });
  if (change.abilities.transitions.length === 0) return null;
  return (
    <>
      <Group gap="xs" role="group" aria-label="Move the change">
        {change.abilities.transitions.map((to) => (
          <Button
            key={to}
            size="sm"
            {...look(to)}
            loading={direct.isPending && direct.variables === to}
            disabled={direct.isPending && direct.variables !== to}
            onClick={() => (NEEDS_REASON.includes(to) ? setAsking(to) : direct.mutate(to))}
          >
            {transitionLabel(change, to)}
          </Button>
        ))}
      </Group>
      <Modal
        opened={asking !== null}
        onClose={() => setAsking(null)}
        title={asking ? transitionLabel(change, asking) : ""}
      >
        {asking && (
          <ReasonForm
            change={change}
            to={asking}
            onDone={() => setAsking(null)}
            onProblem={(p) => {
              setAsking(null);
              onProblem(p);
            }}
          />
        )}
      </Modal>
    </>
  );
}

function ReasonForm(props: {
  change: Change;
  to: ChangeState;
  onDone: () => void;
  onProblem: (problem: MoveProblem) => void;
}) {
  const { change, to } = props;
  const [reason, setReason] = useState("");
  const [errors, setErrors] = useState<FieldErrors>({});
  const saved = useChangeSaved();
  const mutation = useMutation({
    mutationFn: () => transitionChange(change.id, { to, reason: reason.trim(), version: change.version }),
    onSuccess: async (c) => {
      await saved(c);
      notifySuccess(`${c.number} is now ${STATE_LABELS[c.state].toLowerCase()}.`);
      props.onDone();
    },
    onError: (error) => {
      if (isApiError(error, 422) && !error.fieldErrors().reason && (error.problem.errors?.length ?? 0) > 0) {
        props.onProblem(problemOf(to, error.problem));
        return;
      }
      handleSaveError(error, {
        noun: "change",
        fields: ["reason"],
        setFieldErrors: (e) => setErrors(sentences(e)),
        onConflict: async () => {
          props.onDone();
          await saved();
        },
      });
    },
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!reason.trim()) {
      setErrors({ reason: "Say why" });
      return;
    }
    setErrors({});
    mutation.mutate();
  };
  return (
    <form onSubmit={onSubmit} noValidate aria-label={transitionLabel(change, to)}>
      <Stack gap="md">
        <Text fz="sm" c="dimmed">
          {change.number} moves from {STATE_LABELS[change.state].toLowerCase()} to {STATE_LABELS[to].toLowerCase()}
          {to === "rolled_back" ? ". The review follows." : ". It cannot be changed afterwards."}
        </Text>
        <Textarea
          label="Reason"
          withAsterisk
          autosize
          minRows={3}
          maxRows={10}
          value={reason}
          onChange={(e) => {
            setReason(e.currentTarget.value);
            setErrors({});
          }}
          error={errors.reason}
          data-autofocus
        />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={props.onDone}>
            Keep it as it is
          </Button>
          <Button type="submit" color="red" loading={mutation.isPending}>
            {transitionLabel(change, to)}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
