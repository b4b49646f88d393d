import { Box, Button, Container, Group, Paper, SegmentedControl, Text } from "@mantine/core";
import { IconBellCheck, IconChecks, IconSettings } from "@tabler/icons-react";
import { keepPreviousData, useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useMemo, useState } from "react";
import {
  inAppPath,
  listNotifications,
  type Notification,
  type NotificationFilter,
  notificationKeys,
} from "../../api/notifications.ts";
import { errorMessage } from "../../lib/notify.ts";
import { EmptyState, LoadingRows, LoadMore, When } from "../admin/email/email-parts.tsx";
import { PageHeader } from "../page-header.tsx";
import { UnreadDot } from "./notification-bell.tsx";
import { unreadQuery, useMarkAllRead, useMarkRead, useOpenNotification } from "./use-notifications.ts";

const PAGE = 25;

const FILTERS: { value: NotificationFilter; label: string }[] = [
  { value: "all", label: "All" },
  { value: "unread", label: "Unread" },
];

function Row({ n }: { n: Notification }) {
  const open = useOpenNotification();
  const markRead = useMarkRead();
  const path = inAppPath(n.link);
  const unread = !n.readAt;
  const title = (
    <Text fz="sm" fw={unread ? 650 : 500} style={{ overflowWrap: "anywhere" }}>
      {n.title}
      {unread && <span className="steward-visually-hidden"> (unread)</span>}
    </Text>
  );
  return (
    <Box component="li" px="md" py="sm" data-testid="notification" data-unread={unread || undefined}>
      <Group gap="sm" wrap="nowrap" align="flex-start">
        <UnreadDot unread={unread} />
        <Box miw={0} style={{ flex: 1 }}>
          {path ? (
            <a href={path} className="steward-row-link" onClick={(e) => open(n, e)}>
              {title}
            </a>
          ) : (
            title
          )}
          {n.body && (
            <Text fz="sm" c="dimmed" lineClamp={2} mt={2} style={{ whiteSpace: "pre-line", overflowWrap: "anywhere" }}>
              {n.body}
            </Text>
          )}
        </Box>
        <Group gap="sm" wrap="nowrap" style={{ flexShrink: 0 }}>
          <When at={n.createdAt} />
          <Box w={96} ta="right">
            {unread && (
              <Button
                variant="subtle"
                size="compact-sm"
                onClick={() => markRead.mutate(n)}
                aria-label={`Mark “${n.title}” read`}
              >
                Mark read
              </Button>
            )}
          </Box>
        </Group>
      </Group>
    </Box>
  );
}

/** The notification centre: everything the caller was told in the app, newest first. */
export function NotificationsPage() {
  const [filter, setFilter] = useState<NotificationFilter>("all");
  const unread = useQuery(unreadQuery).data ?? 0;
  const markAll = useMarkAllRead();
  const query = useInfiniteQuery({
    queryKey: notificationKeys.feed(filter),
    queryFn: ({ pageParam }) => listNotifications({ cursor: pageParam, limit: PAGE, unread: filter === "unread" }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
  const items = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? [], [query.data]);

  return (
    <Container size="md" px={0}>
      <PageHeader
        title="Notifications"
        description="What Steward told you about: new tickets in your groups, assignments, replies, mentions, SLA warnings and approvals."
        actions={
          <>
            <Button
              variant="default"
              component={Link}
              to="/account/notifications"
              leftSection={<IconSettings size={16} aria-hidden />}
            >
              Settings
            </Button>
            <Button
              leftSection={<IconChecks size={16} aria-hidden />}
              disabled={unread === 0}
              loading={markAll.isPending}
              onClick={() => markAll.mutate()}
            >
              Mark all read
            </Button>
          </>
        }
      />
      <Group mb="md" justify="space-between">
        <SegmentedControl
          aria-label="Show"
          value={filter}
          onChange={(v) => setFilter(v as NotificationFilter)}
          data={FILTERS}
        />
        <Text fz="sm" c="dimmed" role="status">
          {unread === 0 ? "Nothing unread" : `${unread} unread`}
        </Text>
      </Group>
      <Paper withBorder radius="lg" style={{ overflow: "hidden" }}>
        {items.length > 0 && (
          <Box component="ul" aria-label="Notifications" className="steward-notification-list">
            {items.map((n) => (
              <Row key={n.id} n={n} />
            ))}
          </Box>
        )}
        {query.isLoading && <LoadingRows label="Loading notifications" />}
        {query.isError && (
          <Text c="red" fz="sm" p="md" role="alert">
            {errorMessage(query.error)}
          </Text>
        )}
        {!query.isLoading && !query.isError && items.length === 0 && (
          <EmptyState
            icon={IconBellCheck}
            title={filter === "unread" ? "Nothing unread" : "No notifications yet"}
            text={
              filter === "unread"
                ? "You have read everything. New notifications show up here and on the bell at the top."
                : "When something needs your attention — a new ticket in your group, an assignment, a reply — it shows up here."
            }
          />
        )}
        {query.hasNextPage && (
          <LoadMore onClick={() => void query.fetchNextPage()} loading={query.isFetchingNextPage} />
        )}
      </Paper>
    </Container>
  );
}
