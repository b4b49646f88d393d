import { Anchor, Button, Center, Container, Grid, Group, Loader, Stack, Text, Title } from "@mantine/core";
import { useDocumentTitle } from "@mantine/hooks";
import { IconArrowLeft } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { getRouteApi, Link } from "@tanstack/react-router";
import { useState } from "react";
import { type Change, changeKeys, getChange } from "../../api/changes.ts";
import { isApiError } from "../../api/client.ts";
import { formatRelative } from "../../lib/format.ts";
import { errorMessage } from "../../lib/notify.ts";
import { useUserNames } from "../tickets/use-names.ts";
import { ChangeActions, type MoveProblem, MoveProblemAlert } from "./change-actions.tsx";
import { ChangeAssessmentPanel } from "./change-assessment.tsx";
import { ChangeStateBadge, ChangeTypeBadge, formatWindow, RiskBadge } from "./change-badges.tsx";
import { ChangeCab } from "./change-cab.tsx";
import { ChangeConflicts } from "./change-conflicts.tsx";
import { ChangePlan } from "./change-plan.tsx";
import { ChangeReview } from "./change-review.tsx";
import { LinkedTickets } from "./change-tickets.tsx";
import { ChangeWorkOrders } from "./change-work-orders.tsx";

const route = getRouteApi("/agent/changes/$id");

export function ChangePage() {
  const { id } = route.useParams();
  const change = useQuery({ queryKey: changeKeys.detail(id), queryFn: () => getChange(id), retry: false });
  if (change.isLoading) {
    return (
      <Center mih="40dvh">
        <Loader aria-label="Loading the change" />
      </Center>
    );
  }
  if (!change.data) {
    const missing = isApiError(change.error, 404);
    return (
      <Container size="sm" px={0} py="xl">
        <Title order={1} fz={24} mb="sm">
          {missing ? "Change not found" : "This change could not be loaded"}
        </Title>
        <Text c="dimmed" mb="md">
          {missing ? "It does not exist, or you may not see it." : errorMessage(change.error)}
        </Text>
        <Button component={Link} to="/changes" variant="default" leftSection={<IconArrowLeft size={16} aria-hidden />}>
          Back to changes
        </Button>
      </Container>
    );
  }
  // Another change is another page: nothing typed for one carries over to the next.
  return <ChangeView key={change.data.id} change={change.data} />;
}

const BEFORE_WORK = ["draft", "assessment", "authorization", "scheduled"];

function ChangeView({ change }: { change: Change }) {
  // A refused move explains the version it was made on; an edit since answers it.
  const [refused, setRefused] = useState<{ version: number; problem: MoveProblem } | null>(null);
  const problem = refused?.version === change.version ? refused.problem : null;
  const setProblem = (p: MoveProblem | null) => setRefused(p ? { version: change.version, problem: p } : null);
  const owner = useUserNames([change.ownerId]);
  useDocumentTitle(`${change.number} ${change.title} · Steward`);
  const reviewing = change.state === "review" || change.state === "closed";
  return (
    <Container size="xl" px={0}>
      <Anchor component={Link} to="/changes" fz="sm" c="dimmed">
        <Group gap={4} component="span">
          <IconArrowLeft size={14} aria-hidden />
          Changes
        </Group>
      </Anchor>
      <Stack gap="xs" mt="xs" mb="lg" component="header">
        <Group gap="xs">
          <Text ff="monospace" fz="sm" c="dimmed" fw={600}>
            {change.number}
          </Text>
          <ChangeTypeBadge type={change.type} />
          <ChangeStateBadge state={change.state} size="lg" />
          <RiskBadge level={change.risk.level} score={change.risk.score} />
        </Group>
        <Title order={1} fz={{ base: 22, sm: 26 }} style={{ overflowWrap: "anywhere" }}>
          {change.title}
        </Title>
        <Text fz="sm" c="dimmed">
          {formatWindow(change.plannedStart, change.plannedEnd)} · owner{" "}
          {change.ownerId ? (owner.get(change.ownerId) ?? "…") : "not named"} · plan revision {change.planRevision} ·
          updated {formatRelative(change.updatedAt)}
        </Text>
        <ChangeActions change={change} onProblem={setProblem} />
        {problem && <MoveProblemAlert problem={problem} onClose={() => setProblem(null)} />}
      </Stack>
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Stack gap="lg">
            {reviewing && <ChangeReview change={change} />}
            <ChangePlan change={change} missing={problem?.missing ?? []} />
            <ChangeWorkOrders change={change} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack gap="lg">
            <ChangeCab change={change} />
            <ChangeAssessmentPanel change={change} />
            {BEFORE_WORK.includes(change.state) && <ChangeConflicts change={change} />}
            <LinkedTickets change={change} />
          </Stack>
        </Grid.Col>
      </Grid>
    </Container>
  );
}
