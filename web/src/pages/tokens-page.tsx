import { Badge, Button, Code, Container, Group, Modal, Paper, Table, Text } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { IconKey, IconPlus } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { Token } from "../../../common/identity.ts";
import { listTokens, revokeToken } from "../api/identity.ts";
import { keys } from "../api/queries.ts";
import { formatDate, formatRelative } from "../lib/format.ts";
import { notifyError, notifySuccess } from "../lib/notify.ts";
import { PageHeader } from "./page-header.tsx";
import { CreateTokenModal } from "./token-dialogs.tsx";

function status(t: Token): { label: string; color: string } {
  if (t.revokedAt) return { label: "Revoked", color: "gray" };
  if (t.expiresAt && new Date(t.expiresAt).getTime() < Date.now()) return { label: "Expired", color: "orange" };
  return { label: "Active", color: "teal" };
}

export function TokensPage() {
  const queryClient = useQueryClient();
  const tokens = useQuery({ queryKey: keys.tokens, queryFn: listTokens, select: (d) => d.items });
  const [createOpened, createModal] = useDisclosure(false);
  const [revoking, setRevoking] = useState<Token | null>(null);
  const revoke = useMutation({
    mutationFn: (t: Token) => revokeToken(t.id),
    onSuccess: async (_, t) => {
      await queryClient.invalidateQueries({ queryKey: keys.tokens });
      notifySuccess(`${t.name} was revoked.`);
      setRevoking(null);
    },
    onError: (error) => notifyError(error, "Could not revoke the token"),
  });
  const items = tokens.data ?? [];

  return (
    <Container size="lg" px={0}>
      <PageHeader
        title="API tokens"
        description="Personal tokens let scripts and integrations call the Steward API as you, with your permissions."
        actions={
          <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={createModal.open}>
            New token
          </Button>
        }
      />
      <Paper withBorder radius="lg" style={{ overflow: "hidden" }}>
        <Table.ScrollContainer minWidth={560}>
          <Table verticalSpacing="sm" horizontalSpacing="md">
            <caption className="steward-visually-hidden">API tokens</caption>
            <Table.Thead bg="var(--mantine-color-default-hover)">
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Expires</Table.Th>
                <Table.Th>Last used</Table.Th>
                <Table.Th>
                  <span className="steward-visually-hidden">Actions</span>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((t) => {
                const s = status(t);
                return (
                  <Table.Tr key={t.id}>
                    <Table.Td>
                      <Text fw={600} fz="sm">
                        {t.name}
                      </Text>
                      <Text fz="xs" c="dimmed">
                        <Code fz="xs">{t.prefix}…</Code> · created {formatDate(t.createdAt)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Badge variant="dot" color={s.color}>
                        {s.label}
                      </Badge>
                    </Table.Td>
                    <Table.Td fz="sm">{t.expiresAt ? formatDate(t.expiresAt) : "Never"}</Table.Td>
                    <Table.Td fz="sm" c="dimmed">
                      {formatRelative(t.lastUsedAt)}
                    </Table.Td>
                    <Table.Td ta="right">
                      {!t.revokedAt && (
                        <Button
                          variant="subtle"
                          color="red"
                          size="compact-sm"
                          onClick={() => setRevoking(t)}
                          aria-label={`Revoke ${t.name}`}
                        >
                          Revoke
                        </Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        {!tokens.isLoading && items.length === 0 && (
          <Group justify="center" gap="xs" py="xl" c="dimmed">
            <IconKey size={18} aria-hidden />
            <Text fz="sm">You have no API tokens yet.</Text>
          </Group>
        )}
      </Paper>
      <CreateTokenModal opened={createOpened} onClose={createModal.close} />
      <Modal opened={revoking !== null} onClose={() => setRevoking(null)} title="Revoke token?" size="md">
        <Text fz="sm">
          Anything that uses <b>{revoking?.name}</b> will stop working at once. This cannot be undone.
        </Text>
        <Group justify="flex-end" gap="sm" mt="xl">
          <Button variant="default" onClick={() => setRevoking(null)}>
            Cancel
          </Button>
          <Button color="red" loading={revoke.isPending} onClick={() => revoking && revoke.mutate(revoking)}>
            Revoke token
          </Button>
        </Group>
      </Modal>
    </Container>
  );
}
