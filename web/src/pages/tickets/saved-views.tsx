import { ActionIcon, Badge, Button, Group, Select } from "@mantine/core";
import { IconDeviceFloppy, IconTrash, IconUser, IconUsers } from "@tabler/icons-react";
import type { SavedView } from "../../api/views.ts";
import { countText } from "./use-saved-views.ts";

interface SavedViewsProps {
  views: SavedView[];
  activeId: string | null;
  onSelect: (view: SavedView) => void;
  onSave: () => void;
  onDelete: (view: SavedView) => void;
}

/**
 * Above the filters on wider screens: every view with its live count, the save button, and a delete
 * button for the chosen view when the caller may delete it. The row wraps when there are many views.
 */
export function SavedViewsBar({ views, activeId, onSelect, onSave, onDelete }: SavedViewsProps) {
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

/** On a phone or a narrow window: the views in a select, with the save button beside it. */
export function SavedViewSelect({ views, activeId, onSelect, onSave, onDelete }: SavedViewsProps) {
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
