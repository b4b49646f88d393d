import {
  Alert,
  Badge,
  Button,
  Divider,
  Group,
  Modal,
  NumberInput,
  Paper,
  PasswordInput,
  Radio,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { IconCircleCheck, IconCircleX, IconPlugConnected, IconTrash } from "@tabler/icons-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import type { TicketType } from "../../../../../common/workflows.ts";
import { isApiError } from "../../../api/client.ts";
import {
  createMailbox,
  deleteMailbox,
  emailKeys,
  type Mailbox,
  type MailboxTestResult,
  type MailboxUpdate,
  testMailbox,
  updateMailbox,
} from "../../../api/email.ts";
import { errorAt, type FieldErrors, handleSaveError, withoutErrors } from "../../../lib/form-errors.ts";
import { formatRelative } from "../../../lib/format.ts";
import { errorMessage, notifyError, notifySuccess } from "../../../lib/notify.ts";
import { TYPE_OPTIONS } from "../../tickets/labels.ts";
import { CategorySelect, GroupSelect } from "../../tickets/ticket-pickers.tsx";
import { FormActions } from "../form-drawer.tsx";

type Kind = Mailbox["kind"];
type Security = "tls" | "starttls" | "plain";
type UnknownSenders = Mailbox["unknownSenders"];
type ClosedReplies = Mailbox["closedReplies"];

export const SECURITY_OPTIONS: { value: Security; label: string }[] = [
  { value: "tls", label: "TLS" },
  { value: "starttls", label: "STARTTLS" },
  { value: "plain", label: "None (local test servers only)" },
];
const IMAP_PORTS: Record<Security, number> = { tls: 993, starttls: 143, plain: 143 };
const UNKNOWN_OPTIONS: { value: UnknownSenders; label: string }[] = [
  { value: "create", label: "Add them as customers and open a ticket" },
  { value: "reject", label: "Hold their mail in the quarantine" },
];
const CLOSED_OPTIONS: { value: ClosedReplies; label: string }[] = [
  { value: "new_ticket", label: "Open a new ticket linked to the closed one" },
  { value: "reopen", label: "Reopen the closed ticket" },
];

const FIELDS = [
  "kind",
  "name",
  "address",
  "groupId",
  "ticketType",
  "categoryId",
  "unknownSenders",
  "acknowledge",
  "closedReplies",
  "active",
  "imap",
];

const looksLikeAddress = (v: string) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v);

interface ImapValues {
  host: string;
  port: number | string;
  secure: Security;
  user: string;
  password: string;
  folder: string;
  moveTo: string;
}

function imapValues(m: Mailbox | null): ImapValues {
  const i = m?.imap;
  return {
    host: i?.host ?? "",
    port: i?.port ?? 993,
    secure: i?.secure ?? "tls",
    user: i?.user ?? "",
    password: "",
    folder: i?.folder ?? "INBOX",
    moveTo: i?.moveTo ?? "",
  };
}

function validate(
  v: { name: string; address: string; groupId: string | null; kind: Kind },
  imap: ImapValues,
  isNew: boolean,
) {
  const errors: FieldErrors = {};
  if (!v.name.trim()) errors.name = "Enter a name";
  if (!looksLikeAddress(v.address.trim())) errors.address = "Enter the address mail is sent to, like help@example.com";
  if (!v.groupId) errors.groupId = "Choose the group its tickets go to";
  if (v.kind === "imap") {
    if (!imap.host.trim()) errors["imap.host"] = "Enter the IMAP server's host name";
    const port = Number(imap.port);
    if (!Number.isInteger(port) || port < 1 || port > 65535) errors["imap.port"] = "1–65535";
    if (!imap.user.trim()) errors["imap.user"] = "Enter the user name";
    if (isNew && !imap.password) errors["imap.password"] = "Enter the password";
    if (!imap.folder.trim()) errors["imap.folder"] = "Enter a folder, usually INBOX";
  }
  return errors;
}

