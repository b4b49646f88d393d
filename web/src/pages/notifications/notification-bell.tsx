import {
  ActionIcon,
  Anchor,
  Box,
  Button,
  Center,
  Divider,
  Group,
  Indicator,
  Loader,
  Popover,
  ScrollArea,
  Stack,
  Text,
  Title,
  UnstyledButton,
} from "@mantine/core";
import { IconBell, IconChecks, IconSettings } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { type MouseEvent, useCallback, useId, useState } from "react";
import { inAppPath, listNotifications, type Notification, notificationKeys } from "../../api/notifications.ts";
import { formatDateTime, formatRelative } from "../../lib/format.ts";
import { errorMessage } from "../../lib/notify.ts";
import { useLiveUnreadCount, useMarkAllRead, useOpenNotification } from "./use-notifications.ts";

const LATEST = 10;

/** "Notifications, 3 unread": what the bell is called, for screen readers and tests. */
export function bellLabel(unread: number | undefined): string {
  if (!unread) return "Notifications, none unread";
  return `Notifications, ${unread} unread`;
}

export function UnreadDot({ unread }: { unread: boolean }) {
  return (
    <Box
      className="steward-unread-dot"
      data-unread={unread || undefined}
      aria-hidden
      mt={6}
      style={{ flexShrink: 0 }}
    />
  );
}

function BellItem({ n, onOpen }: { n: Notification; onOpen: (n: Notification, e?: MouseEvent) => void }) {
  const path = inAppPath(n.link);
  const unread = !n.readAt;
  const content = (
    <Group gap="sm" wrap="nowrap" align="flex-start">
      <UnreadDot unread={unread} />
      <Box miw={0} style={{ flex: 1 }}>
        <Text fz="sm" fw={unread ? 600 : 400} lineClamp={2} style={{ overflowWrap: "anywhere" }}>
          {n.title}
        </Text>
        <Text component="time" dateTime={n.createdAt} fz="xs" c="dimmed" title={formatDateTime(n.createdAt)}>
          {formatRelative(n.createdAt)}
          {unread && <span className="steward-visually-hidden">, unread</span>}
        </Text>
      </Box>
    </Group>
  );
  return (
    <li>
      {path ? (
        <UnstyledButton
          component="a"
          href={path}
          className="steward-notification-item"
          onClick={(e: MouseEvent) => onOpen(n, e)}
          data-testid="bell-notification"
        >
          {content}
        </UnstyledButton>
      ) : (
        <UnstyledButton className="steward-notification-item" onClick={() => onOpen(n)} data-testid="bell-notification">
          {content}
        </UnstyledButton>
      )}
    </li>
  );
}

/** The header's bell: the unread count, live, and the latest notifications one click away. */
export function NotificationBell() {
  const unread = useLiveUnreadCount();
  const [opened, setOpened] = useState(false);
  const titleId = useId();
  const close = useCallback(() => setOpened(false), []);
  const latest = useQuery({
    queryKey: notificationKeys.latest,
    queryFn: () => listNotifications({ limit: LATEST }),
    enabled: opened,
  });
  const open = useOpenNotification(close);
  const markAll = useMarkAllRead();
  const items = latest.data?.items ?? [];
  const count = unread ?? 0;

  return (
    <Popover
      opened={opened}
      onChange={setOpened}
      position="bottom-end"
      width={380}
      shadow="md"
      trapFocus
      returnFocus
      withinPortal
    >
      <Popover.Target>
        <ActionIcon
          variant="subtle"
          color="gray"
          size="lg"
          radius="xl"
          aria-label={bellLabel(unread)}
          onClick={() => setOpened((o) => !o)}
          styles={{ root: { overflow: "visible" } }}
          data-testid="notification-bell"
        >
          <Indicator
            inline
            disabled={count === 0}
            label={count > 99 ? "99+" : count}
            size={16}
            offset={2}
            color="red"
            withBorder
            fz={10}
            fw={700}
          >
            <IconBell size={20} stroke={1.7} aria-hidden />
          </Indicator>
        </ActionIcon>
      </Popover.Target>
      <Popover.Dropdown p={0} aria-labelledby={titleId} maw="calc(100vw - 24px)">
        <Group justify="space-between" px="md" py="sm" wrap="nowrap">
          <Title order={2} fz="md" id={titleId}>
            Notifications
          </Title>
          <Group gap={4} wrap="nowrap">
            <Button
              variant="subtle"
              size="compact-sm"
              leftSection={<IconChecks size={14} aria-hidden />}
              disabled={count === 0}
              loading={markAll.isPending}
              onClick={() => markAll.mutate()}
            >
              Mark all read
            </Button>
            <ActionIcon
              variant="subtle"
              color="gray"
              component={Link}
              to="/account/notifications"
              onClick={close}
              aria-label="Notification settings"
            >
              <IconSettings size={16} aria-hidden />
            </ActionIcon>
          </Group>
        </Group>
        <Divider />
        {latest.isLoading ? (
          <Center py="xl">
            <Loader size="sm" aria-label="Loading notifications" />
          </Center>
        ) : latest.isError ? (
          <Text c="red" fz="sm" p="md" role="alert">
            {errorMessage(latest.error)}
          </Text>
        ) : items.length === 0 ? (
          <Stack align="center" gap={4} py="xl" px="md" ta="center">
            <IconBell size={22} stroke={1.6} aria-hidden color="var(--mantine-color-dimmed)" />
            <Text fz="sm" fw={600}>
              You are all caught up
            </Text>
            <Text fz="xs" c="dimmed">
              New tickets, assignments and replies you follow show up here.
            </Text>
          </Stack>
        ) : (
          <ScrollArea.Autosize mah="min(480px, calc(100dvh - 160px))" type="auto">
            <Box component="ul" aria-label="Latest notifications" className="steward-notification-list">
              {items.map((n) => (
                <BellItem key={n.id} n={n} onOpen={open} />
              ))}
            </Box>
          </ScrollArea.Autosize>
        )}
        <Divider />
        <Group justify="center" py={8}>
          <Anchor component={Link} to="/notifications" fz="sm" fw={500} onClick={close}>
            See all
          </Anchor>
        </Group>
      </Popover.Dropdown>
    </Popover>
  );
}
