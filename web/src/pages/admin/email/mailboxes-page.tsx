import { Badge, Button, Container, Text, ThemeIcon, Tooltip } from "@mantine/core";
import { IconInbox, IconMailForward, IconPlus } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { emailKeys, getMailbox, listMailboxes, type Mailbox } from "../../../api/email.ts";
import { formatRelative } from "../../../lib/format.ts";
import { errorMessage } from "../../../lib/notify.ts";
import { PageHeader } from "../../page-header.tsx";
import { TYPE_LABELS } from "../../tickets/labels.ts";
import { useGroupNames } from "../../tickets/use-names.ts";
import { FormDrawer, StatusBadge } from "../form-drawer.tsx";
import { type Column, ResourceTable } from "../resource-table.tsx";
import { useEditor } from "../use-editor.ts";
import { MailboxForm } from "./mailbox-form.tsx";

function Checked({ mailbox }: { mailbox: Mailbox }) {
  if (mailbox.kind === "smtp") {
    return (
      <Text fz="sm" c="dimmed">
        Pushed by SMTP
      </Text>
    );
  }
  if (mailbox.lastError) {
    return (
      <Tooltip label={mailbox.lastError} multiline w={320} withArrow>
        <Badge color="red" variant="light" tt="none" fw={500} tabIndex={0}>
          Failing
        </Badge>
      </Tooltip>
    );
  }
  return (
    <Text fz="sm" c={mailbox.lastCheckedAt ? undefined : "dimmed"}>
      {formatRelative(mailbox.lastCheckedAt, "Not yet")}
    </Text>
  );
}

function columnsFor(groups: Map<string, string>): Column<Mailbox>[] {
  return [
    {
      header: "Kind",
      width: 90,
      render: (m) => (
        <Badge variant="light" color={m.kind === "imap" ? "grape" : "cyan"}>
          {m.kind === "imap" ? "IMAP" : "SMTP"}
        </Badge>
      ),
    },
    {
      header: "Routed to",
      render: (m) => (
        <div>
          <Text fz="sm">{groups.get(m.groupId) ?? "…"}</Text>
          <Text fz="xs" c="dimmed">
            {TYPE_LABELS[m.ticketType]}
          </Text>
        </div>
      ),
    },
    { header: "Last checked", visibleFrom: "sm", width: 150, render: (m) => <Checked mailbox={m} /> },
    { header: "Status", width: 120, render: (m) => <StatusBadge active={m.active} /> },
  ];
}

/** Where mail comes in, and which group its tickets go to. */
export function MailboxesPage() {
  const list = useQuery({ queryKey: emailKeys.mailboxes, queryFn: listMailboxes, select: (d) => d.items });
  const groups = useGroupNames();
  const editor = useEditor(getMailbox);
  const items = list.data ?? [];

  return (
    <Container size="xl" px={0}>
      <PageHeader
        title="Mailboxes"
        description="Addresses that turn mail into tickets: polled over IMAP or delivered to Steward's SMTP listener. Each routes its tickets to a group and sends that group's replies."
        actions={
          <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={editor.openNew}>
            New mailbox
          </Button>
        }
      />
      {list.isError ? (
        <Text c="red" fz="sm" role="alert">
          {errorMessage(list.error)}
        </Text>
      ) : (
        <ResourceTable
          caption="Mailboxes"
          items={items}
          columns={columnsFor(groups)}
          primary={(m) => ({ label: m.name, detail: m.address })}
          avatar={(m) => (
            <ThemeIcon variant="light" color={m.kind === "imap" ? "grape" : "cyan"} size={34} radius="md">
              {m.kind === "imap" ? <IconInbox size={18} aria-hidden /> : <IconMailForward size={18} aria-hidden />}
            </ThemeIcon>
          )}
          onOpen={editor.openEdit}
          isLoading={list.isLoading}
          emptyText="No mailboxes yet. Add one to turn incoming mail into tickets."
          hasMore={false}
          isLoadingMore={false}
          onLoadMore={() => {}}
        />
      )}
      <FormDrawer
        opened={editor.opened}
        onClose={editor.close}
        title={editor.record ? `Edit ${editor.record.name}` : "New mailbox"}
        size={560}
      >
        <MailboxForm
          key={editor.formKey}
          mailbox={editor.record}
          onDone={editor.close}
          onCreated={editor.openEdit}
          onReload={editor.reload}
        />
      </FormDrawer>
    </Container>
  );
}