function TestResult({ result }: { result: MailboxTestResult }) {
  return (
    <Alert
      color={result.ok ? "teal" : "red"}
      variant="light"
      icon={result.ok ? <IconCircleCheck size={18} aria-hidden /> : <IconCircleX size={18} aria-hidden />}
      title={result.ok ? "Connection works" : "Connection failed"}
      role="status"
    >
      <Text fz="sm" style={{ overflowWrap: "anywhere" }}>
        {result.detail}
      </Text>
      {result.messages !== null && (
        <Text fz="sm" c="dimmed" mt={4}>
          {result.messages === 1 ? "1 message" : `${result.messages} messages`} in the folder.
        </Text>
      )}
    </Alert>
  );
}

/** What kind of mailbox it is, how its last check went, and a connection test with the saved settings. */
function ConnectionPanel({ mailbox }: { mailbox: Mailbox }) {
  const test = useMutation({ mutationFn: () => testMailbox(mailbox.id) });
  const imap = mailbox.kind === "imap";
  return (
    <Paper withBorder radius="md" p="sm" bg="var(--mantine-color-default-hover)">
      <Group justify="space-between" gap="sm" wrap="nowrap" align="center">
        <Group gap="sm" wrap="nowrap" miw={0}>
          <Badge variant="light" color={imap ? "grape" : "cyan"} style={{ flexShrink: 0 }}>
            {imap ? "IMAP" : "SMTP"}
          </Badge>
          <div style={{ minWidth: 0 }}>
            <Text fz="sm" fw={500}>
              {imap ? "Polled on an IMAP server" : "Received by Steward's SMTP listener"}
            </Text>
            <Text fz="xs" c="dimmed">
              {imap
                ? `Last checked: ${formatRelative(mailbox.lastCheckedAt, "not yet")}`
                : "The test checks that the listener takes mail for this address"}
            </Text>
          </div>
        </Group>
        <Button
          variant="default"
          size="sm"
          leftSection={<IconPlugConnected size={16} aria-hidden />}
          loading={test.isPending}
          onClick={() => test.mutate()}
          style={{ flexShrink: 0 }}
        >
          Test connection
        </Button>
      </Group>
      {(test.data || test.isError || mailbox.lastError) && (
        <Stack gap="xs" mt="sm">
          {test.data && <TestResult result={test.data} />}
          {test.isError && (
            <Text fz="sm" c="red" role="alert">
              {errorMessage(test.error)}
            </Text>
          )}
          {mailbox.lastError && !test.data?.ok && (
            <Alert color="red" variant="light" title="The last check failed" p="xs">
              <Text fz="sm" style={{ overflowWrap: "anywhere" }}>
                {mailbox.lastError}
              </Text>
            </Alert>
          )}
        </Stack>
      )}
    </Paper>
  );
}

/** Deleting a mailbox no mail came through; otherwise the way to deactivating it. */
function DeleteMailbox({
  mailbox,
  onDeleted,
  onReload,
}: {
  mailbox: Mailbox;
  onDeleted: () => void;
  onReload: () => Promise<void>;
}) {
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const [inUse, setInUse] = useState<string | null>(null);
  const remove = useMutation({
    mutationFn: () => deleteMailbox(mailbox.id),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: emailKeys.mailboxes });
      notifySuccess(`${mailbox.name} was deleted.`);
      setConfirming(false);
      onDeleted();
    },
    onError: (error) => {
      if (isApiError(error, 409)) setInUse(errorMessage(error));
      else notifyError(error, "Could not delete the mailbox");
    },
  });
  const deactivate = useMutation({
    mutationFn: () => updateMailbox(mailbox.id, { version: mailbox.version, active: false }),
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: emailKeys.mailboxes });
      notifySuccess(`${saved.name} was deactivated: it takes no more mail.`);
      setConfirming(false);
      await onReload();
    },
    onError: (error) => notifyError(error, "Could not deactivate the mailbox"),
  });
  const close = () => {
    setConfirming(false);
    setInUse(null);
  };
  return (
    <>
      <Group>
        <Button
          variant="subtle"
          color="red"
          size="compact-sm"
          leftSection={<IconTrash size={14} aria-hidden />}
          onClick={() => setConfirming(true)}
        >
          Delete mailbox
        </Button>
      </Group>
      <Modal
        opened={confirming}
        onClose={close}
        title={inUse ? "Deactivate the mailbox instead?" : "Delete the mailbox?"}
        centered
      >
        {inUse ? (
          <Text fz="sm">
            {inUse.replace(/\.$/, "")}. Deactivated, it takes no more mail, and its messages and tickets stay as they
            are.
          </Text>
        ) : (
          <Text fz="sm">
            {mailbox.address} stops taking mail, and {mailbox.name} is removed. Mailboxes that mail came through can
            only be deactivated.
          </Text>
        )}
        <Group justify="flex-end" mt="lg" gap="sm">
          <Button variant="default" onClick={close}>
            Keep it
          </Button>
          {inUse ? (
            mailbox.active && (
              <Button color="orange" loading={deactivate.isPending} onClick={() => deactivate.mutate()}>
                Deactivate
              </Button>
            )
          ) : (
            <Button color="red" loading={remove.isPending} onClick={() => remove.mutate()}>
              Delete
            </Button>
          )}
        </Group>
      </Modal>
    </>
  );
}

