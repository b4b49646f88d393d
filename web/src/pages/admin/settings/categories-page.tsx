import {
  Badge,
  Button,
  Center,
  Container,
  Grid,
  Group,
  Loader,
  Paper,
  Select,
  Stack,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { IconCornerDownRight, IconFolderPlus } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useMemo, useRef, useState } from "react";
import type { z } from "zod";
import type { CategorySchema } from "../../../../../common/tickets.ts";
import { categoriesQuery, keys } from "../../../api/queries.ts";
import { createCategory } from "../../../api/settings.ts";
import { type FieldErrors, handleSaveError } from "../../../lib/form-errors.ts";
import { notifySuccess } from "../../../lib/notify.ts";
import { PageHeader } from "../../page-header.tsx";

type Category = z.infer<typeof CategorySchema>;
interface Node {
  category: Category;
  path: string;
  children: Node[];
}

/** Roots and their children, each level by name; orphans (parent not listed) become roots. */
function buildTree(items: Category[]): Node[] {
  const ids = new Set(items.map((c) => c.id));
  const byParent = new Map<string | null, Category[]>();
  for (const c of items) {
    const parent = c.parentId && ids.has(c.parentId) ? c.parentId : null;
    byParent.set(parent, [...(byParent.get(parent) ?? []), c]);
  }
  const grow = (parent: string | null, prefix: string, seen: Set<string>): Node[] =>
    (byParent.get(parent) ?? [])
      .filter((c) => !seen.has(c.id))
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((c) => {
        const path = prefix ? `${prefix} / ${c.name}` : c.name;
        return { category: c, path, children: grow(c.id, path, new Set([...seen, c.id])) };
      });
  return grow(null, "", new Set());
}

const flatten = (nodes: Node[]): Node[] => nodes.flatMap((n) => [n, ...flatten(n.children)]);

function Branch({ nodes, onAddChild }: { nodes: Node[]; onAddChild: (id: string) => void }) {
  return (
    <ul className="steward-tree">
      {nodes.map(({ category: c, children }) => (
        <li key={c.id}>
          <Group gap="xs" justify="space-between" wrap="nowrap" className="steward-tree-row">
            <Group gap={6} wrap="nowrap" miw={0}>
              <Text fz="sm" fw={children.length ? 600 : 400} c={c.active ? undefined : "dimmed"} truncate>
                {c.name}
              </Text>
              {!c.active && (
                <Badge size="xs" variant="default">
                  Inactive
                </Badge>
              )}
            </Group>
            <Button
              variant="subtle"
              size="compact-xs"
              leftSection={<IconCornerDownRight size={12} aria-hidden />}
              onClick={() => onAddChild(c.id)}
              aria-label={`Add a subcategory to ${c.name}`}
            >
              Add sub
            </Button>
          </Group>
          {children.length > 0 && <Branch nodes={children} onAddChild={onAddChild} />}
        </li>
      ))}
    </ul>
  );
}

export function CategoriesPage() {
  const queryClient = useQueryClient();
  const categories = useQuery({ ...categoriesQuery, select: (d) => d.items });
  const tree = useMemo(() => buildTree(categories.data ?? []), [categories.data]);
  const options = useMemo(() => flatten(tree).map((n) => ({ value: n.category.id, label: n.path })), [tree]);
  const [name, setName] = useState("");
  const [parentId, setParentId] = useState<string | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const nameRef = useRef<HTMLInputElement>(null);
  const mutation = useMutation({
    mutationFn: () => createCategory({ name: name.trim(), parentId }),
    onSuccess: async (created) => {
      await queryClient.invalidateQueries({ queryKey: keys.categories });
      notifySuccess(`${created.name} was created.`);
      setName("");
      nameRef.current?.focus();
    },
    onError: (error) =>
      handleSaveError(error, { noun: "category", fields: ["name", "parentId"], setFieldErrors: setErrors }),
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) return setErrors({ name: "Enter a name" });
    setErrors({});
    mutation.mutate();
  };
  const addChild = (id: string) => {
    setParentId(id);
    nameRef.current?.focus();
  };

  return (
    <Container size="lg" px={0} ml={0}>
      <PageHeader title="Categories" description="What tickets are about, as a tree. Agents pick one on each ticket." />
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 7 }} order={{ base: 2, md: 1 }}>
          <Paper withBorder p="md" radius="lg" component="section" aria-labelledby="category-tree">
            <Title order={2} fz="md" mb="sm" id="category-tree">
              All categories
            </Title>
            {categories.isLoading && (
              <Center py="lg">
                <Loader size="sm" aria-label="Loading categories" />
              </Center>
            )}
            {!categories.isLoading && tree.length === 0 && (
              <Text fz="sm" c="dimmed">
                No categories yet.
              </Text>
            )}
            <Branch nodes={tree} onAddChild={addChild} />
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }} order={{ base: 1, md: 2 }}>
          <Paper withBorder p="md" radius="lg" component="section" aria-labelledby="category-new">
            <Title order={2} fz="md" mb="sm" id="category-new">
              New category
            </Title>
            <form onSubmit={onSubmit} noValidate aria-label="New category">
              <Stack gap="sm">
                <TextInput
                  ref={nameRef}
                  label="Name"
                  required
                  value={name}
                  onChange={(e) => {
                    setName(e.currentTarget.value);
                    setErrors(({ name: _, ...rest }) => rest);
                  }}
                  error={errors.name}
                />
                <Select
                  label="Parent"
                  placeholder="None (top level)"
                  searchable
                  clearable
                  data={options}
                  value={parentId}
                  onChange={setParentId}
                  error={errors.parentId}
                  comboboxProps={{ withinPortal: true }}
                />
                <Group justify="flex-end">
                  <Button
                    type="submit"
                    loading={mutation.isPending}
                    leftSection={<IconFolderPlus size={16} aria-hidden />}
                  >
                    Create category
                  </Button>
                </Group>
              </Stack>
            </form>
          </Paper>
        </Grid.Col>
      </Grid>
    </Container>
  );
}
