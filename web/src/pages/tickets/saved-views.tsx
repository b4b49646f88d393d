import { ActionIcon, Badge, Button, Group, Menu, Select } from "@mantine/core";
import {
  IconArrowDown,
  IconArrowLeft,
  IconArrowRight,
  IconArrowUp,
  IconDeviceFloppy,
  IconDots,
  IconFilterCheck,
  IconPencil,
  IconTrash,
  IconUser,
  IconUsers,
} from "@tabler/icons-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { orderViews, type SavedView, updateView, type ViewFilters } from "../../api/views.ts";
import { notifyError, notifySuccess } from "../../lib/notify.ts";
import { countText } from "./use-saved-views.ts";
import { viewsKey } from "./use-ticket.ts";

interface SavedViewsProps {
  views: SavedView[];
  activeId: string | null;
  /** Whether the list's filters or sort differ from the chosen view's. */
  dirty: boolean;
  onSelect: (view: SavedView) => void;
  onSave: () => void;
  onDelete: (view: SavedView) => void;
  onRename: (view: SavedView) => void;
  onUpdateFilters: (view: SavedView) => void;
  onMove: (view: SavedView, delta: -1 | 1) => void;
}

/** The chosen view's menu: rename it or give it the current filters (when the caller may), move it. */
function ViewMenu(props: SavedViewsProps & { view: SavedView; vertical?: boolean }) {
  const { view, views, vertical } = props;
  const index = views.findIndex((v) => v.id === view.id);
  const [earlier, later] = vertical ? ["Move up", "Move down"] : ["Move left", "Move right"];
  const [EarlierIcon, LaterIcon] = vertical ? [IconArrowUp, IconArrowDown] : [IconArrowLeft, IconArrowRight];
  return (
    <Menu position="bottom-end" withinPortal shadow="md">
      <Menu.Target>
        <ActionIcon
          variant={vertical ? "default" : "subtle"}
          color="gray"
          size={vertical ? 36 : 32}
          radius={vertical ? undefined : "xl"}
          aria-label={`Options for the view “${view.name}”`}
          title="View options"
        >
          <IconDots size={16} aria-hidden />
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>
        {view.abilities.update && (
          <>
            <Menu.Item leftSection={<IconPencil size={15} aria-hidden />} onClick={() => props.onRename(view)}>
              Rename…
            </Menu.Item>
            <Menu.Item
              leftSection={<IconFilterCheck size={15} aria-hidden />}
              disabled={!props.dirty}
              onClick={() => props.onUpdateFilters(view)}
            >
              Update with current filters
            </Menu.Item>
            <Menu.Divider />
          </>
        )}
        <Menu.Item
          leftSection={<EarlierIcon size={15} aria-hidden />}
          disabled={index <= 0}
          closeMenuOnClick={false}
          onClick={() => props.onMove(view, -1)}
        >
          {earlier}
        </Menu.Item>
        <Menu.Item
          leftSection={<LaterIcon size={15} aria-hidden />}
          disabled={index < 0 || index >= views.length - 1}
          closeMenuOnClick={false}
          onClick={() => props.onMove(view, 1)}
        >
          {later}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

/**
 * Above the filters on wider screens: every view with its live count, the save button, and for the
 * chosen view its menu (rename, update, move) and a delete button when the caller may delete it.
 * The row wraps when there are many views.
 */
export function SavedViewsBar(props: SavedViewsProps) {
  const { views, activeId, onSelect, onSave, onDelete } = props;
  const active = views.find((v) => v.id === activeId);
  return (
    <Group component="nav" aria-label="Views" gap={6} wrap="wrap" mb="sm">
      {views.map((v) => {
        const current = v.id === activeId;
        const Icon = v.shared ? IconUsers : IconUser;
        return (
          <Button
            key={v.id}
            size="sm"
            radius="xl"
            variant={current ? "light" : "default"}
            leftSection={<Icon size={15} stroke={1.7} aria-hidden />}
            rightSection={
              <Badge size="sm" variant={current ? "filled" : "light"} color={current ? undefined : "gray"} aria-hidden>
                {countText(v)}
              </Badge>
            }
            title={v.shared ? "Shared with every agent" : "Only you see this view"}
            aria-current={current ? "true" : undefined}
            aria-label={`${v.name}, ${countText(v)} tickets`}
            onClick={() => onSelect(v)}
            data-testid="saved-view"
          >
            {v.name}
          </Button>
        );
      })}
      <Button
        variant="subtle"
        size="sm"
        radius="xl"
        leftSection={<IconDeviceFloppy size={15} aria-hidden />}
        onClick={onSave}
      >
        Save current filters as view
      </Button>
      {active && <ViewMenu {...props} view={active} />}
      {active?.abilities.delete && (
        <ActionIcon
          variant="subtle"
          color="gray"
          size={32}
          radius="xl"
          aria-label={`Delete the view “${active.name}”`}
          title={`Delete the view “${active.name}”`}
          onClick={() => onDelete(active)}
        >
          <IconTrash size={16} aria-hidden />
        </ActionIcon>
      )}
    </Group>
  );
}

/** On a phone or a narrow window: the views in a select, with the save button and the view's menu beside it. */
export function SavedViewSelect(props: SavedViewsProps) {
  const { views, activeId, onSelect, onSave, onDelete } = props;
  const active = views.find((v) => v.id === activeId);
  return (
    <Group gap="xs" wrap="nowrap" mb="sm">
      <Select
        aria-label="View"
        data={views.map((v) => ({ value: v.id, label: `${v.name} (${countText(v)})` }))}
        value={activeId}
        onChange={(id) => {
          const view = views.find((v) => v.id === id);
          if (view) onSelect(view);
        }}
        allowDeselect={false}
        flex="1 1 auto"
        miw={0}
      />
      <ActionIcon variant="default" size={36} aria-label="Save current filters as view" onClick={onSave}>
        <IconDeviceFloppy size={18} aria-hidden />
      </ActionIcon>
      {active && <ViewMenu {...props} view={active} vertical />}
      {active?.abilities.delete && (
        <ActionIcon
          variant="default"
          size={36}
          aria-label={`Delete the view “${active.name}”`}
          onClick={() => onDelete(active)}
        >
          <IconTrash size={16} aria-hidden />
        </ActionIcon>
      )}
    </Group>
  );
}

/**
 * Moving a view (the caller's own order, shown at once and saved in the background) and giving a view
 * the list's current filters. `onUpdated` gets the view whose filters changed.
 */
export function useViewActions(onUpdated: (view: SavedView) => void) {
  const queryClient = useQueryClient();
  const [announcement, setAnnouncement] = useState("");
  const move = useMutation({
    mutationFn: (ids: string[]) => orderViews({ ids }),
    onMutate: async (ids) => {
      await queryClient.cancelQueries({ queryKey: viewsKey });
      const previous = queryClient.getQueryData<{ items: SavedView[] }>(viewsKey);
      if (previous) {
        const byId = new Map(previous.items.map((v) => [v.id, v]));
        const items = ids.flatMap((id) => byId.get(id) ?? []);
        queryClient.setQueryData(viewsKey, { items });
      }
      return { previous };
    },
    onSuccess: (data) => queryClient.setQueryData(viewsKey, data),
    onError: (error, _ids, context) => {
      if (context?.previous) queryClient.setQueryData(viewsKey, context.previous);
      notifyError(error, "Could not move the view");
    },
  });
  const update = useMutation({
    mutationFn: ({ view, filters }: { view: SavedView; filters: ViewFilters }) => updateView(view.id, { filters }),
    onSuccess: async (view) => {
      await queryClient.invalidateQueries({ queryKey: viewsKey });
      notifySuccess(`“${view.name}” now shows the current filters.`);
      onUpdated(view);
    },
    onError: (error) => notifyError(error, "Could not update the view"),
  });
  const moveView = (views: SavedView[], view: SavedView, delta: -1 | 1) => {
    const ids = views.map((v) => v.id);
    const from = ids.indexOf(view.id);
    const to = from + delta;
    const other = ids[to];
    if (from < 0 || !other) return;
    ids[to] = view.id;
    ids[from] = other;
    setAnnouncement(`“${view.name}” is now view ${to + 1} of ${ids.length}.`);
    move.mutate(ids);
  };
  return {
    moveView,
    updateFilters: (view: SavedView, filters: ViewFilters) => update.mutate({ view, filters }),
    announcement,
  };
}
