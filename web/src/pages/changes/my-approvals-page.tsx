import { Anchor, Button, Center, Container, Grid, Group, Loader, Paper, Stack, Text, ThemeIcon } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { IconArrowLeft, IconChecklist, IconGavel } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import type { ReactNode } from "react";
import { type Change, changeKeys, listMyApprovals } from "../../api/changes.ts";
import { formatRelative } from "../../lib/format.ts";
import { errorMessage } from "../../lib/notify.ts";
import { PageHeader } from "../page-header.tsx";
import { useUserNames } from "../tickets/use-names.ts";
import { ChangeTypeBadge, formatWindow, RiskBadge } from "./change-badges.tsx";
import { DecisionForm } from "./change-cab.tsx";

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Stack gap={0}>
      <Text fz="xs" c="dimmed">
        {label}
      </Text>
      <Text fz="sm" component="div">
        {children}
      </Text>
    </Stack>
  );
}

function ApprovalCard({ change, names }: { change: Change; names: Map<string, string> }) {
  const [deciding, decide] = useDisclosure(false);
  return (
    <Paper
      withBorder
      p="md"
      radius="lg"
      component="article"
      aria-labelledby={`approval-${change.id}`}
      data-change-id={change.id}
    >
      <Grid gap="md" align="center">
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack gap={4} miw={0}>
            <Group gap="xs">
              <Text ff="monospace" fz="xs" c="dimmed" fw={600}>
                {change.number}
              </Text>
              <ChangeTypeBadge type={change.type} size="sm" />
            </Group>
            <Anchor
              renderRoot={(rootProps) => <Link {...rootProps} to="/changes/$id" params={{ id: change.id }} />}
              fw={600}
              id={`approval-${change.id}`}
              style={{ overflowWrap: "anywhere" }}
            >
              {change.title}
            </Anchor>
            <Text fz="xs" c="dimmed">
              Requested by {change.requestedById ? (names.get(change.requestedById) ?? "…") : "—"} · updated{" "}
              {formatRelative(change.updatedAt)}
            </Text>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 6, md: 2 }}>
          <Fact label="Risk">
            <RiskBadge level={change.risk.level} score={change.risk.score} />
          </Fact>
        </Grid.Col>
        <Grid.Col span={{ base: 6, md: 3 }}>
          <Fact label="Window">{formatWindow(change.plannedStart, change.plannedEnd)}</Fact>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 2 }}>
          <Group justify="flex-end">
            <Button
              variant={deciding ? "default" : "filled"}
              leftSection={<IconGavel size={16} aria-hidden />}
              onClick={decide.toggle}
              aria-expanded={deciding}
              aria-controls={`decide-${change.id}`}
            >
              {deciding ? "Close" : "Decide"}
            </Button>
          </Group>
        </Grid.Col>
      </Grid>
      {deciding && (
        <Stack
          gap="xs"
          mt="md"
          pt="md"
          id={`decide-${change.id}`}
          style={{ borderTop: "1px solid var(--mantine-color-default-border)" }}
        >
          <Text fz="sm" c="dimmed">
            Owner {change.ownerId ? (names.get(change.ownerId) ?? "…") : "not named"} · plan revision{" "}
            {change.planRevision}. Open the change to read its plan, impact and conflicts before you decide.
          </Text>
          <DecisionForm change={change} compact onDecided={decide.close} />
        </Stack>
      )}
    </Paper>
  );
}

/** Changes waiting for my decision as a CAB member, each approved or rejected here or on its page. */
export function MyApprovalsPage() {
  const query = useQuery({ queryKey: changeKeys.myApprovals, queryFn: listMyApprovals });
  const items = query.data?.items ?? [];
  const names = useUserNames(items.flatMap((c) => [c.requestedById, c.ownerId]));
  return (
    <Container size="lg" px={0}>
      <Anchor component={Link} to="/changes" fz="sm" c="dimmed">
        <Group gap={4} component="span">
          <IconArrowLeft size={14} aria-hidden />
          Changes
        </Group>
      </Anchor>
      <Stack mt="xs" gap={0}>
        <PageHeader
          title="My approvals"
          description="Changes waiting for your decision as a member of their CAB. Each decision is on the current plan: a new plan, window or CI list asks you again."
        />
      </Stack>
      {query.isLoading ? (
        <Center py="xl">
          <Loader size="sm" aria-label="Loading my approvals" />
        </Center>
      ) : query.isError ? (
        <Text c="red" fz="sm">
          {errorMessage(query.error)}
        </Text>
      ) : items.length === 0 ? (
        <Paper withBorder p="xl" radius="lg">
          <Stack align="center" gap="xs">
            <ThemeIcon variant="light" size={48} radius="xl" color="teal">
              <IconChecklist size={26} aria-hidden />
            </ThemeIcon>
            <Text fw={600}>Nothing waits for your decision</Text>
            <Text fz="sm" c="dimmed" ta="center" maw={420}>
              Changes appear here when they reach authorization and you are in one of their approver sets.
            </Text>
          </Stack>
        </Paper>
      ) : (
        <Stack gap="sm" component="section" aria-label="Waiting for my decision">
          {items.map((c) => (
            <ApprovalCard key={c.id} change={c} names={names} />
          ))}
        </Stack>
      )}
    </Container>
  );
}
