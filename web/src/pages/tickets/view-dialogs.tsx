import { Badge, Button, Checkbox, Group, Modal, Stack, Text, TextInput } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { createView, deleteView, type SavedView, updateView, type ViewFilters } from "../../api/views.ts";
import { type FieldErrors, handleSaveError } from "../../lib/form-errors.ts";
import { notifyError, notifySuccess } from "../../lib/notify.ts";
import { humanize } from "./labels.ts";
import { SORT_LABELS } from "./ticket-views.ts";
import { viewsKey } from "./use-ticket.ts";

const FILTER_LABELS: Record<string, string> = {
  type: "Type",
  state: "State",
  stateType: "State",
  priority: "Priority",
  groupId: "Group",
  assigneeId: "Assignee",
  requesterId: "Requester",
  organizationId: "Organization",
  categoryId: "Category",
  tag: "Tag",
  q: "Search",
  sla: "SLA",
  sort: "Sort",
};
const SPECIAL: Record<string, string> = { me: "me", none: "unassigned" };

/** One value in words: "me", "unassigned", "P2", "“printer”"; ids read as "chosen" (names are on the filters). */
function word(key: string, value: string): string {
  if (SPECIAL[value]) return SPECIAL[value];
  if (/^[0-9a-f-]{36}$/.test(value)) return "chosen";
  if (key === "q") return `“${value}”`;
  if (key === "sort") return (SORT_LABELS as Record<string, string>)[value]?.toLowerCase() ?? value;
  return /^P\d$/.test(value) ? value : humanize(value).toLowerCase();
}

/** "State: new, open". */
function describe(key: string, value: string | string[]): string {
  const values = (Array.isArray(value) ? value : [value]).map((v) => word(key, v));
  return `${FILTER_LABELS[key] ?? humanize(key)}: ${values.join(", ")}`;
}

export function SaveViewDialog(props: {
  opened: boolean;
  onClose: () => void;
  filters: ViewFilters;
  canShare: boolean;
  onSaved: (view: SavedView) => void;
}) {
  const { opened, onClose, filters, canShare, onSaved } = props;
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const [shared, setShared] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const close = () => {
    setName("");
    setShared(false);
    setErrors({});
    onClose();
  };
  const mutation = useMutation({
    mutationFn: () => createView({ name: name.trim(), filters, ...(canShare && shared ? { shared: true } : {}) }),
    onSuccess: async (view) => {
      await queryClient.invalidateQueries({ queryKey: viewsKey });
      notifySuccess(`“${view.name}” was saved${view.shared ? " and shared with every agent" : ""}.`);
      close();
      onSaved(view);
    },
    onError: (error) => handleSaveError(error, { noun: "view", fields: ["name", "shared"], setFieldErrors: setErrors }),
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) return setErrors({ name: "Name the view" });
    setErrors({});
    mutation.mutate();
  };
  const entries = Object.entries(filters);
  return (
    <Modal opened={opened} onClose={close} title="Save current filters as view" size="md">
      <form onSubmit={onSubmit} noValidate aria-label="Save view">
        <Stack gap="md">
          <div>
            <Text fz="sm" c="dimmed" mb={6}>
              {entries.length ? "The view will show tickets where" : "No filters: the view will show every ticket."}
            </Text>
            <Group gap={6}>
              {entries.map(([key, value]) => (
                <Badge key={key} variant="light" color="gray" tt="none" fw={500}>
                  {describe(key, value)}
                </Badge>
              ))}
            </Group>
          </div>
          <TextInput
            label="Name"
            required
            maxLength={100}
            value={name}
            onChange={(e) => {
              setName(e.currentTarget.value);
              setErrors(({ name: _, ...rest }) => rest);
            }}
            error={errors.name}
            data-autofocus
          />
          {canShare && (
            <Checkbox
              label="Share with every agent"
              description="Otherwise only you see it"
              checked={shared}
              onChange={(e) => setShared(e.currentTarget.checked)}
              error={errors.shared}
            />
          )}
        </Stack>
        <Group justify="flex-end" mt="xl" gap="sm">
          <Button variant="default" onClick={close}>
            Cancel
          </Button>
          <Button type="submit" loading={mutation.isPending}>
            Save view
          </Button>
        </Group>
      </form>
    </Modal>
  );
}

export function DeleteViewDialog(props: {
  view: SavedView | null;
  onClose: () => void;
  onDeleted: (id: string) => void;
}) {
  const { view, onClose, onDeleted } = props;
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: (id: string) => deleteView(id),
    onSuccess: async (_, id) => {
      await queryClient.invalidateQueries({ queryKey: viewsKey });
      notifySuccess(`“${view?.name ?? "The view"}” was deleted.`);
      onClose();
      onDeleted(id);
    },
    onError: (error) => notifyError(error, "Could not delete the view"),
  });
  return (
    <Modal opened={view !== null} onClose={onClose} title="Delete view" size="sm">
      <Text fz="sm">
        Delete “{view?.name}”?{" "}
        {view?.shared ? "It is shared: it disappears for every agent." : "Only the view goes; no ticket changes."}
      </Text>
      <Group justify="flex-end" mt="xl" gap="sm">
        <Button variant="default" onClick={onClose}>
          Cancel
        </Button>
        <Button
          color="red"
          loading={mutation.isPending}
          onClick={() => view && mutation.mutate(view.id)}
          data-autofocus
        >
          Delete view
        </Button>
      </Group>
    </Modal>
  );
}

export function RenameViewDialog({ view, onClose }: { view: SavedView | null; onClose: () => void }) {
  return (
    <Modal opened={view !== null} onClose={onClose} title="Rename view" size="sm">
      {view && <RenameForm key={view.id} view={view} onClose={onClose} />}
    </Modal>
  );
}

function RenameForm({ view, onClose }: { view: SavedView; onClose: () => void }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState(view.name);
  const [errors, setErrors] = useState<FieldErrors>({});
  const mutation = useMutation({
    mutationFn: () => updateView(view.id, { name: name.trim() }),
    onSuccess: async (renamed) => {
      await queryClient.invalidateQueries({ queryKey: viewsKey });
      notifySuccess(`The view is now called “${renamed.name}”.`);
      onClose();
    },
    onError: (error) => handleSaveError(error, { noun: "view", fields: ["name"], setFieldErrors: setErrors }),
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) return setErrors({ name: "Name the view" });
    if (name.trim() === view.name) return onClose();
    setErrors({});
    mutation.mutate();
  };
  return (
    <form onSubmit={onSubmit} noValidate aria-label="Rename view">
      <TextInput
        label="Name"
        required
        maxLength={100}
        value={name}
        onChange={(e) => {
          setName(e.currentTarget.value);
          setErrors({});
        }}
        error={errors.name}
        description={view.shared ? "Shared: every agent sees the new name." : undefined}
        data-autofocus
      />
      <Group justify="flex-end" mt="xl" gap="sm">
        <Button variant="default" onClick={onClose}>
          Cancel
        </Button>
        <Button type="submit" loading={mutation.isPending}>
          Rename
        </Button>
      </Group>
    </form>
  );
}
