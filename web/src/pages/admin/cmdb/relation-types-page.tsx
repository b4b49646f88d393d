import {
  Badge,
  Button,
  Center,
  Container,
  Grid,
  Group,
  Loader,
  Paper,
  Radio,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { IconArrowLeft, IconArrowRight, IconArrowsLeftRight, IconLinkPlus, IconMinus } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useRef, useState } from "react";
import { isApiError } from "../../../api/client.ts";
import {
  cmdbKeys,
  createRelationType,
  listRelationTypes,
  type RelationImpact,
  type RelationType,
} from "../../../api/cmdb.ts";
import { type FieldErrors, handleSaveError } from "../../../lib/form-errors.ts";
import { errorMessage, notifySuccess } from "../../../lib/notify.ts";
import { PageHeader } from "../../page-header.tsx";
import { sentences } from "../../tickets/custom-field-input.tsx";

const KEY = /^[a-z][a-z0-9_]{0,39}$/;

/** Which way a failure travels along a relation, in words. */
export const IMPACTS: Record<RelationImpact, { label: string; words: string; icon: typeof IconArrowRight }> = {
  forward: { label: "Forward", words: "A failure of the source hits the target", icon: IconArrowRight },
  reverse: { label: "Reverse", words: "A failure of the target hits the source", icon: IconArrowLeft },
  both: { label: "Both ways", words: "A failure of either end hits the other", icon: IconArrowsLeftRight },
  none: { label: "None", words: "A failure does not travel along it", icon: IconMinus },
};
const IMPACT_ORDER: RelationImpact[] = ["reverse", "forward", "both", "none"];

/** "Backs up" → "backs_up": a key the API accepts, until the key is typed by hand. */
export function relationKeyFrom(label: string): string {
  return label
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^[^a-z]+/, "")
    .slice(0, 40)
    .replace(/_+$/, "");
}

const end = (word: string) => (
  <Text span fz="sm" c="dimmed" fs="italic">
    {word}
  </Text>
);

function ImpactCell({ impact }: { impact: RelationImpact }) {
  const i = IMPACTS[impact];
  return (
    <Group gap={8} wrap="nowrap" align="flex-start">
      <i.icon size={16} stroke={1.8} aria-hidden style={{ flexShrink: 0, marginTop: 2 }} />
      <div>
        <Text fz="sm" fw={500}>
          {i.label}
        </Text>
        <Text fz="xs" c="dimmed">
          {i.words}
        </Text>
      </div>
    </Group>
  );
}

