import { Group, Stack, Text, Title } from "@mantine/core";
import { useDocumentTitle } from "@mantine/hooks";
import type { ReactNode } from "react";

export function PageHeader({
  title,
  description,
  actions,
  documentTitle,
}: {
  title: string;
  /** The browser tab's title when it should differ from the heading. */
  documentTitle?: string;
  description?: string;
  actions?: ReactNode;
}) {
  useDocumentTitle(`${documentTitle ?? title} · Steward`);
  return (
    <Group justify="space-between" align="flex-end" mb="lg" gap="md">
      <Stack gap={4}>
        <Title order={1} fz={{ base: 24, sm: 28 }}>
          {title}
        </Title>
        {description && (
          <Text c="dimmed" fz="sm" maw={640}>
            {description}
          </Text>
        )}
      </Stack>
      {actions && <Group gap="sm">{actions}</Group>}
    </Group>
  );
}
