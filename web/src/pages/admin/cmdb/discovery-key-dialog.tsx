import {
  ActionIcon,
  Alert,
  Button,
  Code,
  CopyButton,
  Group,
  Modal,
  Stack,
  Text,
  TextInput,
  Title,
  Tooltip,
} from "@mantine/core";
import { IconAlertTriangle, IconCheck, IconCopy } from "@tabler/icons-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { cmdbAdminKeys, createInventoryKey, type InventoryKeyCreated, inventoryUrl } from "../../../api/cmdb-admin.ts";
import { type FieldErrors, handleSaveError } from "../../../lib/form-errors.ts";

function Copyable({
  value,
  label,
  copyLabel,
  block,
}: {
  value: string;
  label: string;
  copyLabel: string;
  block?: boolean;
}) {
  return (
    <Group gap="xs" wrap="nowrap" align="flex-start">
      <Code
        block
        flex={1}
        fz={block ? "xs" : "sm"}
        style={{ wordBreak: "break-all", whiteSpace: block ? "pre-wrap" : undefined }}
        aria-label={label}
      >
        {value}
      </Code>
      <CopyButton value={value} timeout={2000}>
        {({ copied, copy }) => (
          <Tooltip label={copied ? "Copied" : "Copy"} withArrow>
            <ActionIcon
              size="lg"
              variant={copied ? "filled" : "default"}
              color={copied ? "teal" : undefined}
              onClick={copy}
              aria-label={copied ? `${label} copied` : copyLabel}
            >
              {copied ? <IconCheck size={18} /> : <IconCopy size={18} />}
            </ActionIcon>
          </Tooltip>
        )}
      </CopyButton>
    </Group>
  );
}

/** The agents' set-up, as the administrator guide gives it, with this server's address and the new key. */
export function agentCommands(key: string, url = inventoryUrl()) {
  const u = new URL(url);
  const withKey = `${u.protocol}//agent:${key}@${u.host}${u.pathname}`;
  return [
    {
      title: "FusionInventory agent",
      hint: "Debian: fusioninventory-agent",
      command: `fusioninventory-agent --server ${url} \\\n  --user agent --password ${key} --tasks Inventory`,
    },
    {
      title: "OCS Inventory agent",
      hint: "Debian: ocsinventory-agent; user and password base64-encoded",
      command: `ocsinventory-agent --server ${url} --nolocal \\\n  --user "$(printf agent | base64)" --password "$(printf ${key} | base64)" --realm "Steward inventory"`,
    },
    {
      title: "GLPI agent",
      hint: "in agent.cfg, or as --server",
      command: `server = ${withKey}`,
    },
  ];
}

/** Creates an inventory key and shows it once, with the agents' set-up commands. */
export function CreateInventoryKeyModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const [errors, setErrors] = useState<FieldErrors>({});
  const [created, setCreated] = useState<InventoryKeyCreated | null>(null);
  const mutation = useMutation({
    mutationFn: () => createInventoryKey(name.trim()),
    onSuccess: async (key) => {
      setCreated(key);
      await queryClient.invalidateQueries({ queryKey: cmdbAdminKeys.inventoryKeys });
    },
    onError: (error) => handleSaveError(error, { noun: "inventory key", fields: ["name"], setFieldErrors: setErrors }),
  });
  const close = () => {
    onClose();
    setName("");
    setErrors({});
    setCreated(null);
    mutation.reset();
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) return setErrors({ name: "Enter a name, e.g. the agents that will use it" });
    mutation.mutate();
  };
  return (
    <Modal
      opened={opened}
      onClose={close}
      title={created ? `Inventory key “${created.name}”` : "New inventory key"}
      size={created ? 760 : "lg"}
      closeOnClickOutside={!created}
    >
      {created ? (
        <Stack gap="md">
          <Alert color="yellow" variant="light" icon={<IconAlertTriangle size={18} aria-hidden />}>
            Copy this key now. It is shown only once; Steward keeps only a hash of it.
          </Alert>
          <Copyable value={created.key} label="Inventory key" copyLabel="Copy the inventory key" />
          <Text fz="sm">
            Point the agents at <Code>{inventoryUrl()}</Code> with the key as the password (any user name):
          </Text>
          {agentCommands(created.key).map((c) => (
            <Stack gap={4} key={c.title}>
              <Group gap={6} align="baseline">
                <Title order={3} fz="sm">
                  {c.title}
                </Title>
                <Text fz="xs" c="dimmed">
                  {c.hint}
                </Text>
              </Group>
              <Copyable value={c.command} label={`${c.title} set-up`} copyLabel={`Copy the ${c.title} set-up`} block />
            </Stack>
          ))}
          <Text fz="sm" c="dimmed">
            Each run creates or updates a Computer CI and the Software CIs installed on it; the discovery log below
            shows what every run did.
          </Text>
          <Group justify="flex-end">
            <Button onClick={close}>Done</Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={onSubmit} noValidate aria-label="New inventory key">
          <Stack gap="md">
            <TextInput
              label="Name"
              description="Which agents use it, so you recognise it later"
              placeholder="Office laptops"
              required
              maxLength={100}
              value={name}
              onChange={(e) => {
                setName(e.currentTarget.value);
                setErrors({});
              }}
              error={errors.name}
              data-autofocus
            />
            <Group justify="flex-end" gap="sm" mt="sm">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" loading={mutation.isPending}>
                Create key
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
