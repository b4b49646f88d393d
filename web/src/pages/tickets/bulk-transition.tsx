import { Alert, Select, Textarea } from "@mantine/core";
import { IconInfoCircle } from "@tabler/icons-react";
import { useMemo, useState } from "react";
import type { TransitionInput } from "../../../../common/tickets.ts";
import { findTransition, isTerminal, type Requirement } from "../../../../common/workflows.ts";
import type { FieldErrors } from "../../lib/form-errors.ts";
import { type BulkDialogProps, BulkModal, showBulkError, useBulkAction } from "./bulk-common.tsx";
import { HOLD_REASON_OPTIONS, RESOLUTION_CODE_OPTIONS, stateLabel } from "./labels.ts";

const REQUIREMENTS: Requirement[] = ["reason", "resolutionCode", "resolution", "rootCause", "workaround"];
const TEXTS: Partial<Record<Requirement, [label: string, description: string]>> = {
  resolution: ["Resolution", "What was done; requesters see this"],
  rootCause: ["Root cause", "Why it happened"],
  workaround: ["Workaround", "How to get going until it is fixed"],
};

/**
 * Moves the selected tickets to one state. The states offered are those at least one of them may go
 * to; the fields asked for are what any of those moves requires (on hold: a reason; resolved: a code
 * and the resolution; a known error: root cause and workaround), as on a single ticket.
 */
export function BulkTransitionDialog(props: BulkDialogProps) {
  const { tickets } = props;
  const [to, setTo] = useState<string | null>(null);
  const [values, setValues] = useState<Partial<Record<Requirement, string>>>({});
  const [errors, setErrors] = useState<FieldErrors>({});
  const targets = useMemo(() => {
    const counts = new Map<string, number>();
    for (const t of tickets) for (const s of t.abilities.transitions) counts.set(s, (counts.get(s) ?? 0) + 1);
    return [...counts].map(([value, n]) => ({
      value,
      label: n === tickets.length ? stateLabel(value) : `${stateLabel(value)} (${n} of ${tickets.length})`,
    }));
  }, [tickets]);
  const movable = to ? tickets.filter((t) => t.abilities.transitions.includes(to)) : [];
  const needs = REQUIREMENTS.filter((r) =>
    movable.some((t) => to && findTransition(t.type, t.state, to)?.requires?.includes(r)),
  );
  const mutation = useBulkAction(props, "updated", (e) => showBulkError(e, ["to", ...REQUIREMENTS], setErrors));
  const set = (key: Requirement, value: string | null) => {
    setValues((v) => ({ ...v, [key]: value ?? "" }));
    setErrors(({ [key]: _, ...rest }) => rest);
  };
  const submit = () => {
    if (!to) return setErrors({ to: "Choose the new state" });
    const missing = Object.fromEntries(needs.filter((r) => !values[r]?.trim()).map((r) => [r, "Required"]));
    if (Object.keys(missing).length > 0) return setErrors(missing);
    setErrors({});
    const transition: TransitionInput = { to };
    for (const r of needs) Object.assign(transition, { [r]: values[r]?.trim() });
    // Every selected ticket is sent: those that cannot make this move come back as failures, with why.
    mutation.mutate({ ids: tickets.map((t) => t.id), transition });
  };
  const select = (key: "reason" | "resolutionCode", label: string, data: { value: string; label: string }[]) => (
    <Select
      label={label}
      withAsterisk
      placeholder="Choose one"
      data={data}
      value={values[key] || null}
      onChange={(v) => set(key, v)}
      error={errors[key]}
      comboboxProps={{ withinPortal: true }}
    />
  );
  const stay = tickets.length - movable.length;
  return (
    <BulkModal
      opened={props.opened}
      title="Change state"
      count={tickets.length}
      onClose={props.onClose}
      onSubmit={submit}
      submitLabel={to ? `Move to ${stateLabel(to).toLowerCase()}` : "Change state"}
      loading={mutation.isPending}
      color={to === "canceled" ? "red" : undefined}
    >
      <Select
        label="New state"
        withAsterisk
        placeholder={targets.length ? "Choose a state" : "No state change is open to these tickets"}
        data={targets}
        value={to}
        onChange={(v) => {
          setTo(v);
          setErrors({});
        }}
        error={errors.to}
        comboboxProps={{ withinPortal: true }}
        data-autofocus
      />
      {to && stay > 0 && (
        <Alert variant="light" color="yellow" icon={<IconInfoCircle size={18} aria-hidden />} p="xs">
          {stay === 1
            ? "1 selected ticket cannot make this move from its current state: it is left as it is and listed as failed."
            : `${stay} selected tickets cannot make this move from their current state: they are left as they are and listed as failed.`}
        </Alert>
      )}
      {needs.includes("reason") && select("reason", "Reason", HOLD_REASON_OPTIONS)}
      {needs.includes("resolutionCode") && select("resolutionCode", "Resolution code", RESOLUTION_CODE_OPTIONS)}
      {needs.map((r) => {
        const text = TEXTS[r];
        if (!text) return null;
        return (
          <Textarea
            key={r}
            label={text[0]}
            description={text[1]}
            withAsterisk
            autosize
            minRows={3}
            maxRows={8}
            value={values[r] ?? ""}
            onChange={(e) => set(r, e.currentTarget.value)}
            error={errors[r]}
          />
        );
      })}
      {to && movable.some((t) => isTerminal(t.type, to)) && (
        <Alert variant="light" color="gray" p="xs">
          Closed tickets cannot be changed afterwards.
        </Alert>
      )}
    </BulkModal>
  );
}
