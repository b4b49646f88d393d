import {
  Alert,
  Badge,
  Button,
  Center,
  Code,
  Group,
  Loader,
  Modal,
  Paper,
  Stack,
  Table,
  Text,
  Title,
} from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { IconLock, IconPlugConnected, IconPlus } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import {
  cmdbAdminKeys,
  type InventoryKey,
  inventoryUrl,
  listInventoryKeys,
  revokeInventoryKey,
} from "../../../api/cmdb-admin.ts";
import { formatDate, formatRelative } from "../../../lib/format.ts";
import { errorMessage, notifyError, notifySuccess } from "../../../lib/notify.ts";
import { CreateInventoryKeyModal } from "./discovery-key-dialog.tsx";

function When({ iso, never = "Never" }: { iso: string | null; never?: string }) {
  if (!iso)
    return (
      <Text fz="sm" c="dimmed">
        {never}
      </Text>
    );
  return (
    <Text fz="sm" c="dimmed" component="time" dateTime={iso} title={new Date(iso).toLocaleString()}>
      {formatRelative(iso)}
    </Text>
  );
}

/** Inventory keys: the passwords agents send. Listed without the keys; a new one is shown once. */
export function InventoryKeys() {
  const queryClient = useQueryClient();
  const keys = useQuery({ queryKey: cmdbAdminKeys.inventoryKeys, queryFn: listInventoryKeys, select: (d) => d.items });
  const [createOpened, createModal] = useDisclosure(false);
  const [revoking, setRevoking] = useState<InventoryKey | null>(null);
  const revoke = useMutation({
    mutationFn: (k: InventoryKey) => revokeInventoryKey(k.id),
    onSuccess: async (_, k) => {
      await queryClient.invalidateQueries({ queryKey: cmdbAdminKeys.inventoryKeys });
      notifySuccess(`${k.name} was revoked.`);
      setRevoking(null);
    },
    onError: (error) => notifyError(error, "Could not revoke the key"),
  });
  const items = keys.data ?? [];
  const open = items.some((k) => !k.revokedAt);

  return (
    <Paper withBorder radius="lg" style={{ overflow: "hidden" }} component="section" aria-labelledby="inventory-keys">
      <Group justify="space-between" p="md" pb="xs" gap="sm">
        <Stack gap={2}>
          <Group gap={6}>
            <Title order={2} fz="md" id="inventory-keys">
              Inventory keys
            </Title>
            <Badge variant="light" color="gray" size="sm">
              {items.length}
            </Badge>
          </Group>
          <Text fz="sm" c="dimmed">
            FusionInventory, OCS Inventory and GLPI agents send their inventory with a key as the password.
          </Text>
        </Stack>
        <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={createModal.open}>
          New inventory key
        </Button>
      </Group>
      {!keys.isLoading && !keys.isError && (
        <Stack px="md" pb="sm">
          {open ? (
            <Alert color="teal" variant="light" icon={<IconPlugConnected size={18} aria-hidden />} p="sm">
              <Text fz="sm">
                The inventory endpoint is open: agents send to <Code>{inventoryUrl()}</Code>.
              </Text>
            </Alert>
          ) : (
            <Alert color="yellow" variant="light" icon={<IconLock size={18} aria-hidden />} p="sm" role="status">
              <Text fz="sm">
                The inventory endpoint is closed: until a key exists, <Code>{inventoryUrl()}</Code> answers 404 to every
                agent. Create a key to open it.
              </Text>
            </Alert>
          )}
        </Stack>
      )}
      {keys.isLoading ? (
        <Center py="lg">
          <Loader size="sm" aria-label="Loading inventory keys" />
        </Center>
      ) : keys.isError ? (
        <Text fz="sm" c="red" px="md" pb="md">
          {errorMessage(keys.error)}
        </Text>
      ) : items.length === 0 ? (
        <Text fz="sm" c="dimmed" px="md" pb="md">
          No inventory keys yet.
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table verticalSpacing="sm" horizontalSpacing="md">
            <caption className="steward-visually-hidden">Inventory keys</caption>
            <Table.Thead bg="var(--mantine-color-default-hover)">
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th w={130}>Status</Table.Th>
                <Table.Th w={140}>Created</Table.Th>
                <Table.Th w={150}>Last used</Table.Th>
                <Table.Th w={140}>Revoked</Table.Th>
                <Table.Th w={100}>
                  <span className="steward-visually-hidden">Actions</span>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((k) => (
                <Table.Tr key={k.id} data-key-name={k.name}>
                  <Table.Td>
                    <Text fw={600} fz="sm">
                      {k.name}
                    </Text>
                    <Code fz="xs">{k.prefix}…</Code>
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="dot" color={k.revokedAt ? "gray" : "teal"} style={{ minWidth: "max-content" }}>
                      {k.revokedAt ? "Revoked" : "Active"}
                    </Badge>
                  </Table.Td>
                  <Table.Td fz="sm">{formatDate(k.createdAt)}</Table.Td>
                  <Table.Td>
                    <When iso={k.lastUsedAt} />
                  </Table.Td>
                  <Table.Td fz="sm">
                    {k.revokedAt ? (
                      formatDate(k.revokedAt)
                    ) : (
                      <Text fz="sm" c="dimmed">
                        —
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td ta="right">
                    {!k.revokedAt && (
                      <Button
                        variant="subtle"
                        color="red"
                        size="compact-sm"
                        onClick={() => setRevoking(k)}
                        aria-label={`Revoke ${k.name}`}
                      >
                        Revoke
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <CreateInventoryKeyModal opened={createOpened} onClose={createModal.close} />
      <Modal opened={revoking !== null} onClose={() => setRevoking(null)} title="Revoke inventory key?" size="md">
        <Text fz="sm">
          Agents that send with <b>{revoking?.name}</b> will be refused from now on. This cannot be undone.
          {items.filter((k) => !k.revokedAt).length === 1 &&
            " It is the last active key: the inventory endpoint closes with it."}
        </Text>
        <Group justify="flex-end" gap="sm" mt="xl">
          <Button variant="default" onClick={() => setRevoking(null)}>
            Cancel
          </Button>
          <Button color="red" loading={revoke.isPending} onClick={() => revoking && revoke.mutate(revoking)}>
            Revoke key
          </Button>
        </Group>
      </Modal>
    </Paper>
  );
}
