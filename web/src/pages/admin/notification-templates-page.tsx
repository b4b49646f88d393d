import {
  Alert,
  Badge,
  Box,
  Button,
  Center,
  Code,
  Container,
  Grid,
  Group,
  Loader,
  Modal,
  NavLink,
  Paper,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
  UnstyledButton,
} from "@mantine/core";
import { IconAlertCircle, IconDeviceFloppy, IconEye, IconRestore } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useRef, useState } from "react";
import { isApiError } from "../../api/client.ts";
import {
  listNotificationTemplates,
  type NotificationRuleId,
  type NotificationTemplate,
  notificationKeys,
  previewNotificationTemplate,
  type RenderedNotification,
  resetNotificationTemplate,
  saveNotificationTemplate,
} from "../../api/notifications.ts";
import { type FieldErrors, handleSaveError } from "../../lib/form-errors.ts";
import { formatDateTime } from "../../lib/format.ts";
import { errorMessage, notifyError, notifySuccess } from "../../lib/notify.ts";
import { PageHeader } from "../page-header.tsx";
import { RichText } from "../tickets/rich-text.tsx";

const FIELDS = ["subject", "body"] as const;
type Field = (typeof FIELDS)[number];
type TemplateList = { items: NotificationTemplate[] };

function replaceIn(list: TemplateList | undefined, saved: NotificationTemplate): TemplateList | undefined {
  return list && { items: list.items.map((t) => (t.rule === saved.rule ? saved : t)) };
}

function CustomizedBadge({ customized }: { customized: boolean }) {
  return customized ? (
    <Badge variant="light" color="indigo" size="sm" style={{ minWidth: "max-content" }}>
      Customized
    </Badge>
  ) : (
    <Badge variant="light" color="gray" size="sm" style={{ minWidth: "max-content" }}>
      Built-in
    </Badge>
  );
}

/** The rendered subject and mail text, as a recipient would see them (with sample data). */
function Preview({ rendered }: { rendered: RenderedNotification }) {
  return (
    <Paper withBorder radius="lg" p="lg" mt="md" component="section" aria-labelledby="template-preview-title">
      <Title order={3} fz="md" id="template-preview-title" mb={4}>
        Preview
      </Title>
      <Text fz="xs" c="dimmed" mb="sm">
        With sample values. The in-app notification shows the subject as its title and the text below it.
      </Text>
      <Box className="steward-mail-preview" data-testid="template-preview">
        <Text fz="xs" c="dimmed">
          Subject
        </Text>
        <Text fz="sm" fw={600} mb="sm" style={{ overflowWrap: "anywhere" }}>
          {rendered.subject}
        </Text>
        <RichText html={rendered.html} empty="(no text)" />
      </Box>
    </Paper>
  );
}