function TypeTable({ items }: { items: RelationType[] }) {
  return (
    <Table.ScrollContainer minWidth={620}>
      <Table verticalSpacing="sm" horizontalSpacing="md">
        <caption className="steward-visually-hidden">Relation types</caption>
        <Table.Thead bg="var(--mantine-color-default-hover)">
          <Table.Tr>
            <Table.Th>Relation</Table.Th>
            <Table.Th w={160}>Key</Table.Th>
            <Table.Th w={260}>Impact</Table.Th>
            <Table.Th w={100}>
              <span className="steward-visually-hidden">Origin</span>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((t) => (
            <Table.Tr key={t.key} data-relation-type={t.key}>
              <Table.Td>
                <Text fz="sm" fw={600}>
                  {t.label}
                </Text>
                <Text fz="xs" c="dimmed">
                  Reverse: {t.reverseLabel}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text ff="monospace" fz="sm" style={{ overflowWrap: "anywhere" }}>
                  {t.key}
                </Text>
              </Table.Td>
              <Table.Td>
                <ImpactCell impact={t.impact} />
              </Table.Td>
              <Table.Td>
                {t.builtin && (
                  <Badge variant="light" color="indigo" size="sm" tt="none" style={{ minWidth: "max-content" }}>
                    Built-in
                  </Badge>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

const FIELDS = ["key", "label", "reverseLabel", "impact"];

function NewRelationType() {
  const queryClient = useQueryClient();
  const [label, setLabel] = useState("");
  const [reverseLabel, setReverseLabel] = useState("");
  const [key, setKey] = useState("");
  const [keyTouched, setKeyTouched] = useState(false);
  const [impact, setImpact] = useState<RelationImpact>("reverse");
  const [errors, setErrors] = useState<FieldErrors>({});
  const labelRef = useRef<HTMLInputElement>(null);
  const mutation = useMutation({
    mutationFn: () => createRelationType({ key, label: label.trim(), reverseLabel: reverseLabel.trim(), impact }),
    onSuccess: async (type) => {
      await queryClient.invalidateQueries({ queryKey: cmdbKeys.relationTypes });
      notifySuccess(`“${type.label}” was added: CIs can now be related this way.`);
      setLabel("");
      setReverseLabel("");
      setKey("");
      setKeyTouched(false);
      setErrors({});
      labelRef.current?.focus();
    },
    onError: (error) => {
      if (isApiError(error, 409)) {
        setErrors({ key: "A relation type with this key exists: choose another key" });
        return;
      }
      handleSaveError(error, {
        noun: "relation type",
        fields: FIELDS,
        setFieldErrors: (e) => setErrors(sentences(e)),
      });
    },
  });
  const clear = (field: string) => setErrors(({ [field]: _, ...rest }) => rest);
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const found: FieldErrors = {};
    if (!label.trim()) found.label = "Enter how the source reads to the target";
    if (!reverseLabel.trim()) found.reverseLabel = "Enter how the target reads to the source";
    if (!key) found.key = "Enter a key";
    else if (!KEY.test(key)) found.key = "Lower-case letters, digits and _, starting with a letter";
    if (Object.keys(found).length > 0) return setErrors(found);
    setErrors({});
    mutation.mutate();
  };
  const forward = label.trim() || "…";
  const backward = reverseLabel.trim() || "…";

  return (
    <Paper withBorder p="md" radius="lg" component="section" aria-labelledby="relation-type-new">
      <Title order={2} fz="md" mb="sm" id="relation-type-new">
        New relation type
      </Title>
      <form onSubmit={onSubmit} noValidate aria-label="New relation type">
        <Stack gap="sm">
          <TextInput
            ref={labelRef}
            label="Label"
            description="How the source reads to the target"
            placeholder="e.g. backs up"
            required
            maxLength={100}
            value={label}
            onChange={(e) => {
              const next = e.currentTarget.value;
              setLabel(next);
              if (!keyTouched) setKey(relationKeyFrom(next));
              clear("label");
              if (!keyTouched) clear("key");
            }}
            error={errors.label}
          />
          <TextInput
            label="Reverse label"
            description="How the target reads to the source"
            placeholder="e.g. is backed up by"
            required
            maxLength={100}
            value={reverseLabel}
            onChange={(e) => {
              setReverseLabel(e.currentTarget.value);
              clear("reverseLabel");
            }}
            error={errors.reverseLabel}
          />
          <TextInput
            label="Key"
            description="What the API and imports call it; fixed once saved"
            required
            maxLength={40}
            value={key}
            onChange={(e) => {
              setKey(e.currentTarget.value);
              setKeyTouched(true);
              clear("key");
            }}
            error={errors.key}
            styles={{ input: { fontFamily: "var(--mantine-font-family-monospace)" } }}
          />
          <Radio.Group
            label="Impact"
            description="Which way a failure travels, for impact analysis and incident states"
            value={impact}
            onChange={(v) => {
              setImpact(v as RelationImpact);
              clear("impact");
            }}
            error={errors.impact}
          >
            <Stack gap="xs" mt="xs">
              {IMPACT_ORDER.map((value) => (
                <Radio key={value} value={value} label={IMPACTS[value].label} description={IMPACTS[value].words} />
              ))}
            </Stack>
          </Radio.Group>
          <Text fz="sm" c="dimmed" data-testid="relation-type-preview">
            Reads: {end("source")} <b>{forward}</b> {end("target")} · {end("target")} <b>{backward}</b> {end("source")}
          </Text>
          <Group justify="flex-end">
            <Button type="submit" leftSection={<IconLinkPlus size={16} aria-hidden />} loading={mutation.isPending}>
              Add relation type
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

/** Relation types: how CIs relate, read both ways, and which way a failure travels along each. Added, never changed. */
export function RelationTypesPage() {
  const types = useQuery({
    queryKey: cmdbKeys.relationTypes,
    queryFn: listRelationTypes,
    staleTime: 0,
    select: (d) => d.items,
  });
  const items = types.data ?? [];
  return (
    <Container size="xl" px={0}>
      <PageHeader
        title="Relation types"
        description="How configuration items relate, read both ways, and which way a failure travels along each: impact analysis and incident states follow it. A type cannot be changed or removed once added."
      />
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Paper
            withBorder
            radius="lg"
            style={{ overflow: "hidden" }}
            component="section"
            aria-labelledby="relation-types"
          >
            <Group gap={6} p="md" pb="xs">
              <Title order={2} fz="md" id="relation-types">
                All relation types
              </Title>
              <Badge variant="light" color="gray" size="sm">
                {items.length}
              </Badge>
            </Group>
            {types.isLoading ? (
              <Center py="lg">
                <Loader size="sm" aria-label="Loading relation types" />
              </Center>
            ) : types.isError ? (
              <Text fz="sm" c="red" px="md" pb="md">
                {errorMessage(types.error)}
              </Text>
            ) : (
              <TypeTable items={items} />
            )}
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <NewRelationType />
        </Grid.Col>
      </Grid>
    </Container>
  );
}
