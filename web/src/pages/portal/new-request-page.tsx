import {
  Anchor,
  Button,
  Group,
  Paper,
  Radio,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from "@mantine/core";
import { useDocumentTitle } from "@mantine/hooks";
import { IconArrowLeft } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate } from "@tanstack/react-router";
import { type FormEvent, useState } from "react";
import type { TicketCreate } from "../../../../common/tickets.ts";
import { categoriesQuery, keys } from "../../api/queries.ts";
import { createTicket } from "../../api/tickets.ts";
import { type FieldErrors, handleSaveError } from "../../lib/form-errors.ts";
import { textToHtml } from "../../lib/html.ts";
import { notifySuccess } from "../../lib/notify.ts";
import { CUSTOMER_TYPES, IMPACT_OPTIONS, URGENCY_OPTIONS } from "./portal-labels.ts";

type RequestType = (typeof CUSTOMER_TYPES)[number]["value"];
const FIELDS = ["type", "title", "description", "impact", "urgency", "categoryId"];

/** A customer's new incident or service request: only the fields a customer may send. */
export function NewRequestPage() {
  useDocumentTitle("New request · Steward");
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const categories = useQuery(categoriesQuery);
  const [type, setType] = useState<RequestType>("incident");
  const [title, setTitle] = useState("");
  const [description, setDescription] = useState("");
  const [impact, setImpact] = useState("3");
  const [urgency, setUrgency] = useState("2");
  const [categoryId, setCategoryId] = useState<string | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const clear = (field: string) => setErrors(({ [field]: _, ...rest }) => rest);

  const mutation = useMutation({
    mutationFn: () => {
      const body: TicketCreate = {
        type,
        title: title.trim(),
        description: textToHtml(description),
        impact: Number(impact),
        urgency: Number(urgency),
      };
      if (categoryId) body.categoryId = categoryId;
      return createTicket(body);
    },
    onSuccess: async (ticket) => {
      await queryClient.invalidateQueries({ queryKey: keys.tickets });
      notifySuccess(`We have your request ${ticket.number}.`, "Request sent");
      await navigate({ to: "/portal/requests/$id", params: { id: ticket.id } });
    },
    onError: (error) => handleSaveError(error, { noun: "request", fields: FIELDS, setFieldErrors: setErrors }),
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const found: FieldErrors = {};
    if (!title.trim()) found.title = "Give your request a short subject";
    if (!description.trim()) found.description = "Tell us a little more";
    setErrors(found);
    if (Object.keys(found).length === 0) mutation.mutate();
  };
  const broken = type === "incident";

  return (
    <Stack gap="md" maw={720} mx="auto">
      <Anchor component={Link} to="/portal" fz="sm" c="dimmed">
        <Group gap={4} component="span">
          <IconArrowLeft size={14} aria-hidden />
          My requests
        </Group>
      </Anchor>
      <Title order={1} fz={{ base: 24, sm: 28 }}>
        New request
      </Title>
      <Paper withBorder p={{ base: "md", sm: "xl" }} radius="lg">
        <form onSubmit={onSubmit} noValidate aria-label="New request">
          <Stack gap="md">
            <Radio.Group
              label="What is it about?"
              value={type}
              onChange={(v) => setType(v as RequestType)}
              error={errors.type}
            >
              <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm" mt={6}>
                {CUSTOMER_TYPES.map((t) => (
                  <Radio.Card key={t.value} value={t.value} p="md" radius="md" className="steward-choice">
                    <Group wrap="nowrap" align="flex-start" gap="sm">
                      <Radio.Indicator mt={2} />
                      <div>
                        <Text fw={600} fz="sm">
                          {t.label}
                        </Text>
                        <Text fz="xs" c="dimmed">
                          {t.hint}
                        </Text>
                      </div>
                    </Group>
                  </Radio.Card>
                ))}
              </SimpleGrid>
            </Radio.Group>
            <TextInput
              label="Subject"
              required
              placeholder={
                broken ? "For example: VPN disconnects every few minutes" : "For example: access to the sales drive"
              }
              value={title}
              onChange={(e) => {
                setTitle(e.currentTarget.value);
                clear("title");
              }}
              error={errors.title}
              data-autofocus
            />
            <Textarea
              label="Details"
              required
              description={
                broken ? "What happened, since when, and any error message you saw" : "What you need and by when"
              }
              autosize
              minRows={5}
              maxRows={14}
              value={description}
              onChange={(e) => {
                setDescription(e.currentTarget.value);
                clear("description");
              }}
              error={errors.description}
            />
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
              <Select
                label="Who is affected?"
                data={IMPACT_OPTIONS}
                value={impact}
                onChange={(v) => setImpact(v ?? "3")}
                allowDeselect={false}
                error={errors.impact}
              />
              <Select
                label="How urgent is it?"
                data={URGENCY_OPTIONS}
                value={urgency}
                onChange={(v) => setUrgency(v ?? "2")}
                allowDeselect={false}
                error={errors.urgency}
              />
            </SimpleGrid>
            {(categories.data?.length ?? 0) > 0 && (
              <Select
                label="Category"
                placeholder="Choose if you know it"
                clearable
                searchable
                data={(categories.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
                value={categoryId}
                onChange={setCategoryId}
                error={errors.categoryId}
              />
            )}
          </Stack>
          <Group justify="flex-end" mt="xl" gap="sm">
            <Button variant="default" component={Link} to="/portal">
              Cancel
            </Button>
            <Button type="submit" loading={mutation.isPending}>
              Send request
            </Button>
          </Group>
        </form>
      </Paper>
      <Text fz="xs" c="dimmed" ta="center">
        The service desk answers here and by e-mail.
      </Text>
    </Stack>
  );
}
