import { Badge, Button, Container, Group, Modal, Paper, Table, Tabs, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconFileCode, IconRefresh, IconShieldCheck, IconTrash } from "@tabler/icons-react";
import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import {
  discardQuarantined,
  emailKeys,
  listMailboxes,
  listQuarantine,
  type QuarantinedMail,
  type QuarantineState,
  quarantineRawUrl,
  type RetryResult,
  retryQuarantined,
} from "../../../api/email.ts";
import { errorMessage, notifyError, notifySuccess } from "../../../lib/notify.ts";
import { PageHeader } from "../../page-header.tsx";
import { SourceModal } from "../../tickets/mail-article.tsx";
import { formatBytes } from "../../tickets/ticket-attachments.tsx";
import { EmptyState, LoadingRows, LoadMore, TicketLink, When } from "./email-parts.tsx";

const TABS: { value: QuarantineState; label: string; empty: { title: string; text: string } }[] = [
  {
    value: "held",
    label: "Held",
    empty: {
      title: "Nothing is held",
      text: "Messages Steward could not turn into tickets — unknown senders, mail it cannot read, suspected loops — wait here for you to retry or discard them.",
    },
  },
  {
    value: "processed",
    label: "Processed",
    empty: { title: "No retried messages", text: "Held messages that went through on a retry are listed here." },
  },
  {
    value: "discarded",
    label: "Discarded",
    empty: { title: "Nothing was discarded", text: "Discarded messages keep their source here for the record." },
  },
];

function outcomeMessage(r: RetryResult): { color: string; title: string; message: string } {
  switch (r.outcome) {
    case "created":
      return { color: "teal", title: "Ticket opened", message: "The message went through and opened a new ticket." };
    case "appended":
      return {
        color: "teal",
        title: "Added to its ticket",
        message: "The message went through as a reply on its ticket.",
      };
    case "duplicate":
      return {
        color: "teal",
        title: "Already on a ticket",
        message: "This message had already been filed; nothing was added.",
      };
    case "bounce":
      return { color: "teal", title: "Filed as a bounce", message: "It was a delivery report; no ticket was made." };
    case "quarantined":
      return { color: "yellow", title: "Held again", message: r.reason ?? "The message still cannot be processed." };
  }
}

