import { Alert, Anchor, Center, Group, Loader, Paper, Stack, Text, Title } from "@mantine/core";
import { useDocumentTitle } from "@mantine/hooks";
import { IconArrowLeft, IconCircleCheck } from "@tabler/icons-react";
import { getRouteApi, Link } from "@tanstack/react-router";
import { isApiError } from "../../api/client.ts";
import { formatRelative } from "../../lib/format.ts";
import { errorMessage } from "../../lib/notify.ts";
import { RichText } from "../tickets/rich-text.tsx";
import { TicketComposer } from "../tickets/ticket-composer.tsx";
import { TicketTimeline } from "../tickets/ticket-timeline.tsx";
import { useArticles, useTicket } from "../tickets/use-ticket.ts";
import { RequestStateBadge } from "./request-state-badge.tsx";

const route = getRouteApi("/portal/requests/$id");

function Back() {
  return (
    <Anchor component={Link} to="/portal" fz="sm" c="dimmed">
      <Group gap={4} component="span">
        <IconArrowLeft size={14} aria-hidden />
        My requests
      </Group>
    </Anchor>
  );
}

/** One request as its requester sees it: the description, public replies and a reply box. */
export function RequestPage() {
  const { id } = route.useParams();
  const ticket = useTicket(id);
  const articles = useArticles(id);
  useDocumentTitle(ticket.data ? `${ticket.data.number} · Support portal` : "Request · Support portal");
  if (ticket.isLoading) {
    return (
      <Center mih="40dvh">
        <Loader aria-label="Loading your request" />
      </Center>
    );
  }
  if (!ticket.data) {
    return (
      <Stack gap="sm" maw={760} mx="auto">
        <Back />
        <Title order={1} fz={24}>
          {isApiError(ticket.error, 404) ? "Request not found" : "This request could not be loaded"}
        </Title>
        <Text c="dimmed">
          {isApiError(ticket.error, 404) ? "It does not exist, or it is not yours." : errorMessage(ticket.error)}
        </Text>
      </Stack>
    );
  }
  const t = ticket.data;
  const replies = (articles.data ?? []).filter((a) => a.kind === "reply");
  const resolved = t.stateType === "resolved";
  return (
    <Stack gap="lg" maw={760} mx="auto">
      <Back />
      <Stack gap={6} component="header">
        <Group gap="xs">
          <Text ff="monospace" fz="sm" c="dimmed" fw={600}>
            {t.number}
          </Text>
          <RequestStateBadge ticket={t} size="lg" />
        </Group>
        <Title order={1} fz={{ base: 22, sm: 28 }} style={{ overflowWrap: "anywhere" }}>
          {t.title}
        </Title>
        <Text fz="sm" c="dimmed">
          Opened {formatRelative(t.createdAt)} · updated {formatRelative(t.updatedAt)}
        </Text>
      </Stack>
      {resolved && (
        <Alert
          color="teal"
          variant="light"
          radius="lg"
          icon={<IconCircleCheck size={20} aria-hidden />}
          title="Resolved"
        >
          {t.resolution && (
            <Text fz="sm" style={{ whiteSpace: "pre-wrap" }}>
              {t.resolution}
            </Text>
          )}
          {t.type === "incident" && t.abilities.reply && (
            <Text fz="sm" mt="xs" c="dimmed">
              Not solved after all? Reply below and we will pick it up again.
            </Text>
          )}
        </Alert>
      )}
      <Paper withBorder p="md" radius="lg" component="section" aria-labelledby="request-description">
        <Title order={2} fz="md" mb="sm" id="request-description">
          Your request
        </Title>
        <RichText html={t.description} />
      </Paper>
      <section aria-labelledby="request-conversation">
        <Title order={2} fz="md" mb="sm" id="request-conversation">
          Conversation
        </Title>
        <TicketTimeline articles={replies} isLoading={articles.isLoading} />
      </section>
      {t.abilities.reply ? (
        <TicketComposer ticket={t} withTime={false} />
      ) : (
        <Text fz="sm" c="dimmed">
          This request is closed. If you need more help, open a new request.
        </Text>
      )}
    </Stack>
  );
}
