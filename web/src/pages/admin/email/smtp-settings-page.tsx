import {
  Alert,
  Badge,
  Button,
  Center,
  Checkbox,
  Container,
  Group,
  Loader,
  NumberInput,
  Paper,
  PasswordInput,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { IconCircleCheck, IconCircleX, IconDeviceFloppy, IconSend } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useId, useState } from "react";
import { isApiError } from "../../../api/client.ts";
import {
  emailKeys,
  getSmtpSettings,
  type SmtpSettings,
  type SmtpSettingsUpdate,
  saveSmtpSettings,
  sendSmtpTest,
} from "../../../api/email.ts";
import { useMe } from "../../../auth.tsx";
import { type FieldErrors, handleSaveError } from "../../../lib/form-errors.ts";
import { errorMessage, notifySuccess } from "../../../lib/notify.ts";
import { PageHeader } from "../../page-header.tsx";
import { SECURITY_OPTIONS } from "./mailbox-form.tsx";

type Security = SmtpSettings["secure"];
const SMTP_PORTS: Record<Security, number> = { tls: 465, starttls: 587, plain: 25 };
const FIELDS = ["host", "port", "secure", "user", "password", "from"];
const looksLikeAddress = (v: string) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v);

function Section(props: { title: string; description: string; children: ReactNode; badge?: ReactNode }) {
  const id = useId();
  return (
    <Paper withBorder radius="lg" p="lg" component="section" aria-labelledby={id}>
      <Group gap="xs" mb={2}>
        <Title order={2} fz="lg" id={id}>
          {props.title}
        </Title>
        {props.badge}
      </Group>
      <Text fz="sm" c="dimmed" mb="md" maw={640}>
        {props.description}
      </Text>
      {props.children}
    </Paper>
  );
}