function QuarantineTable(props: {
  state: QuarantineState;
  mailboxes: Map<string, string>;
  onSource: (mail: QuarantinedMail) => void;
  onDiscard: (mail: QuarantinedMail) => void;
}) {
  const { state, mailboxes, onSource, onDiscard } = props;
  const queryClient = useQueryClient();
  const query = useInfiniteQuery({
    queryKey: [...emailKeys.quarantine, state],
    queryFn: ({ pageParam }) => listQuarantine({ state, cursor: pageParam, limit: 25 }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
  const items = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? [], [query.data]);
  const retry = useMutation({
    mutationFn: (m: QuarantinedMail) => retryQuarantined(m.id),
    onSuccess: async (result) => {
      const { color, title, message } = outcomeMessage(result);
      notifications.show({ color, title, message, autoClose: color === "teal" ? 5000 : 10000 });
      await queryClient.invalidateQueries({ queryKey: emailKeys.quarantine });
    },
    onError: (error) => notifyError(error, "Could not retry the message"),
  });
  const tab = TABS.find((t) => t.value === state) ?? TABS[0];
  const held = state === "held";

  return (
    <Paper withBorder radius="lg" style={{ overflow: "hidden" }}>
      {items.length > 0 && (
        <Table.ScrollContainer minWidth={760}>
          <Table verticalSpacing="sm" horizontalSpacing="md" highlightOnHover>
            <caption className="steward-visually-hidden">{`${tab?.label} messages`}</caption>
            <Table.Thead bg="var(--mantine-color-default-hover)">
              <Table.Tr>
                <Table.Th>Message</Table.Th>
                <Table.Th miw={260}>Reason</Table.Th>
                <Table.Th w={120}>Received</Table.Th>
                <Table.Th w={held ? 290 : 200}>
                  <span className="steward-visually-hidden">Actions</span>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((m) => {
                const subject = m.subject || "(no subject)";
                return (
                  <Table.Tr key={m.id} data-testid="quarantined-mail">
                    <Table.Td miw={220}>
                      <Text fz="sm" fw={600} lineClamp={2} style={{ overflowWrap: "anywhere" }} title={subject}>
                        {subject}
                      </Text>
                      <Text fz="xs" c="dimmed" truncate="end" maw={320}>
                        {m.sender ?? "Unknown sender"}
                        {m.mailboxId && ` → ${mailboxes.get(m.mailboxId) ?? "…"}`} · {formatBytes(m.size)}
                      </Text>
                    </Table.Td>
                    <Table.Td miw={260}>
                      <Text fz="sm" lineClamp={3} title={m.reason} style={{ overflowWrap: "anywhere" }}>
                        {m.reason}
                      </Text>
                      {m.attempts > 1 && (
                        <Badge variant="light" color="gray" size="xs" mt={4}>
                          {m.attempts} attempts
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <When at={m.receivedAt} />
                    </Table.Td>
                    <Table.Td>
                      <Group gap="xs" justify="flex-end" wrap="nowrap">
                        {m.ticketId && <TicketLink ticketId={m.ticketId} />}
                        <Button
                          variant="default"
                          size="compact-sm"
                          leftSection={<IconFileCode size={14} aria-hidden />}
                          aria-label={`View the source of “${subject}”`}
                          onClick={() => onSource(m)}
                        >
                          Source
                        </Button>
                        {held && (
                          <>
                            <Button
                              variant="light"
                              size="compact-sm"
                              leftSection={<IconRefresh size={14} aria-hidden />}
                              aria-label={`Retry “${subject}”`}
                              loading={retry.isPending && retry.variables?.id === m.id}
                              onClick={() => retry.mutate(m)}
                            >
                              Retry
                            </Button>
                            <Button
                              variant="subtle"
                              color="red"
                              size="compact-sm"
                              leftSection={<IconTrash size={14} aria-hidden />}
                              aria-label={`Discard “${subject}”`}
                              onClick={() => onDiscard(m)}
                            >
                              Discard
                            </Button>
                          </>
                        )}
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {query.isLoading && <LoadingRows label="Loading messages" />}
      {query.isError && (
        <Text c="red" fz="sm" p="md" role="alert">
          {errorMessage(query.error)}
        </Text>
      )}
      {!query.isLoading && !query.isError && items.length === 0 && tab && (
        <EmptyState icon={IconShieldCheck} title={tab.empty.title} text={tab.empty.text} />
      )}
      {query.hasNextPage && <LoadMore onClick={() => void query.fetchNextPage()} loading={query.isFetchingNextPage} />}
    </Paper>
  );
}

/** Mail that could not be processed: look at it, retry it, or discard it. */
export function QuarantinePage() {
  const queryClient = useQueryClient();
  const [state, setState] = useState<QuarantineState>("held");
  const [source, setSource] = useState<QuarantinedMail | null>(null);
  const [doomed, setDoomed] = useState<QuarantinedMail | null>(null);
  const mailboxes = useQuery({
    queryKey: emailKeys.mailboxes,
    queryFn: listMailboxes,
    select: (d) => new Map(d.items.map((m) => [m.id, m.name])),
  });
  const discard = useMutation({
    mutationFn: (m: QuarantinedMail) => discardQuarantined(m.id),
    onSuccess: async () => {
      notifySuccess("The message was discarded. Its source is kept under Discarded.");
      setDoomed(null);
      await queryClient.invalidateQueries({ queryKey: emailKeys.quarantine });
    },
    onError: (error) => notifyError(error, "Could not discard the message"),
  });

  return (
    <Container size="xl" px={0}>
      <PageHeader
        title="Mail quarantine"
        description="Incoming messages Steward held instead of filing: read their source, retry them once the cause is fixed, or discard them."
      />
      <Tabs value={state} onChange={(v) => v && setState(v as QuarantineState)} keepMounted={false}>
        <Tabs.List mb="md" aria-label="Messages by state">
          {TABS.map((t) => (
            <Tabs.Tab key={t.value} value={t.value}>
              {t.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {TABS.map((t) => (
          <Tabs.Panel key={t.value} value={t.value}>
            <QuarantineTable
              state={t.value}
              mailboxes={mailboxes.data ?? new Map()}
              onSource={setSource}
              onDiscard={setDoomed}
            />
          </Tabs.Panel>
        ))}
      </Tabs>
      <SourceModal
        url={source ? quarantineRawUrl(source.id) : null}
        title={source?.subject ? `Source of “${source.subject}”` : "Message source"}
        onClose={() => setSource(null)}
      />
      <Modal opened={doomed !== null} onClose={() => setDoomed(null)} title="Discard the message?" centered>
        <Text fz="sm">
          “{doomed?.subject || "(no subject)"}” from {doomed?.sender ?? "an unknown sender"} will not become a ticket.
          Its source stays under Discarded.
        </Text>
        <Group justify="flex-end" mt="lg" gap="sm">
          <Button variant="default" onClick={() => setDoomed(null)}>
            Keep it
          </Button>
          <Button color="red" loading={discard.isPending} onClick={() => doomed && discard.mutate(doomed)}>
            Discard
          </Button>
        </Group>
      </Modal>
    </Container>
  );
}
