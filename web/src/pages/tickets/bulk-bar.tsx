import { Button, Group, Paper, Text } from "@mantine/core";
import { IconArrowMerge, IconArrowsExchange, IconFlag, IconUserShare, IconX } from "@tabler/icons-react";
import { type ReactNode, useCallback, useState } from "react";
import type { Ticket } from "../../../../common/tickets.ts";
import type { BulkDialogKind, BulkDialogProps, BulkOutcome } from "./bulk-common.tsx";
import { BulkAssignDialog, BulkMergeDialog, BulkPriorityDialog } from "./bulk-dialogs.tsx";
import { BulkTransitionDialog } from "./bulk-transition.tsx";

/** The ids picked for a bulk action, and the summary of the last one. */
export function useBulkSelection(tickets: Ticket[]) {
  const [ids, setIds] = useState<ReadonlySet<string>>(new Set());
  const [outcome, setOutcome] = useState<BulkOutcome | null>(null);
  const toggle = useCallback(
    (id: string) =>
      setIds((prev) => {
        const next = new Set(prev);
        if (!next.delete(id)) next.add(id);
        return next;
      }),
    [],
  );
  const toggleAll = (checked: boolean) => setIds(checked ? new Set(tickets.map((t) => t.id)) : new Set());
  const clear = useCallback(() => {
    setIds(new Set());
    setOutcome(null);
  }, []);
  /** After an action: the summary shows, and what failed stays selected to try again. */
  const finish = (next: BulkOutcome) => {
    setOutcome(next);
    setIds(new Set(next.results.filter((r) => r.status >= 300).map((r) => r.id)));
  };
  const selected = tickets.filter((t) => ids.has(t.id));
  return { ids, selected, toggle, toggleAll, clear, outcome, dismiss: () => setOutcome(null), finish };
}

const ACTIONS: { kind: BulkDialogKind; label: string; icon: typeof IconFlag }[] = [
  { kind: "assign", label: "Assign", icon: IconUserShare },
  { kind: "state", label: "Change state", icon: IconArrowsExchange },
  { kind: "priority", label: "Priority", icon: IconFlag },
  { kind: "merge", label: "Merge", icon: IconArrowMerge },
];

const DIALOGS: Record<BulkDialogKind, (props: BulkDialogProps) => ReactNode> = {
  assign: BulkAssignDialog,
  state: BulkTransitionDialog,
  priority: BulkPriorityDialog,
  merge: BulkMergeDialog,
};

/** Shown while tickets are selected: how many, and what can be done to all of them at once. */
export function BulkBar(props: {
  tickets: Ticket[];
  dialog: BulkDialogKind | null;
  onDialog: (kind: BulkDialogKind | null) => void;
  onClear: () => void;
  onDone: (outcome: BulkOutcome) => void;
}) {
  const { tickets, dialog, onDialog } = props;
  if (tickets.length === 0) return null;
  const Dialog = dialog ? DIALOGS[dialog] : null;
  return (
    <>
      <Paper
        component="section"
        aria-label="Bulk actions"
        withBorder
        shadow="sm"
        radius="lg"
        py={8}
        px="md"
        mb="sm"
        pos="sticky"
        top={72}
        style={{ zIndex: 3, borderColor: "var(--mantine-primary-color-light-color)" }}
      >
        <Group justify="space-between" gap="sm">
          <Text fw={600} fz="sm" role="status">
            {tickets.length} selected
          </Text>
          <Group gap={6}>
            {ACTIONS.map((a) => (
              <Button
                key={a.kind}
                size="xs"
                variant="default"
                leftSection={<a.icon size={15} stroke={1.8} aria-hidden />}
                onClick={() => onDialog(a.kind)}
              >
                {a.label}
              </Button>
            ))}
            <Button
              size="xs"
              variant="subtle"
              color="gray"
              leftSection={<IconX size={15} aria-hidden />}
              onClick={props.onClear}
            >
              Clear selection
            </Button>
          </Group>
        </Group>
      </Paper>
      {Dialog && (
        <Dialog
          opened
          tickets={tickets}
          onClose={() => onDialog(null)}
          onDone={(outcome) => {
            onDialog(null);
            props.onDone(outcome);
          }}
        />
      )}
    </>
  );
}