function ImapSection(props: {
  values: ImapValues;
  onChange: (patch: Partial<ImapValues>) => void;
  errors: FieldErrors;
  passwordSet: boolean;
}) {
  const { values, onChange, errors, passwordSet } = props;
  const [portTouched, setPortTouched] = useState(false);
  return (
    <Stack gap="sm" component="fieldset" m={0} p={0} style={{ border: 0 }}>
      <Title order={3} fz="sm" component="legend" p={0} mb={4}>
        IMAP server
      </Title>
      <Text fz="xs" c="dimmed" mt={-4}>
        Steward polls this mailbox and files each message once its article is saved.
      </Text>
      <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="sm">
        <TextInput
          label="Host"
          required
          placeholder="imap.example.com"
          value={values.host}
          onChange={(e) => onChange({ host: e.currentTarget.value })}
          error={errorAt(errors, "imap.host")}
          autoComplete="off"
          style={{ gridColumn: "span 2" }}
        />
        <NumberInput
          label="Port"
          required
          min={1}
          max={65535}
          allowDecimal={false}
          value={values.port}
          onChange={(port) => {
            setPortTouched(true);
            onChange({ port });
          }}
          error={errorAt(errors, "imap.port")}
        />
      </SimpleGrid>
      <Select
        label="Security"
        data={SECURITY_OPTIONS}
        value={values.secure}
        allowDeselect={false}
        onChange={(v) => {
          if (!v) return;
          const secure = v as Security;
          onChange(portTouched ? { secure } : { secure, port: IMAP_PORTS[secure] });
        }}
        error={errorAt(errors, "imap.secure")}
        comboboxProps={{ withinPortal: true }}
      />
      <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
        <TextInput
          label="User name"
          required
          value={values.user}
          onChange={(e) => onChange({ user: e.currentTarget.value })}
          error={errorAt(errors, "imap.user")}
          autoComplete="off"
        />
        <PasswordInput
          label="Password"
          required={!passwordSet}
          placeholder={passwordSet ? "Saved — type to replace" : undefined}
          value={values.password}
          onChange={(e) => onChange({ password: e.currentTarget.value })}
          error={errorAt(errors, "imap.password")}
          autoComplete="new-password"
        />
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
        <TextInput
          label="Folder"
          required
          value={values.folder}
          onChange={(e) => onChange({ folder: e.currentTarget.value })}
          error={errorAt(errors, "imap.folder")}
        />
        <TextInput
          label="Move processed mail to"
          placeholder="Keep in the folder"
          description="Empty: marked as read and kept"
          value={values.moveTo}
          onChange={(e) => onChange({ moveTo: e.currentTarget.value })}
          error={errorAt(errors, "imap.moveTo")}
        />
      </SimpleGrid>
    </Stack>
  );
}

