import {
  ActionIcon,
  Alert,
  Button,
  Code,
  CopyButton,
  Group,
  Modal,
  Select,
  Stack,
  Text,
  TextInput,
  Tooltip,
} from "@mantine/core";
import { IconAlertTriangle, IconCheck, IconCopy } from "@tabler/icons-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { createToken, type TokenCreated } from "../api/identity.ts";
import { keys } from "../api/queries.ts";
import { type FieldErrors, handleSaveError } from "../lib/form-errors.ts";

const EXPIRY = [
  { value: "30", label: "In 30 days" },
  { value: "90", label: "In 90 days" },
  { value: "365", label: "In one year" },
  { value: "never", label: "Never" },
];

function expiresAt(choice: string): string | undefined {
  if (choice === "never") return undefined;
  return new Date(Date.now() + Number(choice) * 24 * 3600 * 1000).toISOString();
}

export function CreateTokenModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const [expiry, setExpiry] = useState("90");
  const [errors, setErrors] = useState<FieldErrors>({});
  const [created, setCreated] = useState<TokenCreated | null>(null);

  const mutation = useMutation({
    mutationFn: () => {
      const at = expiresAt(expiry);
      return createToken(at ? { name: name.trim(), expiresAt: at } : { name: name.trim() });
    },
    onSuccess: async (token) => {
      setCreated(token);
      await queryClient.invalidateQueries({ queryKey: keys.tokens });
    },
    onError: (error) =>
      handleSaveError(error, { noun: "token", fields: ["name", "expiresAt"], setFieldErrors: setErrors }),
  });

  const close = () => {
    onClose();
    setName("");
    setExpiry("90");
    setErrors({});
    setCreated(null);
    mutation.reset();
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) return setErrors({ name: "Enter a name, e.g. the script that will use it" });
    mutation.mutate();
  };

  return (
    <Modal opened={opened} onClose={close} title={created ? "Your new token" : "New API token"} size="lg">
      {created ? (
        <Stack gap="md">
          <Alert color="yellow" variant="light" icon={<IconAlertTriangle size={18} aria-hidden />}>
            Copy this token now. It is shown only once; Steward keeps only a hash of it.
          </Alert>
          <Group gap="xs" wrap="nowrap" align="center">
            <Code block flex={1} style={{ wordBreak: "break-all" }} aria-label="API token">
              {created.token}
            </Code>
            <CopyButton value={created.token} timeout={2000}>
              {({ copied, copy }) => (
                <Tooltip label={copied ? "Copied" : "Copy"} withArrow>
                  <ActionIcon
                    size="lg"
                    variant={copied ? "filled" : "default"}
                    color={copied ? "teal" : undefined}
                    onClick={copy}
                    aria-label={copied ? "Token copied" : "Copy token"}
                  >
                    {copied ? <IconCheck size={18} /> : <IconCopy size={18} />}
                  </ActionIcon>
                </Tooltip>
              )}
            </CopyButton>
          </Group>
          <Text fz="sm" c="dimmed">
            Send it as <Code>Authorization: Bearer …</Code> on requests to the API.
          </Text>
          <Group justify="flex-end">
            <Button onClick={close}>Done</Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={onSubmit} noValidate aria-label="New API token">
          <Stack gap="md">
            <TextInput
              label="Name"
              description="Where the token is used, so you recognise it later"
              placeholder="Nightly inventory import"
              required
              value={name}
              onChange={(e) => {
                setName(e.currentTarget.value);
                setErrors({});
              }}
              error={errors.name}
              data-autofocus
            />
            <Select
              label="Expires"
              data={EXPIRY}
              value={expiry}
              onChange={(v) => setExpiry(v ?? "90")}
              allowDeselect={false}
              error={errors.expiresAt}
            />
            <Group justify="flex-end" gap="sm" mt="sm">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" loading={mutation.isPending}>
                Create token
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
