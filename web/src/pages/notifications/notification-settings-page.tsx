import { Anchor, Container, Group, Paper, Switch, Table, Text } from "@mantine/core";
import { IconBellOff } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import {
  listNotificationRules,
  type NotificationRule,
  notificationKeys,
  setNotificationRule,
} from "../../api/notifications.ts";
import { errorMessage, notifyError, notifySuccess } from "../../lib/notify.ts";
import { EmptyState, LoadingRows } from "../admin/email/email-parts.tsx";
import { PageHeader } from "../page-header.tsx";

type Choice = Pick<NotificationRule, "rule" | "email" | "inApp">;

function describe(r: Pick<NotificationRule, "label" | "email" | "inApp">): string {
  const ways = [r.email && "by e-mail", r.inApp && "in the app"].filter(Boolean);
  return ways.length ? `“${r.label}”: you are told ${ways.join(" and ")}.` : `“${r.label}”: you are not told.`;
}

/** Per rule, whether the caller is told by e-mail and/or in the app; each switch saves at once. */
export function NotificationSettingsPage() {
  const queryClient = useQueryClient();
  const rules = useQuery({ queryKey: notificationKeys.rules, queryFn: listNotificationRules, select: (d) => d.items });
  const save = useMutation({
    mutationFn: (c: Choice) => setNotificationRule(c.rule, { email: c.email, inApp: c.inApp }),
    onMutate: async (c) => {
      await queryClient.cancelQueries({ queryKey: notificationKeys.rules });
      const before = queryClient.getQueryData<{ items: NotificationRule[] }>(notificationKeys.rules);
      queryClient.setQueryData<{ items: NotificationRule[] }>(notificationKeys.rules, (d) =>
        d ? { items: d.items.map((r) => (r.rule === c.rule ? { ...r, ...c, isDefault: false } : r)) } : d,
      );
      return { before };
    },
    onSuccess: (saved) => {
      queryClient.setQueryData<{ items: NotificationRule[] }>(notificationKeys.rules, (d) =>
        d ? { items: d.items.map((r) => (r.rule === saved.rule ? saved : r)) } : d,
      );
      notifySuccess(describe(saved), "Saved");
    },
    onError: (error, _c, context) => {
      if (context?.before) queryClient.setQueryData(notificationKeys.rules, context.before);
      notifyError(error, "Could not save the choice");
    },
  });
  const items = rules.data ?? [];

  return (
    <Container size="md" px={0}>
      <PageHeader
        title="Notification settings"
        description="Choose what Steward tells you about, and how: by e-mail, in the app (the bell at the top), or both. Changes are saved as you make them."
      />
      <Paper withBorder radius="lg" style={{ overflow: "hidden" }}>
        {items.length > 0 && (
          <Table.ScrollContainer minWidth={520}>
            <Table verticalSpacing="sm" horizontalSpacing="md">
              <caption className="steward-visually-hidden">Notifications you can choose</caption>
              <Table.Thead bg="var(--mantine-color-default-hover)">
                <Table.Tr>
                  <Table.Th>Notification</Table.Th>
                  <Table.Th w={100} ta="center">
                    E-mail
                  </Table.Th>
                  <Table.Th w={100} ta="center">
                    In-app
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((r) => (
                  <Table.Tr key={r.rule} data-testid="notification-rule">
                    <Table.Td>
                      <Text fz="sm" fw={600}>
                        {r.label}
                      </Text>
                      <Text fz="xs" c="dimmed" mt={2}>
                        {r.description}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Group justify="center">
                        <Switch
                          checked={r.email}
                          aria-label={`E-mail for ${r.label}`}
                          onChange={(e) =>
                            save.mutate({ rule: r.rule, email: e.currentTarget.checked, inApp: r.inApp })
                          }
                        />
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <Group justify="center">
                        <Switch
                          checked={r.inApp}
                          aria-label={`In-app for ${r.label}`}
                          onChange={(e) =>
                            save.mutate({ rule: r.rule, email: r.email, inApp: e.currentTarget.checked })
                          }
                        />
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        {rules.isLoading && <LoadingRows label="Loading your notification settings" />}
        {rules.isError && (
          <Text c="red" fz="sm" p="md" role="alert">
            {errorMessage(rules.error)}
          </Text>
        )}
        {!rules.isLoading && !rules.isError && items.length === 0 && (
          <EmptyState
            icon={IconBellOff}
            title="Nothing to choose"
            text="There are no notifications for your account to set up."
          />
        )}
      </Paper>
      <Text fz="xs" c="dimmed" mt="md">
        E-mail goes to your account's address once an administrator has set up the outgoing mail server. Everything you
        are told in the app is in the{" "}
        <Anchor component={Link} to="/notifications" fz="xs">
          notification centre
        </Anchor>
        .
      </Text>
    </Container>
  );
}
