import { Badge, Button, Container, Group, Paper, SegmentedControl, Table, Text } from "@mantine/core";
import { IconMailCheck, IconRefresh } from "@tabler/icons-react";
import { keepPreviousData, useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { emailKeys, listOutbound, type OutboundMail, type OutboundState, retryOutbound } from "../../../api/email.ts";
import { errorMessage, notifyError, notifySuccess } from "../../../lib/notify.ts";
import { PageHeader } from "../../page-header.tsx";
import { DeliveryBadge } from "../../tickets/mail-article.tsx";
import { EmptyState, LoadingRows, LoadMore, TicketLink, When } from "./email-parts.tsx";

type Filter = OutboundState | "all";

const FILTERS: { value: Filter; label: string }[] = [
  { value: "all", label: "All" },
  { value: "queued", label: "Queued" },
  { value: "sending", label: "Sending" },
  { value: "sent", label: "Sent" },
  { value: "failed", label: "Failed" },
  { value: "suppressed", label: "Not sent" },
];

const KIND_LABELS: Record<OutboundMail["kind"], string> = {
  reply: "Reply",
  acknowledgement: "Acknowledgement",
  notification: "Notification",
  password_reset: "Password reset",
};

const EMPTY_TITLES: Record<Filter, string> = {
  all: "No mail sent yet",
  queued: "Nothing queued",
  sending: "Nothing being sent",
  sent: "Nothing sent yet",
  failed: "No failed mail",
  suppressed: "Nothing held back",
};

const EMPTY: Record<Filter, string> = {
  all: "Replies, acknowledgements and notifications Steward sends are listed here with where each one is.",
  queued: "No mail is waiting to be sent.",
  sending: "No mail is being sent right now.",
  sent: "No mail has been sent yet.",
  failed: "No mail failed. Mail the server refuses shows here with its error, ready to be retried.",
  suppressed: "No mail was held back. Steward does not answer automatic mail or mail that would loop.",
};

function Recipients({ list }: { list: string[] }) {
  const [first, ...rest] = list;
  return (
    <Text fz="xs" c="dimmed" truncate="end" miw={0} title={list.join(", ")}>
      to {first ?? "—"}
      {rest.length > 0 && ` +${rest.length} more`}
    </Text>
  );
}

/** What Steward sent, or tries to: its state, the last error of a failed one, and a retry. */
export function OutboundPage() {
  const queryClient = useQueryClient();
  const [filter, setFilter] = useState<Filter>("all");
  const state = filter === "all" ? undefined : filter;
  const query = useInfiniteQuery({
    queryKey: [...emailKeys.outbound, filter],
    queryFn: ({ pageParam }) => listOutbound({ state, cursor: pageParam, limit: 25 }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
    refetchInterval: filter === "queued" || filter === "sending" ? 10_000 : false,
  });
  const items = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? [], [query.data]);
  const retry = useMutation({
    mutationFn: (m: OutboundMail) => retryOutbound(m.id),
    onSuccess: async (m) => {
      notifySuccess(`“${m.subject}” is queued again.`);
      await queryClient.invalidateQueries({ queryKey: emailKeys.outbound });
    },
    onError: (error) => notifyError(error, "Could not retry the mail"),
  });

  return (
    <Container size="xl" px={0}>
      <PageHeader
        title="Outgoing mail"
        description="Every mail Steward sends — replies, acknowledgements, notifications — and where it is. Failed mail shows the server's answer and can be sent again."
      />
      <Group mb="md">
        <SegmentedControl aria-label="State" value={filter} onChange={(v) => setFilter(v as Filter)} data={FILTERS} />
      </Group>
      <Paper withBorder radius="lg" style={{ overflow: "hidden" }}>
        {items.length > 0 && (
          <Table.ScrollContainer minWidth={760}>
            <Table verticalSpacing="sm" horizontalSpacing="md" highlightOnHover>
              <caption className="steward-visually-hidden">Outgoing mail</caption>
              <Table.Thead bg="var(--mantine-color-default-hover)">
                <Table.Tr>
                  <Table.Th>Message</Table.Th>
                  <Table.Th w={300}>State</Table.Th>
                  <Table.Th w={120}>Created</Table.Th>
                  <Table.Th w={190}>
                    <span className="steward-visually-hidden">Actions</span>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((m) => (
                  <Table.Tr key={m.id} data-testid="outbound-mail">
                    <Table.Td>
                      <Text fz="sm" fw={600} lineClamp={1} style={{ overflowWrap: "anywhere" }} title={m.subject}>
                        {m.subject || "(no subject)"}
                      </Text>
                      <Group gap={6} wrap="nowrap">
                        <Text fz="xs" c="dimmed" style={{ flexShrink: 0 }}>
                          {KIND_LABELS[m.kind]}
                        </Text>
                        {m.automatic && (
                          <Badge variant="light" color="gray" size="xs" style={{ flexShrink: 0 }}>
                            Automatic
                          </Badge>
                        )}
                        <Recipients list={m.recipients} />
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <DeliveryBadge state={m.state} />
                      {m.attempts > 1 && (
                        <Text fz="xs" c="dimmed" mt={2}>
                          {m.attempts} attempts
                        </Text>
                      )}
                      {m.lastError && (m.state === "failed" || m.state === "suppressed" || m.state === "queued") && (
                        <Text
                          fz="xs"
                          c={m.state === "failed" ? "red" : "dimmed"}
                          mt={2}
                          lineClamp={2}
                          title={m.lastError}
                          style={{ overflowWrap: "anywhere" }}
                        >
                          {m.lastError}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <When at={m.sentAt ?? m.createdAt} />
                    </Table.Td>
                    <Table.Td>
                      <Group gap="xs" justify="flex-end" wrap="nowrap">
                        {m.ticketId && <TicketLink ticketId={m.ticketId} />}
                        {m.state === "failed" && (
                          <Button
                            variant="light"
                            size="compact-sm"
                            leftSection={<IconRefresh size={14} aria-hidden />}
                            aria-label={`Retry “${m.subject}”`}
                            loading={retry.isPending && retry.variables?.id === m.id}
                            onClick={() => retry.mutate(m)}
                          >
                            Retry
                          </Button>
                        )}
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        {query.isLoading && <LoadingRows label="Loading outgoing mail" />}
        {query.isError && (
          <Text c="red" fz="sm" p="md" role="alert">
            {errorMessage(query.error)}
          </Text>
        )}
        {!query.isLoading && !query.isError && items.length === 0 && (
          <EmptyState icon={IconMailCheck} title={EMPTY_TITLES[filter]} text={EMPTY[filter]} />
        )}
        {query.hasNextPage && (
          <LoadMore onClick={() => void query.fetchNextPage()} loading={query.isFetchingNextPage} />
        )}
      </Paper>
    </Container>
  );
}
