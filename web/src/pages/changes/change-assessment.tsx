import { Alert, Badge, Center, Divider, Group, Loader, Paper, Stack, Text, Title } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { IconAlertTriangle } from "@tabler/icons-react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import {
  type Assessment,
  type AssessRequest,
  assessChange,
  type Change,
  type ChangeType,
  changeKeys,
  getAssessment,
  type Outage,
} from "../../api/changes.ts";
import { errorMessage } from "../../lib/notify.ts";
import { CiLink } from "../cmdb/cmdb-badges.tsx";
import { RiskBadge } from "./change-badges.tsx";
import { useChangeSettings } from "./change-form.tsx";

function Heading({ children }: { children: string }) {
  return (
    <Text fz="xs" fw={700} c="dimmed" tt="uppercase" style={{ letterSpacing: 0.4 }}>
      {children}
    </Text>
  );
}

/** The risk (level, score and why) and the reach (services, customers, CIs) of a set of answers. */
export function AssessmentView({ assessment }: { assessment: Assessment }) {
  const { risk, impact } = assessment;
  const settings = useChangeSettings();
  const questionText = new Map((settings.data?.riskQuestions ?? []).map((q) => [q.id, q.text]));
  return (
    <Stack gap="md" data-testid="assessment">
      <Stack gap={6}>
        <Heading>Risk</Heading>
        <Group gap="xs">
          <RiskBadge level={risk.level} size="lg" />
          <Text fz="sm" c="dimmed">
            Score {risk.score}
          </Text>
        </Group>
        {risk.reasons.length > 0 ? (
          <Stack component="ul" gap={4} m={0} p={0} style={{ listStyle: "none" }} aria-label="Risk reasons">
            {risk.reasons.map((r) => (
              <Group component="li" key={r.label} gap="xs" justify="space-between" wrap="nowrap">
                <Text fz="sm">{r.label}</Text>
                <Text fz="sm" c="dimmed" ff="monospace" style={{ whiteSpace: "nowrap" }}>
                  +{r.points}
                </Text>
              </Group>
            ))}
          </Stack>
        ) : (
          <Text fz="sm" c="dimmed">
            Nothing adds to the risk yet.
          </Text>
        )}
        {risk.unanswered.length > 0 && (
          <Text fz="xs" c="yellow.9" title={risk.unanswered.map((id) => questionText.get(id) ?? id).join("\n")}>
            {risk.unanswered.length === 1
              ? "1 risk question is not answered yet."
              : `${risk.unanswered.length} risk questions are not answered yet.`}
          </Text>
        )}
      </Stack>
      <Divider />
      <Stack gap={6}>
        <Heading>Impact</Heading>
        <Group gap="lg">
          <Stack gap={0}>
            <Text fz="xl" fw={700} lh={1.2}>
              {impact.services.length}
            </Text>
            <Text fz="xs" c="dimmed">
              {impact.services.length === 1 ? "business service" : "business services"}
            </Text>
          </Stack>
          <Stack gap={0}>
            <Text fz="xl" fw={700} lh={1.2}>
              {impact.organizations.length}
            </Text>
            <Text fz="xs" c="dimmed">
              {impact.organizations.length === 1 ? "customer" : "customers"}
            </Text>
          </Stack>
          <Stack gap={0}>
            <Text fz="xl" fw={700} lh={1.2} data-testid="cis-reached">
              {impact.cisReached}
            </Text>
            <Text fz="xs" c="dimmed">
              {impact.cisReached === 1 ? "CI reached" : "CIs reached"}
            </Text>
          </Stack>
        </Group>
        {impact.services.length > 0 && (
          <Stack component="ul" gap={4} m={0} p={0} style={{ listStyle: "none" }} aria-label="Business services hit">
            {impact.services.map((s) => (
              <li key={s.id}>
                <CiLink id={s.id} name={s.name} number={s.number} fw={500} />
              </li>
            ))}
          </Stack>
        )}
        {impact.organizations.length > 0 && (
          <Group gap={6} aria-label="Customers affected" role="list">
            {impact.organizations.map((o) => (
              <Badge key={o.id} variant="default" tt="none" fw={500} role="listitem">
                {o.name}
              </Badge>
            ))}
          </Group>
        )}
      </Stack>
    </Stack>
  );
}

/** The new-change form's live assessment: asked again shortly after the CIs, answers or outage change. */
export function LiveAssessment(props: {
  type: ChangeType;
  ciIds: string[];
  riskAnswers: Record<string, boolean>;
  outage: Outage;
}) {
  // Compared as text: a new object with the same answers is no reason to ask again.
  const [json] = useDebouncedValue(
    JSON.stringify({ type: props.type, ciIds: props.ciIds, riskAnswers: props.riskAnswers, outage: props.outage }),
    400,
  );
  const body = useMemo(() => JSON.parse(json) as AssessRequest, [json]);
  const query = useQuery({
    queryKey: changeKeys.assess(body),
    queryFn: ({ signal }) => assessChange(body, signal),
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
  return (
    <Paper
      withBorder
      p="md"
      radius="lg"
      component="section"
      aria-labelledby="live-assessment-title"
      aria-busy={query.isFetching}
    >
      <Group justify="space-between" mb="sm">
        <Title order={2} fz="md" id="live-assessment-title">
          Impact and risk
        </Title>
        {query.isFetching && <Loader size="xs" aria-label="Assessing" />}
      </Group>
      <Text fz="xs" c="dimmed" mb="md">
        Worked out from the affected CIs, the expected outage and the risk questions as you answer them.
      </Text>
      <div aria-live="polite">
        {query.data ? (
          <AssessmentView assessment={query.data} />
        ) : query.isError ? (
          <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} aria-hidden />}>
            {errorMessage(query.error)}
          </Alert>
        ) : (
          <Center py="md">
            <Loader size="sm" aria-label="Assessing" />
          </Center>
        )}
      </div>
    </Paper>
  );
}

/** The change's impact and risk as they stand now. */
export function ChangeAssessmentPanel({ change }: { change: Change }) {
  const query = useQuery({
    queryKey: changeKeys.assessment(change.id),
    queryFn: () => getAssessment(change.id),
  });
  const shown: Assessment | undefined =
    query.data ??
    (query.isError ? { risk: change.risk, impact: { services: [], organizations: [], cisReached: 0 } } : undefined);
  return (
    <Paper withBorder p="md" radius="lg" component="section" aria-labelledby="change-assessment-title">
      <Title order={2} fz="md" mb="sm" id="change-assessment-title">
        Impact and risk
      </Title>
      {shown ? (
        <AssessmentView assessment={shown} />
      ) : (
        <Center py="md">
          <Loader size="sm" aria-label="Loading the assessment" />
        </Center>
      )}
      {query.isError && (
        <Text fz="xs" c="red" mt="sm">
          The current impact could not be worked out: {errorMessage(query.error)}
        </Text>
      )}
    </Paper>
  );
}