function SettingsForm({ settings, onReload }: { settings: SmtpSettings; onReload: () => Promise<unknown> }) {
  const queryClient = useQueryClient();
  const [host, setHost] = useState(settings.host);
  const [port, setPort] = useState<number | string>(settings.port);
  const [portTouched, setPortTouched] = useState(false);
  const [secure, setSecure] = useState<Security>(settings.secure);
  const [user, setUser] = useState(settings.user ?? "");
  const [password, setPassword] = useState("");
  const [removePassword, setRemovePassword] = useState(false);
  const [from, setFrom] = useState(settings.from);
  const [errors, setErrors] = useState<FieldErrors>({});
  const clear = (field: string) => setErrors(({ [field]: _, ...rest }) => rest);
  const configured = !!settings.host && !!settings.from;
  const dirty =
    host.trim() !== settings.host ||
    Number(port) !== settings.port ||
    secure !== settings.secure ||
    (user.trim() || null) !== settings.user ||
    !!password ||
    removePassword ||
    from.trim().toLowerCase() !== settings.from.toLowerCase();

  const mutation = useMutation({
    mutationFn: () => {
      const body: SmtpSettingsUpdate = {
        version: settings.version,
        host: host.trim(),
        port: Number(port),
        secure,
        user: user.trim() || null,
        from: from.trim(),
      };
      if (password) body.password = password;
      else if (removePassword) body.password = null;
      return saveSmtpSettings(body);
    },
    onSuccess: (saved) => {
      queryClient.setQueryData(emailKeys.smtp, saved);
      notifySuccess("The outgoing mail settings were saved.");
    },
    onError: (error) =>
      handleSaveError(error, {
        noun: "SMTP settings",
        fields: FIELDS,
        setFieldErrors: setErrors,
        onConflict: async () => {
          await onReload();
        },
      }),
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const found: FieldErrors = {};
    if (!host.trim()) found.host = "Enter the mail server's host name";
    const p = Number(port);
    if (!Number.isInteger(p) || p < 1 || p > 65535) found.port = "1–65535";
    if (!looksLikeAddress(from.trim())) found.from = "Enter an address, like help@example.com";
    setErrors(found);
    if (Object.keys(found).length === 0) mutation.mutate();
  };

  return (
    <form onSubmit={onSubmit} noValidate aria-label="SMTP settings">
      <Section
        title="Mail server"
        description="The server Steward hands its outgoing mail to. Replies for a group go out from that group's mailbox address; everything else from the sender below."
        badge={
          <Badge variant="dot" color={configured ? "teal" : "gray"}>
            {configured ? "Configured" : "Not set up"}
          </Badge>
        }
      >
        <Stack gap="sm" maw={640}>
          <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="sm">
            <TextInput
              label="Host"
              required
              placeholder="smtp.example.com"
              value={host}
              onChange={(e) => {
                setHost(e.currentTarget.value);
                clear("host");
              }}
              error={errors.host}
              autoComplete="off"
              style={{ gridColumn: "span 2" }}
            />
            <NumberInput
              label="Port"
              required
              min={1}
              max={65535}
              allowDecimal={false}
              value={port}
              onChange={(v) => {
                setPort(v);
                setPortTouched(true);
                clear("port");
              }}
              error={errors.port}
            />
          </SimpleGrid>
          <Select
            label="Security"
            data={SECURITY_OPTIONS}
            value={secure}
            allowDeselect={false}
            onChange={(v) => {
              if (!v) return;
              const next = v as Security;
              setSecure(next);
              if (!portTouched) setPort(SMTP_PORTS[next]);
            }}
            error={errors.secure}
          />
          <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
            <TextInput
              label="User name"
              placeholder="No login"
              description="Empty when the server takes mail without a login"
              value={user}
              onChange={(e) => {
                setUser(e.currentTarget.value);
                clear("user");
              }}
              error={errors.user}
              autoComplete="off"
            />
            <PasswordInput
              label="Password"
              description={settings.passwordSet ? "A password is saved" : "None saved"}
              placeholder={settings.passwordSet ? "Saved — type to replace" : undefined}
              value={password}
              onChange={(e) => {
                setPassword(e.currentTarget.value);
                if (e.currentTarget.value) setRemovePassword(false);
                clear("password");
              }}
              error={errors.password}
              disabled={removePassword}
              autoComplete="new-password"
            />
          </SimpleGrid>
          {settings.passwordSet && (
            <Checkbox
              label="Remove the saved password"
              checked={removePassword}
              onChange={(e) => {
                setRemovePassword(e.currentTarget.checked);
                if (e.currentTarget.checked) setPassword("");
              }}
            />
          )}
          <TextInput
            label="Sender address"
            required
            type="email"
            placeholder="servicedesk@example.com"
            description="From address of notifications, password resets and groups without a mailbox"
            value={from}
            onChange={(e) => {
              setFrom(e.currentTarget.value);
              clear("from");
            }}
            error={errors.from}
            autoComplete="off"
          />
          <Group gap="sm" mt="xs">
            <Button
              type="submit"
              loading={mutation.isPending}
              disabled={!dirty}
              leftSection={<IconDeviceFloppy size={16} aria-hidden />}
            >
              Save settings
            </Button>
            {dirty && (
              <Button
                variant="default"
                onClick={() => {
                  setHost(settings.host);
                  setPort(settings.port);
                  setSecure(settings.secure);
                  setUser(settings.user ?? "");
                  setPassword("");
                  setRemovePassword(false);
                  setFrom(settings.from);
                  setErrors({});
                }}
              >
                Undo changes
              </Button>
            )}
          </Group>
        </Stack>
      </Section>
      <TestMail configured={configured} dirty={dirty} />
    </form>
  );
}

/** Sends one mail through the saved settings and says what the server answered. */
function TestMail({ configured, dirty }: { configured: boolean; dirty: boolean }) {
  const me = useMe();
  const [to, setTo] = useState(me?.email ?? "");
  const [error, setError] = useState<string | undefined>();
  const test = useMutation({
    mutationFn: () => sendSmtpTest(to.trim()),
    onError: (e) => {
      const fields = isApiError(e) ? e.fieldErrors() : {};
      setError(fields.to ?? errorMessage(e));
    },
  });
  const send = () => {
    if (!looksLikeAddress(to.trim())) {
      setError("Enter the address to send the test to");
      return;
    }
    setError(undefined);
    test.mutate();
  };
  return (
    <Paper withBorder radius="lg" p="lg" mt="md" component="section" aria-labelledby="smtp-test-title">
      <Title order={2} fz="lg" id="smtp-test-title" mb={2}>
        Test mail
      </Title>
      <Text fz="sm" c="dimmed" mb="md" maw={640}>
        Sends a short mail through the saved settings right away.
        {dirty && " Save your changes first: the test uses what is saved."}
        {!configured && !dirty && " Set up the mail server first."}
      </Text>
      <Group gap="sm" align="flex-start" maw={640}>
        <TextInput
          label="Send to"
          type="email"
          value={to}
          onChange={(e) => {
            setTo(e.currentTarget.value);
            setError(undefined);
          }}
          onKeyDown={(e) => {
            // Enter sends the test, not the settings form around it.
            if (e.key === "Enter") {
              e.preventDefault();
              send();
            }
          }}
          error={error}
          style={{ flex: "1 1 260px" }}
          autoComplete="email"
        />
        <Button
          mt={25}
          variant="light"
          leftSection={<IconSend size={16} aria-hidden />}
          loading={test.isPending}
          onClick={send}
        >
          Send test mail
        </Button>
      </Group>
      {test.data && (
        <Alert
          mt="md"
          maw={640}
          color={test.data.ok ? "teal" : "red"}
          variant="light"
          icon={test.data.ok ? <IconCircleCheck size={18} aria-hidden /> : <IconCircleX size={18} aria-hidden />}
          title={test.data.ok ? "Test mail sent" : "The test mail was not sent"}
          role="status"
        >
          <Text fz="sm" style={{ overflowWrap: "anywhere" }}>
            {test.data.detail}
          </Text>
        </Alert>
      )}
    </Paper>
  );
}

/** The outgoing mail server and a test mail. */
export function SmtpSettingsPage() {
  const settings = useQuery({ queryKey: emailKeys.smtp, queryFn: getSmtpSettings });
  return (
    <Container size="md" px={0} ml={0}>
      <PageHeader
        title="Outgoing mail server"
        description="How Steward sends mail: replies to requesters, acknowledgements, notifications and password resets."
      />
      {settings.isLoading ? (
        <Center py="xl">
          <Loader size="sm" aria-label="Loading the settings" />
        </Center>
      ) : settings.data ? (
        <SettingsForm key={settings.data.version} settings={settings.data} onReload={() => settings.refetch()} />
      ) : (
        <Text c="red" fz="sm" role="alert">
          {errorMessage(settings.error)}
        </Text>
      )}
    </Container>
  );
}
