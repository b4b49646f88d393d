import {
  Button,
  Center,
  Group,
  Loader,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  ThemeIcon,
  Title,
} from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { IconPlus } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { WORK_ORDER_FLOW, type WorkOrderState } from "../../../../common/changes.ts";
import {
  type Change,
  changeKeys,
  createWorkOrder,
  listWorkOrders,
  updateWorkOrder,
  type WorkOrder,
} from "../../api/changes.ts";
import { type FieldErrors, handleSaveError } from "../../lib/form-errors.ts";
import { errorMessage, notifySuccess } from "../../lib/notify.ts";
import { UserSelect } from "../tickets/ticket-pickers.tsx";
import { useUserNames } from "../tickets/use-names.ts";
import { useChangeSaved } from "./change-actions.tsx";
import {
  browserZone,
  formatWindow,
  fromLocalInput,
  WORK_ORDER_KIND_LABELS,
  WorkOrderStateBadge,
} from "./change-badges.tsx";
import { sentences } from "./change-form.tsx";

/** What the button that moves a work order to `to` says. */
function moveLabel(from: WorkOrderState, to: WorkOrderState): string {
  switch (to) {
    case "ready":
      return "Ready";
    case "in_progress":
      return "Start";
    case "done":
      return "Done";
    case "failed":
      return "Failed";
    case "canceled":
      return "Cancel";
    case "created":
      return from === "ready" ? "Not ready" : "Reopen";
  }
}

const KIND_OPTIONS = (Object.keys(WORK_ORDER_KIND_LABELS) as WorkOrder["kind"][]).map((k) => ({
  value: k,
  label: WORK_ORDER_KIND_LABELS[k],
}));

function WorkOrderMoves({ change, order, editable }: { change: Change; order: WorkOrder; editable: boolean }) {
  const saved = useChangeSaved();
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: (state: WorkOrderState) => updateWorkOrder(change.id, order.id, { state, version: order.version }),
    onSuccess: async (w) => {
      notifySuccess(`“${w.title}” is ${w.state.replace("_", " ")}.`);
      await saved();
    },
    onError: (error) =>
      handleSaveError(error, {
        noun: "work order",
        fields: [],
        setFieldErrors: () => {},
        onConflict: () => queryClient.invalidateQueries({ queryKey: changeKeys.workOrders(change.id) }),
      }),
  });
  const next = WORK_ORDER_FLOW[order.state];
  if (!editable || next.length === 0) return null;
  return (
    <Group gap={4} wrap="nowrap" role="group" aria-label={`Move ${order.title}`}>
      {next.map((to) => (
        <Button
          key={to}
          size="compact-sm"
          variant={to === "canceled" || to === "failed" ? "subtle" : to === "created" ? "default" : "light"}
          color={to === "canceled" || to === "failed" ? "red" : to === "done" ? "green" : undefined}
          loading={mutation.isPending && mutation.variables === to}
          disabled={mutation.isPending && mutation.variables !== to}
          onClick={() => mutation.mutate(to)}
          aria-label={`${moveLabel(order.state, to)}: ${order.title}`}
        >
          {moveLabel(order.state, to)}
        </Button>
      ))}
    </Group>
  );
}

