import {
  Alert,
  Anchor,
  Button,
  Center,
  Container,
  Grid,
  Group,
  Loader,
  Paper,
  Stack,
  Text,
  Title,
} from "@mantine/core";
import { useDocumentTitle } from "@mantine/hooks";
import { IconArrowLeft, IconCircleCheck } from "@tabler/icons-react";
import { getRouteApi, Link } from "@tanstack/react-router";
import type { Ticket } from "../../../../common/tickets.ts";
import { isApiError } from "../../api/client.ts";
import { formatRelative } from "../../lib/format.ts";
import { errorMessage } from "../../lib/notify.ts";
import { humanize } from "./labels.ts";
import { MergeAction, MergedBanner } from "./merge-dialog.tsx";
import { RichText } from "./rich-text.tsx";
import { SlaChips } from "./sla-chips.tsx";
import { StateActions } from "./ticket-actions.tsx";
import { TicketAttachments } from "./ticket-attachments.tsx";
import { PriorityBadge, StateBadge, TypeBadge } from "./ticket-badges.tsx";
import { TicketCis } from "./ticket-cis.tsx";
import { TicketComposer } from "./ticket-composer.tsx";
import { TicketFields } from "./ticket-fields.tsx";
import { TicketLinks } from "./ticket-links.tsx";
import { TicketTimeline } from "./ticket-timeline.tsx";
import { TicketWatchers } from "./ticket-watchers.tsx";
import { useGroupNames, useUserNames } from "./use-names.ts";
import { useArticles, useTicket } from "./use-ticket.ts";

const route = getRouteApi("/agent/tickets/$id");

export function TicketPage() {
  const { id } = route.useParams();
  const ticket = useTicket(id);
  useDocumentTitle(ticket.data ? `${ticket.data.number} ${ticket.data.title} · Steward` : "Ticket · Steward");
  if (ticket.isLoading) {
    return (
      <Center mih="40dvh">
        <Loader aria-label="Loading the ticket" />
      </Center>
    );
  }
  if (!ticket.data) {
    const missing = isApiError(ticket.error, 404);
    return (
      <Container size="sm" px={0} py="xl">
        <Title order={1} fz={24} mb="sm">
          {missing ? "Ticket not found" : "This ticket could not be loaded"}
        </Title>
        <Text c="dimmed" mb="md">
          {missing ? "It does not exist, or you may not see it." : errorMessage(ticket.error)}
        </Text>
        <Button component={Link} to="/tickets" variant="default" leftSection={<IconArrowLeft size={16} aria-hidden />}>
          Back to tickets
        </Button>
      </Container>
    );
  }
  return <TicketView ticket={ticket.data} />;
}

/** What the resolution transition recorded, shown once a ticket is resolved or known as an error. */
function Outcome({ ticket }: { ticket: Ticket }) {
  const rows: [string, string | null][] = [
    ["Resolution code", ticket.resolutionCode ? humanize(ticket.resolutionCode) : null],
    ["Resolution", ticket.resolution],
    ["Root cause", ticket.rootCause],
    ["Workaround", ticket.workaround],
  ];
  const shown = rows.filter(([, v]) => v);
  if (!shown.length) return null;
  return (
    <Alert color="teal" variant="light" icon={<IconCircleCheck size={20} aria-hidden />} title="Outcome" radius="lg">
      <Stack gap={6}>
        {shown.map(([label, value]) => (
          <div key={label}>
            <Text fz="xs" c="dimmed">
              {label}
            </Text>
            <Text fz="sm" style={{ whiteSpace: "pre-wrap" }}>
              {value}
            </Text>
          </div>
        ))}
      </Stack>
    </Alert>
  );
}

function TicketView({ ticket }: { ticket: Ticket }) {
  const articles = useArticles(ticket.id);
  const groups = useGroupNames();
  const systemIds = (articles.data ?? []).flatMap((a) => {
    const changes = (a.event?.changes ?? {}) as Record<string, unknown[]>;
    return (changes.assigneeId ?? []).filter((v): v is string => typeof v === "string");
  });
  const users = useUserNames(systemIds);
  const names = {
    user: (uid: string) => users.get(uid) ?? "someone",
    group: (gid: string) => groups.get(gid) ?? "another group",
  };

  return (
    <Container size="xl" px={0}>
      <Anchor component={Link} to="/tickets" fz="sm" c="dimmed">
        <Group gap={4} component="span">
          <IconArrowLeft size={14} aria-hidden />
          Tickets
        </Group>
      </Anchor>
      <Stack gap="xs" mt="xs" mb="lg" component="header">
        <Group gap="xs">
          <Text ff="monospace" fz="sm" c="dimmed" fw={600}>
            {ticket.number}
          </Text>
          <TypeBadge type={ticket.type} />
          <PriorityBadge priority={ticket.priority} />
          <StateBadge state={ticket.state} stateType={ticket.stateType} holdReason={ticket.holdReason} size="lg" />
        </Group>
        <Title order={1} fz={{ base: 22, sm: 26 }} style={{ overflowWrap: "anywhere" }}>
          {ticket.title}
        </Title>
        <Text fz="sm" c="dimmed">
          Opened {formatRelative(ticket.createdAt)} · updated {formatRelative(ticket.updatedAt)}
        </Text>
        <SlaChips ticketId={ticket.id} />
        <Group gap="xs" justify="space-between" align="flex-start">
          <StateActions ticket={ticket} />
          <MergeAction ticket={ticket} />
        </Group>
      </Stack>
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Stack gap="lg">
            <MergedBanner ticket={ticket} />
            <Outcome ticket={ticket} />
            <Paper withBorder p="md" radius="lg" component="section" aria-labelledby="ticket-description">
              <Title order={2} fz="md" mb="sm" id="ticket-description">
                Description
              </Title>
              <RichText html={ticket.description} />
            </Paper>
            <TicketAttachments ticket={ticket} />
            <section aria-labelledby="ticket-activity">
              <Title order={2} fz="md" mb="sm" id="ticket-activity">
                Activity
              </Title>
              <TicketTimeline articles={articles.data} isLoading={articles.isLoading} names={names} />
            </section>
            <TicketComposer ticket={ticket} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack gap="lg">
            <TicketFields ticket={ticket} />
            <TicketWatchers ticket={ticket} />
            <TicketLinks ticket={ticket} />
            <TicketCis ticket={ticket} />
          </Stack>
        </Grid.Col>
      </Grid>
    </Container>
  );
}
