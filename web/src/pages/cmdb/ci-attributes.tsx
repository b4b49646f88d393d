import { Badge, Center, Grid, Group, Loader, Paper, SimpleGrid, Stack, Text, Title, Tooltip } from "@mantine/core";
import { IconLock } from "@tabler/icons-react";
import type { ReactNode } from "react";
import type { Ci } from "../../api/cmdb.ts";
import { formatDateTime } from "../../lib/format.ts";
import { AttributeValue, collectRefs, emptyRefs, useLookups } from "./attribute-values.tsx";
import { CiLink, DeploymentBadge, IncidentBadge } from "./cmdb-badges.tsx";
import { useClassMap, useClassVersion } from "./use-cmdb.ts";

function Item({ label, children, locked }: { label: string; children: ReactNode; locked?: boolean }) {
  return (
    <div>
      <Group gap={4} wrap="nowrap">
        <Text fz="xs" c="dimmed" fw={500} component="dt">
          {label}
        </Text>
        {locked && (
          <Tooltip label="Locked: discovery and import leave it as it is" withinPortal>
            <Badge
              size="xs"
              variant="light"
              color="orange"
              tt="none"
              leftSection={<IconLock size={10} aria-hidden />}
              aria-label={`${label} is locked`}
            >
              Locked
            </Badge>
          </Tooltip>
        )}
      </Group>
      <Text component="dd" m={0} mt={2} fz="sm">
        {children}
      </Text>
    </div>
  );
}

const none = (
  <Text span c="dimmed" fz="sm">
    —
  </Text>
);

/** The CI's attributes, labelled as its class defined them at the version it was written with. */
export function CiAttributes({ ci }: { ci: Ci }) {
  const definition = useClassVersion(ci.classId, ci.classVersion);
  const classes = useClassMap();
  const current = classes.get(ci.classId);
  const defs = definition.data ?? [];
  const refs = collectRefs(emptyRefs(), defs, ci.attributes);
  refs.orgs.push(...ci.serviceOrganizationIds, ...(ci.organizationId ? [ci.organizationId] : []));
  refs.cis.push(...(ci.locationId ? [ci.locationId] : []));
  const l = useLookups(refs);
  const locks = new Set(ci.locks);
  const isService = current?.code === "business_service" || ci.serviceOrganizationIds.length > 0;

  return (
    <Grid gap="lg">
      <Grid.Col span={{ base: 12, md: 8 }}>
        <Paper withBorder p="md" radius="lg" component="section" aria-labelledby="ci-attributes-title">
          <Group justify="space-between" mb="md">
            <Title order={2} fz="md" id="ci-attributes-title">
              {ci.className} attributes
            </Title>
            {current && current.version > ci.classVersion && (
              <Text fz="xs" c="dimmed">
                As defined in version {ci.classVersion} of the class; the next edit moves it to version{" "}
                {current.version}.
              </Text>
            )}
          </Group>
          {definition.isLoading ? (
            <Center py="md">
              <Loader size="sm" aria-label="Loading the attributes" />
            </Center>
          ) : defs.length === 0 ? (
            <Text fz="sm" c="dimmed">
              This class has no attributes of its own.
            </Text>
          ) : (
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="lg" verticalSpacing="md" component="dl" m={0}>
              {defs.map((def) => (
                <Item key={def.key} label={def.label} locked={locks.has(def.key)}>
                  <AttributeValue def={def} value={ci.attributes[def.key]} lookups={l} />
                </Item>
              ))}
            </SimpleGrid>
          )}
        </Paper>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 4 }}>
        <Paper withBorder p="md" radius="lg" component="section" aria-labelledby="ci-details-title">
          <Title order={2} fz="md" mb="md" id="ci-details-title">
            Details
          </Title>
          <Stack gap="md" component="dl" m={0}>
            <Item label="Deployment state">
              <DeploymentBadge state={ci.deploymentState} />
            </Item>
            <Item label="Incident state">
              <Group gap="xs" component="span">
                <IncidentBadge state={ci.incidentState} />
                {ci.incidentState !== "operational" && (
                  <Text span fz="xs" c="dimmed">
                    {ci.incidentManual ? "set by hand" : "from linked tickets"}
                  </Text>
                )}
              </Group>
            </Item>
            <Item label="Organization">{ci.organizationId ? (l.orgs.get(ci.organizationId) ?? "…") : none}</Item>
            <Item label="Group">{ci.groupId ? (l.groups.get(ci.groupId) ?? "…") : none}</Item>
            <Item label="Location">
              {ci.locationId ? (
                <CiLink
                  id={ci.locationId}
                  name={l.cis.get(ci.locationId)?.name ?? "…"}
                  number={l.cis.get(ci.locationId)?.number}
                />
              ) : (
                none
              )}
            </Item>
            {isService && (
              <Item label="Subscribed customers">
                {ci.serviceOrganizationIds.length ? (
                  <Group gap={6} component="span">
                    {ci.serviceOrganizationIds.map((id) => (
                      <Badge key={id} variant="light" color="indigo" tt="none" fw={500}>
                        {l.orgs.get(id) ?? "…"}
                      </Badge>
                    ))}
                  </Group>
                ) : (
                  none
                )}
              </Item>
            )}
            <Item label="Created">{formatDateTime(ci.createdAt)}</Item>
            <Item label="Last changed">{formatDateTime(ci.updatedAt)}</Item>
          </Stack>
        </Paper>
      </Grid.Col>
    </Grid>
  );
}
