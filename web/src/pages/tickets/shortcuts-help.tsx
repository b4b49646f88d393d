import { ActionIcon, Group, Kbd, Modal, Stack, Text, Tooltip } from "@mantine/core";
import { IconKeyboard } from "@tabler/icons-react";

const SHORTCUTS: { keys: string[]; text: string }[] = [
  { keys: ["j", "↓"], text: "Next ticket" },
  { keys: ["k", "↑"], text: "Previous ticket" },
  { keys: ["Enter"], text: "Open the ticket" },
  { keys: ["x"], text: "Select or unselect the ticket" },
  { keys: ["/"], text: "Search" },
  { keys: ["c"], text: "New ticket" },
  { keys: ["?"], text: "Show these shortcuts" },
];

export function ShortcutsButton({ onClick }: { onClick: () => void }) {
  return (
    <Tooltip label="Keyboard shortcuts (?)">
      <ActionIcon variant="default" size="lg" onClick={onClick} aria-label="Keyboard shortcuts" visibleFrom="sm">
        <IconKeyboard size={18} aria-hidden />
      </ActionIcon>
    </Tooltip>
  );
}

export function ShortcutsHelp({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  return (
    <Modal opened={opened} onClose={onClose} title="Keyboard shortcuts" size="sm" centered>
      <Stack gap="xs" component="dl" m={0}>
        {SHORTCUTS.map((s) => (
          <Group key={s.text} justify="space-between" wrap="nowrap">
            <Text component="dt" fz="sm">
              {s.text}
            </Text>
            <Group component="dd" gap={4} m={0} wrap="nowrap">
              {s.keys.map((k, i) => (
                <Group key={k} gap={4} wrap="nowrap">
                  {i > 0 && (
                    <Text span fz="xs" c="dimmed">
                      or
                    </Text>
                  )}
                  <Kbd>{k}</Kbd>
                </Group>
              ))}
            </Group>
          </Group>
        ))}
      </Stack>
      <Text fz="xs" c="dimmed" mt="md">
        Shortcuts work on the work list while you are not typing in a field.
      </Text>
    </Modal>
  );
}