/** A new mailbox, or a saved one with its connection test. */
export function MailboxForm(props: {
  mailbox: Mailbox | null;
  onDone: () => void;
  onCreated: (mailbox: Mailbox) => void;
  onReload: () => Promise<void>;
}) {
  const { mailbox, onDone, onCreated, onReload } = props;
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<Kind>(mailbox?.kind ?? "smtp");
  const [name, setName] = useState(mailbox?.name ?? "");
  const [address, setAddress] = useState(mailbox?.address ?? "");
  const [groupId, setGroupId] = useState<string | null>(mailbox?.groupId ?? null);
  const [ticketType, setTicketType] = useState<TicketType>(mailbox?.ticketType ?? "incident");
  const [categoryId, setCategoryId] = useState<string | null>(mailbox?.categoryId ?? null);
  const [unknownSenders, setUnknownSenders] = useState<UnknownSenders>(mailbox?.unknownSenders ?? "create");
  const [closedReplies, setClosedReplies] = useState<ClosedReplies>(mailbox?.closedReplies ?? "new_ticket");
  const [acknowledge, setAcknowledge] = useState(mailbox?.acknowledge ?? false);
  const [active, setActive] = useState(mailbox?.active ?? true);
  const [imap, setImap] = useState<ImapValues>(() => imapValues(mailbox));
  const [errors, setErrors] = useState<FieldErrors>({});
  const clear = (field: string) => setErrors((all) => withoutErrors(all, field));

  const imapBody = () => ({
    host: imap.host.trim(),
    port: Number(imap.port),
    secure: imap.secure,
    user: imap.user.trim(),
    folder: imap.folder.trim(),
    moveTo: imap.moveTo.trim() || null,
  });

  const mutation = useMutation({
    mutationFn: async () => {
      if (!mailbox) {
        return createMailbox({
          kind,
          name: name.trim(),
          address: address.trim(),
          groupId: groupId ?? "",
          ticketType,
          categoryId,
          unknownSenders,
          acknowledge,
          closedReplies,
          active,
          ...(kind === "imap" ? { imap: { ...imapBody(), password: imap.password } } : {}),
        });
      }
      const body: MailboxUpdate = { version: mailbox.version };
      if (name.trim() !== mailbox.name) body.name = name.trim();
      if (address.trim().toLowerCase() !== mailbox.address) body.address = address.trim();
      if (groupId && groupId !== mailbox.groupId) body.groupId = groupId;
      if (ticketType !== mailbox.ticketType) body.ticketType = ticketType;
      if (categoryId !== mailbox.categoryId) body.categoryId = categoryId;
      if (unknownSenders !== mailbox.unknownSenders) body.unknownSenders = unknownSenders;
      if (acknowledge !== mailbox.acknowledge) body.acknowledge = acknowledge;
      if (closedReplies !== mailbox.closedReplies) body.closedReplies = closedReplies;
      if (active !== mailbox.active) body.active = active;
      if (mailbox.kind === "imap" && mailbox.imap) {
        const next = imapBody();
        const saved = mailbox.imap;
        const changed = (Object.keys(next) as (keyof typeof next)[]).some((k) => next[k] !== saved[k]);
        if (changed || imap.password) {
          body.imap = { ...next, ...(imap.password ? { password: imap.password } : {}) };
        }
      }
      return Object.keys(body).length > 1 ? updateMailbox(mailbox.id, body) : null;
    },
    onSuccess: async (saved) => {
      if (saved) await queryClient.invalidateQueries({ queryKey: emailKeys.mailboxes });
      if (!mailbox && saved) {
        notifySuccess(`${saved.name} was created. Test its connection next.`);
        onCreated(saved);
        return;
      }
      notifySuccess(saved ? `${saved.name} was saved.` : "Nothing to save.");
      onDone();
    },
    onError: (error) =>
      handleSaveError(error, {
        noun: "mailbox",
        fields: FIELDS,
        paths: true,
        setFieldErrors: setErrors,
        onConflict: mailbox ? onReload : undefined,
      }),
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const found = validate({ name, address, groupId, kind }, imap, !mailbox?.imap?.passwordSet);
    setErrors(found);
    if (Object.keys(found).length === 0) mutation.mutate();
  };

  return (
    <form onSubmit={onSubmit} noValidate aria-label={mailbox ? `Edit ${mailbox.name}` : "New mailbox"}>
      <Stack gap="md">
        {mailbox ? (
          <ConnectionPanel mailbox={mailbox} />
        ) : (
          <Radio.Group
            label="How mail arrives"
            value={kind}
            onChange={(v) => {
              setKind(v as Kind);
              clear("imap");
            }}
          >
            <Stack gap="xs" mt={6}>
              <Radio
                value="smtp"
                label="SMTP listener"
                description="Mail for this address is delivered to Steward's own SMTP listener"
              />
              <Radio value="imap" label="IMAP mailbox" description="Steward polls a mailbox on your mail server" />
            </Stack>
          </Radio.Group>
        )}
        <TextInput
          label="Name"
          required
          placeholder="Service desk"
          value={name}
          onChange={(e) => {
            setName(e.currentTarget.value);
            clear("name");
          }}
          error={errors.name}
          data-autofocus
        />
        <TextInput
          label="Address"
          required
          type="email"
          placeholder="help@example.com"
          description="Mail sent to this address becomes tickets; replies go out from it"
          value={address}
          onChange={(e) => {
            setAddress(e.currentTarget.value);
            clear("address");
          }}
          error={errors.address}
          autoComplete="off"
        />
        <Divider label="New tickets" labelPosition="left" />
        <GroupSelect
          label="Group"
          description="Tickets from this mailbox go to this group"
          placeholder="Choose a group"
          value={groupId}
          onChange={(v) => {
            setGroupId(v);
            clear("groupId");
          }}
          error={errors.groupId}
          clearable={false}
        />
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
          <Select
            label="Ticket type"
            required
            data={TYPE_OPTIONS}
            value={ticketType}
            allowDeselect={false}
            onChange={(v) => v && setTicketType(v as TicketType)}
            error={errors.ticketType}
            comboboxProps={{ withinPortal: true }}
          />
          <CategorySelect
            label="Category"
            placeholder="None"
            value={categoryId}
            onChange={(v) => {
              setCategoryId(v);
              clear("categoryId");
            }}
            error={errors.categoryId}
          />
        </SimpleGrid>
        <Select
          label="Unknown senders"
          description="Mail from an address Steward does not know"
          data={UNKNOWN_OPTIONS}
          value={unknownSenders}
          allowDeselect={false}
          onChange={(v) => v && setUnknownSenders(v as UnknownSenders)}
          error={errors.unknownSenders}
          comboboxProps={{ withinPortal: true }}
        />
        <Select
          label="Replies to closed tickets"
          data={CLOSED_OPTIONS}
          value={closedReplies}
          allowDeselect={false}
          onChange={(v) => v && setClosedReplies(v as ClosedReplies)}
          error={errors.closedReplies}
          comboboxProps={{ withinPortal: true }}
        />
        <Switch
          label="Acknowledge new tickets"
          description="Send the requester a short mail with the ticket number"
          checked={acknowledge}
          onChange={(e) => setAcknowledge(e.currentTarget.checked)}
          color="teal"
        />
        {mailbox && (
          <Switch
            label="Active"
            description={active ? "Mail for this address is taken" : "Mail for this address is refused"}
            checked={active}
            onChange={(e) => setActive(e.currentTarget.checked)}
            error={errors.active}
            color="teal"
          />
        )}
        {kind === "imap" && (
          <>
            <Divider />
            <ImapSection
              values={imap}
              onChange={(patch) => {
                setImap((v) => ({ ...v, ...patch }));
                for (const k of Object.keys(patch)) clear(`imap.${k}`);
              }}
              errors={errors}
              passwordSet={!!mailbox?.imap?.passwordSet}
            />
          </>
        )}
        {errors.imap && (
          <Text fz="sm" c="red" role="alert">
            {errors.imap}
          </Text>
        )}
        {mailbox && (
          <>
            <Divider />
            <DeleteMailbox mailbox={mailbox} onDeleted={onDone} onReload={onReload} />
          </>
        )}
      </Stack>
      <FormActions onCancel={onDone} submitLabel={mailbox ? "Save" : "Create mailbox"} loading={mutation.isPending} />
    </form>
  );
}
