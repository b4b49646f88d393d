import { Anchor, Button, Center, Loader, Stack, Text, ThemeIcon } from "@mantine/core";
import type { TablerIcon } from "@tabler/icons-react";
import { Link } from "@tanstack/react-router";
import { formatDateTime, formatRelative } from "../../../lib/format.ts";

/** A friendly empty table: what would be here and why it is fine that nothing is. */
export function EmptyState({ icon: Icon, title, text }: { icon: TablerIcon; title: string; text: string }) {
  return (
    <Stack align="center" gap={6} py={48} px="md" ta="center">
      <ThemeIcon variant="light" color="gray" size={44} radius="xl">
        <Icon size={22} stroke={1.6} aria-hidden />
      </ThemeIcon>
      <Text fw={600} fz="sm" mt={4}>
        {title}
      </Text>
      <Text fz="sm" c="dimmed" maw={420}>
        {text}
      </Text>
    </Stack>
  );
}

export function When({ at }: { at: string }) {
  return (
    <Text component="time" dateTime={at} fz="sm" title={formatDateTime(at)} style={{ whiteSpace: "nowrap" }}>
      {formatRelative(at)}
    </Text>
  );
}

export function TicketLink({ ticketId }: { ticketId: string }) {
  return (
    <Anchor
      fz="sm"
      style={{ whiteSpace: "nowrap" }}
      renderRoot={(rootProps) => <Link {...rootProps} to="/tickets/$id" params={{ id: ticketId }} />}
    >
      Open ticket
    </Anchor>
  );
}

export function LoadingRows({ label }: { label: string }) {
  return (
    <Center py="xl">
      <Loader size="sm" aria-label={label} />
    </Center>
  );
}

export function LoadMore({ onClick, loading }: { onClick: () => void; loading: boolean }) {
  return (
    <Center py="sm" style={{ borderTop: "1px solid var(--mantine-color-default-border)" }}>
      <Button variant="subtle" onClick={onClick} loading={loading}>
        Load more
      </Button>
    </Center>
  );
}
