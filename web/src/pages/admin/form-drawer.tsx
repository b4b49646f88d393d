import { Badge, Button, Drawer, Group } from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import type { ReactNode } from "react";

export function FormDrawer(props: {
  opened: boolean;
  onClose: () => void;
  title: string;
  children: ReactNode;
  /** Width on wider screens; phones always get the whole width. */
  size?: number;
}) {
  const narrow = useMediaQuery("(max-width: 36em)");
  return (
    <Drawer
      opened={props.opened}
      onClose={props.onClose}
      position="right"
      size={narrow ? "100%" : (props.size ?? 480)}
      title={props.title}
    >
      {props.children}
    </Drawer>
  );
}

export function FormActions({
  onCancel,
  submitLabel,
  loading,
}: {
  onCancel: () => void;
  submitLabel: string;
  loading: boolean;
}) {
  return (
    <Group justify="flex-end" mt="xl" gap="sm">
      <Button variant="default" onClick={onCancel}>
        Cancel
      </Button>
      <Button type="submit" loading={loading}>
        {submitLabel}
      </Button>
    </Group>
  );
}

export function StatusBadge({ active }: { active: boolean }) {
  return (
    <Badge variant="dot" color={active ? "teal" : "gray"} style={{ minWidth: "max-content" }}>
      {active ? "Active" : "Inactive"}
    </Badge>
  );
}
