import {
  type InfiniteData,
  type QueryClient,
  queryOptions,
  useMutation,
  useQuery,
  useQueryClient,
} from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { type MouseEvent, useCallback, useEffect, useState } from "react";
import { UnreadCountSchema } from "../../../../common/notifications.ts";
import {
  getUnreadCount,
  inAppPath,
  markAllNotificationsRead,
  markNotificationRead,
  NOTIFICATION_STREAM_URL,
  type Notification,
  type NotificationPage,
  notificationKeys,
} from "../../api/notifications.ts";
import { notifyError } from "../../lib/notify.ts";

export const unreadQuery = queryOptions({
  queryKey: notificationKeys.unread,
  queryFn: async () => (await getUnreadCount()).unread,
  // The event stream (or, without it, the shell's poll) keeps it current.
  staleTime: Number.POSITIVE_INFINITY,
});

/** A fresh count: the lists that show notifications are stale when it moved. */
function setUnread(queryClient: QueryClient, unread: number, refreshLists: boolean): void {
  const before = queryClient.getQueryData<number>(notificationKeys.unread);
  queryClient.setQueryData(notificationKeys.unread, unread);
  if (refreshLists && before !== undefined && before !== unread) {
    void queryClient.invalidateQueries({ queryKey: notificationKeys.latest });
    void queryClient.invalidateQueries({ queryKey: notificationKeys.feeds });
  }
}

/** Shows notifications as read in every list already loaded (`id` null: all of them). */
function markReadInCache(queryClient: QueryClient, id: string | null): boolean {
  const now = new Date().toISOString();
  let changed = false;
  const patch = (page: NotificationPage): NotificationPage => ({
    ...page,
    items: page.items.map((n) => {
      if (n.readAt || (id !== null && n.id !== id)) return n;
      changed = true;
      return { ...n, readAt: now };
    }),
  });
  queryClient.setQueryData<NotificationPage>(notificationKeys.latest, (data) => data && patch(data));
  queryClient.setQueriesData<InfiniteData<NotificationPage>>({ queryKey: notificationKeys.feeds }, (data) =>
    data ? { ...data, pages: data.pages.map(patch) } : data,
  );
  return changed;
}

/**
 * The caller's unread count, kept live by the server's event stream (which reconnects by itself).
 * Mount it once, in the shell; elsewhere read `unreadQuery`. Without a stream it asks every minute.
 */
export function useLiveUnreadCount(): number | undefined {
  const queryClient = useQueryClient();
  const [live, setLive] = useState(false);
  useEffect(() => {
    if (typeof EventSource === "undefined") return;
    const source = new EventSource(NOTIFICATION_STREAM_URL);
    const onUnread = (event: MessageEvent<string>) => {
      try {
        const parsed = UnreadCountSchema.safeParse(JSON.parse(event.data));
        if (parsed.success) setUnread(queryClient, parsed.data.unread, true);
      } catch {
        // not JSON: ignore the event
      }
    };
    source.addEventListener("unread", onUnread);
    source.onopen = () => setLive(true);
    // While it reconnects (or after the server refused it for good) the count is polled instead.
    source.onerror = () => setLive(source.readyState === EventSource.OPEN);
    return () => {
      source.removeEventListener("unread", onUnread);
      source.close();
    };
  }, [queryClient]);
  return useQuery({ ...unreadQuery, refetchInterval: live ? false : 60_000 }).data;
}

export function useMarkRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (n: Pick<Notification, "id">) => markNotificationRead(n.id),
    onMutate: (n) => {
      // The count moves ahead of the answer, so the count the stream pushes matches and nothing refetches.
      const wasUnread = markReadInCache(queryClient, n.id);
      if (wasUnread) queryClient.setQueryData<number>(notificationKeys.unread, (c) => Math.max(0, (c ?? 1) - 1));
    },
    onSuccess: ({ unread }) => setUnread(queryClient, unread, false),
    onError: (error) => {
      notifyError(error, "Could not mark the notification read");
      void queryClient.invalidateQueries({ queryKey: notificationKeys.all });
    },
  });
}

export function useMarkAllRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: markAllNotificationsRead,
    onMutate: () => {
      markReadInCache(queryClient, null);
      queryClient.setQueryData<number>(notificationKeys.unread, 0);
    },
    onSuccess: ({ unread }) => setUnread(queryClient, unread, false),
    onError: (error) => {
      notifyError(error, "Could not mark the notifications read");
      void queryClient.invalidateQueries({ queryKey: notificationKeys.all });
    },
  });
}

/**
 * Opening a notification marks it read and goes to what it is about. A click with a modifier key
 * (new tab, new window) is left to the browser; it still counts as read.
 */
export function useOpenNotification(onOpen?: () => void) {
  const navigate = useNavigate();
  const markRead = useMarkRead();
  const { mutate } = markRead;
  return useCallback(
    (n: Notification, event?: MouseEvent) => {
      if (!n.readAt) mutate(n);
      const path = inAppPath(n.link);
      if (event && (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey || event.button !== 0)) return;
      event?.preventDefault();
      onOpen?.();
      if (path) void navigate({ href: path });
    },
    [mutate, navigate, onOpen],
  );
}