function TemplateEditor({
  template,
  onDirty,
  onReload,
}: {
  template: NotificationTemplate;
  onDirty: (dirty: boolean) => void;
  onReload: () => Promise<unknown>;
}) {
  const queryClient = useQueryClient();
  const [subject, setSubject] = useState(template.subject);
  const [body, setBody] = useState(template.body);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [rendered, setRendered] = useState<RenderedNotification | null>(null);
  const [confirmReset, setConfirmReset] = useState(false);
  const subjectRef = useRef<HTMLInputElement>(null);
  const bodyRef = useRef<HTMLTextAreaElement>(null);
  const lastField = useRef<Field>("body");
  const headingId = useId();
  const dirty = subject !== template.subject || body !== template.body;

  const change = (field: Field, value: string) => {
    const nextSubject = field === "subject" ? value : subject;
    const nextBody = field === "body" ? value : body;
    if (field === "subject") setSubject(value);
    else setBody(value);
    setErrors(({ [field]: _, ...rest }) => rest);
    onDirty(nextSubject !== template.subject || nextBody !== template.body);
  };

  const check = (): boolean => {
    const found: FieldErrors = {};
    if (!subject.trim()) found.subject = "Enter a subject";
    if (!body.trim()) found.body = "Enter the text";
    setErrors(found);
    return Object.keys(found).length === 0;
  };

  const save = useMutation({
    mutationFn: () =>
      saveNotificationTemplate(template.rule, {
        subject: subject.trim(),
        body: body.trim(),
        ...(template.customized ? { version: template.version } : {}),
      }),
    onSuccess: (saved) => {
      onDirty(false);
      queryClient.setQueryData<TemplateList>(notificationKeys.templates, (d) => replaceIn(d, saved));
      notifySuccess(`“${saved.label}” was saved. New notifications use it.`);
    },
    onError: (error) =>
      handleSaveError(error, {
        noun: "template",
        fields: FIELDS,
        setFieldErrors: setErrors,
        onConflict: async () => {
          onDirty(false);
          await onReload();
        },
      }),
  });

  const preview = useMutation({
    mutationFn: () => previewNotificationTemplate(template.rule, { subject, body }),
    onSuccess: (r) => setRendered(r),
    onError: (error) => {
      setRendered(null);
      const fields = isApiError(error) ? error.fieldErrors() : {};
      const shown = Object.fromEntries(
        Object.entries(fields).filter(([f]) => (FIELDS as readonly string[]).includes(f)),
      );
      if (Object.keys(shown).length > 0) setErrors(shown);
      else notifyError(error, "Could not preview the template");
    },
  });

  const reset = useMutation({
    mutationFn: () => resetNotificationTemplate(template.rule),
    onSuccess: (saved) => {
      setConfirmReset(false);
      onDirty(false);
      queryClient.setQueryData<TemplateList>(notificationKeys.templates, (d) => replaceIn(d, saved));
      notifySuccess(`“${saved.label}” uses the built-in text again.`);
    },
    onError: (error) => notifyError(error, "Could not restore the built-in text"),
  });

  const insert = (variable: string) => {
    const field = lastField.current;
    const element = field === "subject" ? subjectRef.current : bodyRef.current;
    const value = field === "subject" ? subject : body;
    const text = `{{${variable}}}`;
    const start = element?.selectionStart ?? value.length;
    const end = element?.selectionEnd ?? value.length;
    change(field, value.slice(0, start) + text + value.slice(end));
    requestAnimationFrame(() => {
      element?.focus();
      element?.setSelectionRange(start + text.length, start + text.length);
    });
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (check()) save.mutate();
  };

  return (
    <>
      <Paper withBorder radius="lg" p="lg" component="section" aria-labelledby={headingId}>
        <Group justify="space-between" align="flex-start" mb="md" gap="sm">
          <Stack gap={2}>
            <Group gap="xs">
              <Title order={2} fz="lg" id={headingId}>
                {template.label}
              </Title>
              <CustomizedBadge customized={template.customized} />
            </Group>
            <Text fz="xs" c="dimmed">
              {template.customized && template.updatedAt
                ? `Edited ${formatDateTime(template.updatedAt)}`
                : "Steward's built-in text"}
            </Text>
          </Stack>
          {template.customized && (
            <Button
              variant="subtle"
              color="gray"
              size="compact-sm"
              leftSection={<IconRestore size={14} aria-hidden />}
              onClick={() => setConfirmReset(true)}
            >
              Restore default
            </Button>
          )}
        </Group>
        <form onSubmit={onSubmit} noValidate aria-label={`Template for ${template.label}`}>
          <Stack gap="sm">
            <TextInput
              ref={subjectRef}
              label="Subject"
              required
              value={subject}
              onChange={(e) => change("subject", e.currentTarget.value)}
              onFocus={() => {
                lastField.current = "subject";
              }}
              error={errors.subject}
              maxLength={300}
              autoComplete="off"
            />
            <Textarea
              ref={bodyRef}
              label="Text"
              description="Plain text. A blank line starts a new paragraph; web addresses become links in the mail."
              required
              autosize
              minRows={8}
              maxRows={20}
              value={body}
              onChange={(e) => change("body", e.currentTarget.value)}
              onFocus={() => {
                lastField.current = "body";
              }}
              error={errors.body}
              maxLength={10_000}
              styles={{ input: { fontFamily: "var(--mantine-font-family-monospace)", fontSize: 13 } }}
            />
            <Box>
              <Text fz="sm" fw={500} id={`${headingId}-vars`}>
                Values you can use
              </Text>
              <Text fz="xs" c="dimmed" mb={6}>
                Click one to put it where the cursor is. Nothing else goes between double braces.
              </Text>
              <Box component="ul" className="steward-variable-list" aria-labelledby={`${headingId}-vars`}>
                {template.variables.map((v) => (
                  <li key={v}>
                    <UnstyledButton
                      onClick={() => insert(v)}
                      aria-label={`Insert {{${v}}}`}
                      className="steward-variable"
                    >
                      <Code fz="xs">{`{{${v}}}`}</Code>
                    </UnstyledButton>
                  </li>
                ))}
              </Box>
            </Box>
            <Group gap="sm" mt="xs">
              <Button
                type="submit"
                loading={save.isPending}
                disabled={!dirty}
                leftSection={<IconDeviceFloppy size={16} aria-hidden />}
              >
                Save template
              </Button>
              <Button
                variant="light"
                loading={preview.isPending}
                leftSection={<IconEye size={16} aria-hidden />}
                onClick={() => {
                  if (check()) preview.mutate();
                }}
              >
                Preview
              </Button>
              {dirty && (
                <Button
                  variant="default"
                  onClick={() => {
                    setSubject(template.subject);
                    setBody(template.body);
                    setErrors({});
                    onDirty(false);
                  }}
                >
                  Undo changes
                </Button>
              )}
            </Group>
          </Stack>
        </form>
      </Paper>
      {rendered && <Preview rendered={rendered} />}
      <Modal opened={confirmReset} onClose={() => setConfirmReset(false)} title="Restore the built-in text?" size="md">
        <Text fz="sm">
          “{template.label}” goes back to Steward's own subject and text. Your edited version is not kept.
        </Text>
        <Group justify="flex-end" gap="sm" mt="xl">
          <Button variant="default" onClick={() => setConfirmReset(false)}>
            Cancel
          </Button>
          <Button loading={reset.isPending} onClick={() => reset.mutate()}>
            Restore default
          </Button>
        </Group>
      </Modal>
    </>
  );
}

