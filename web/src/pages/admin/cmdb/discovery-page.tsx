import { Container, Stack } from "@mantine/core";
import { PageHeader } from "../../page-header.tsx";
import { InventoryKeys } from "./discovery-keys.tsx";
import { DiscoveryLog } from "./discovery-log.tsx";

/** Discovery: the keys inventory agents authenticate with, and what each of their runs did. */
export function DiscoveryPage() {
  return (
    <Container size="xl" px={0}>
      <PageHeader
        title="Discovery"
        description="Inventory agents keep Computer and Software CIs up to date. A machine is recognized by its serial number, system UUID, MAC addresses or host name; when those point at different CIs, nothing is written and the run shows as a conflict."
      />
      <Stack gap="lg">
        <InventoryKeys />
        <DiscoveryLog />
      </Stack>
    </Container>
  );
}
