import { Group, Text, ThemeIcon } from "@mantine/core";
import { IconLifebuoy } from "@tabler/icons-react";

export function Logo({ subtitle }: { subtitle?: string }) {
  return (
    <Group gap={10} wrap="nowrap">
      <ThemeIcon size={32} radius="md" variant="gradient" gradient={{ from: "indigo.6", to: "violet.5", deg: 135 }}>
        <IconLifebuoy size={20} stroke={2} aria-hidden />
      </ThemeIcon>
      <Text fw={700} fz="lg" lh={1}>
        Steward
      </Text>
      {subtitle && (
        <Text c="dimmed" fz="sm" lh={1} visibleFrom="xs">
          {subtitle}
        </Text>
      )}
    </Group>
  );
}