/** The text of each notification (mail subject and body; the in-app title and text), with placeholders. */
export function NotificationTemplatesPage() {
  const templates = useQuery({ queryKey: notificationKeys.templates, queryFn: listNotificationTemplates });
  const [selected, setSelected] = useState<NotificationRuleId | null>(null);
  const [dirty, setDirty] = useState(false);
  const [leaving, setLeaving] = useState<NotificationRuleId | null>(null);
  const items = templates.data?.items ?? [];
  const current = items.find((t) => t.rule === selected) ?? items[0];

  const choose = (rule: NotificationRuleId) => {
    if (rule === current?.rule) return;
    if (dirty) {
      setLeaving(rule);
      return;
    }
    setSelected(rule);
  };

  return (
    <Container size="xl" px={0}>
      <PageHeader
        title="Notification templates"
        description="The subject and text of each notification, by e-mail and in the app. Use {{placeholders}} for the ticket, person or change it is about; there is no other logic."
      />
      {templates.isLoading ? (
        <Center py="xl">
          <Loader size="sm" aria-label="Loading the templates" />
        </Center>
      ) : templates.isError ? (
        <Alert color="red" variant="light" icon={<IconAlertCircle size={18} aria-hidden />} role="alert">
          {errorMessage(templates.error)}
        </Alert>
      ) : (
        <Grid gap="lg">
          <Grid.Col span={{ base: 12, md: 4 }}>
            <Paper withBorder radius="lg" p={6} component="nav" aria-label="Templates">
              {items.map((t) => (
                <NavLink
                  key={t.rule}
                  component="button"
                  type="button"
                  label={t.label}
                  description={t.customized ? "Customized" : undefined}
                  active={t.rule === current?.rule}
                  aria-current={t.rule === current?.rule ? "true" : undefined}
                  onClick={() => choose(t.rule)}
                  variant="light"
                />
              ))}
            </Paper>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 8 }}>
            {current && (
              <TemplateEditor
                key={`${current.rule}:${current.version}:${current.customized}`}
                template={current}
                onDirty={setDirty}
                onReload={() => templates.refetch()}
              />
            )}
          </Grid.Col>
        </Grid>
      )}
      <Modal opened={leaving !== null} onClose={() => setLeaving(null)} title="Discard your changes?" size="md">
        <Text fz="sm">The template you are editing has changes that are not saved.</Text>
        <Group justify="flex-end" gap="sm" mt="xl">
          <Button variant="default" onClick={() => setLeaving(null)}>
            Keep editing
          </Button>
          <Button
            color="red"
            onClick={() => {
              setDirty(false);
              setSelected(leaving);
              setLeaving(null);
            }}
          >
            Discard changes
          </Button>
        </Group>
      </Modal>
    </Container>
  );
}