function AddWorkOrder({ change, onDone }: { change: Change; onDone: () => void }) {
  const [kind, setKind] = useState<WorkOrder["kind"]>("implementation");
  const [title, setTitle] = useState("");
  const [instructions, setInstructions] = useState("");
  const [assigneeId, setAssigneeId] = useState<string | null>(change.assigneeId);
  const [start, setStart] = useState("");
  const [end, setEnd] = useState("");
  const [errors, setErrors] = useState<FieldErrors>({});
  const saved = useChangeSaved();
  const clear = (field: string) => setErrors(({ [field]: _, ...rest }) => rest);
  const mutation = useMutation({
    mutationFn: () =>
      createWorkOrder(change.id, {
        kind,
        title: title.trim(),
        instructions,
        assigneeId,
        plannedStart: fromLocalInput(start),
        plannedEnd: fromLocalInput(end),
      }),
    onSuccess: async (w) => {
      notifySuccess(`Work order “${w.title}” was added.`);
      await saved();
      onDone();
    },
    onError: (error) =>
      handleSaveError(error, {
        noun: "work order",
        fields: ["kind", "title", "instructions", "assigneeId", "plannedStart", "plannedEnd"],
        setFieldErrors: (e) => setErrors(sentences(e)),
      }),
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const found: FieldErrors = {};
    if (!title.trim()) found.title = "Enter a title";
    const s = fromLocalInput(start);
    const e = fromLocalInput(end);
    if (s && e && Date.parse(e) <= Date.parse(s)) found.plannedEnd = "Ends before it starts";
    setErrors(found);
    if (Object.keys(found).length === 0) mutation.mutate();
  };
  return (
    <Paper withBorder p="md" radius="md" bg="var(--mantine-color-default-hover)">
      <form onSubmit={onSubmit} noValidate aria-label="Add a work order">
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
            <Select
              label="Kind"
              data={KIND_OPTIONS}
              value={kind}
              onChange={(v) => v && setKind(v as WorkOrder["kind"])}
              allowDeselect={false}
              error={errors.kind}
              comboboxProps={{ withinPortal: true }}
            />
            <TextInput
              label="Title"
              required
              value={title}
              onChange={(e) => {
                setTitle(e.currentTarget.value);
                clear("title");
              }}
              error={errors.title}
              style={{ gridColumn: "span 2" }}
              data-autofocus
            />
          </SimpleGrid>
          <Textarea
            label="Instructions"
            autosize
            minRows={2}
            maxRows={8}
            value={instructions}
            onChange={(e) => setInstructions(e.currentTarget.value)}
            error={errors.instructions}
          />
          <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
            <UserSelect
              label="Assignee"
              kind="agent"
              placeholder="Unassigned"
              value={assigneeId}
              onChange={(v) => {
                setAssigneeId(v);
                clear("assigneeId");
              }}
              error={errors.assigneeId}
            />
            <TextInput
              type="datetime-local"
              label="Planned start"
              description={browserZone()}
              inputWrapperOrder={["label", "input", "description", "error"]}
              value={start}
              onChange={(e) => {
                setStart(e.currentTarget.value);
                clear("plannedStart");
              }}
              error={errors.plannedStart}
            />
            <TextInput
              type="datetime-local"
              label="Planned end"
              value={end}
              onChange={(e) => {
                setEnd(e.currentTarget.value);
                clear("plannedEnd");
              }}
              error={errors.plannedEnd}
            />
          </SimpleGrid>
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onDone}>
              Cancel
            </Button>
            <Button type="submit" loading={mutation.isPending}>
              Add work order
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

/** The change's work orders in order, each with its own flow: created → ready → in progress → done or failed. */
export function ChangeWorkOrders({ change }: { change: Change }) {
  const orders = useQuery({ queryKey: changeKeys.workOrders(change.id), queryFn: () => listWorkOrders(change.id) });
  const [adding, add] = useDisclosure(false);
  const items = orders.data?.items ?? [];
  const names = useUserNames(items.map((w) => w.assigneeId));
  const editable = change.abilities.update;
  return (
    <Paper withBorder p="md" radius="lg" component="section" aria-labelledby="change-work-orders-title">
      <Group justify="space-between" mb="sm">
        <Title order={2} fz="md" id="change-work-orders-title">
          Work orders
        </Title>
        {editable && !adding && (
          <Button variant="default" size="xs" leftSection={<IconPlus size={14} aria-hidden />} onClick={add.open}>
            Add work order
          </Button>
        )}
      </Group>
      <Stack gap="md">
        {adding && <AddWorkOrder change={change} onDone={add.close} />}
        {orders.isLoading ? (
          <Center py="md">
            <Loader size="sm" aria-label="Loading the work orders" />
          </Center>
        ) : orders.isError ? (
          <Text fz="sm" c="red">
            {errorMessage(orders.error)}
          </Text>
        ) : items.length === 0 ? (
          <Text fz="sm" c="dimmed">
            No work orders yet. Break the implementation, its tests and a rollback into steps someone carries out.
          </Text>
        ) : (
          <Stack component="ol" gap={0} m={0} p={0} style={{ listStyle: "none" }} aria-label="Work orders">
            {items.map((w, i) => (
              <Group
                component="li"
                key={w.id}
                data-work-order-id={w.id}
                aria-label={w.title}
                gap="md"
                wrap="nowrap"
                align="flex-start"
                py="sm"
                style={i > 0 ? { borderTop: "1px solid var(--mantine-color-default-border)" } : undefined}
              >
                <ThemeIcon variant="default" radius="xl" size={26} aria-hidden>
                  <Text fz="xs" fw={700}>
                    {i + 1}
                  </Text>
                </ThemeIcon>
                <Stack gap={4} miw={0} style={{ flex: 1 }}>
                  <Group gap="xs" justify="space-between" wrap="wrap">
                    <Group gap="xs" miw={0}>
                      <Text fz="sm" fw={600} style={{ overflowWrap: "anywhere" }}>
                        {w.title}
                      </Text>
                      <WorkOrderStateBadge state={w.state} />
                    </Group>
                    <WorkOrderMoves change={change} order={w} editable={editable} />
                  </Group>
                  <Text fz="xs" c="dimmed">
                    {WORK_ORDER_KIND_LABELS[w.kind]} · {w.assigneeId ? (names.get(w.assigneeId) ?? "…") : "Unassigned"}
                    {w.plannedStart || w.plannedEnd ? ` · ${formatWindow(w.plannedStart, w.plannedEnd)}` : ""}
                  </Text>
                  {w.instructions && (
                    <Text fz="sm" c="dimmed" lineClamp={3} style={{ whiteSpace: "pre-wrap" }}>
                      {w.instructions}
                    </Text>
                  )}
                </Stack>
              </Group>
            ))}
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}
