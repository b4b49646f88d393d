import { Badge, Group, Text } from "@mantine/core";
import {
  IconCalendar,
  IconCheckbox,
  IconHash,
  IconLetterCase,
  IconList,
  IconListCheck,
  IconUser,
  type TablerIcon,
} from "@tabler/icons-react";
import type { CustomField } from "../../../api/custom-fields.ts";

type Kind = CustomField["kind"];

export const KIND_LABELS: Record<Kind, string> = {
  text: "Text",
  number: "Number",
  date: "Date",
  select: "Select",
  multiselect: "Multi-select",
  checkbox: "Checkbox",
  user: "User",
};
export const KIND_OPTIONS = (Object.keys(KIND_LABELS) as Kind[]).map((value) => ({ value, label: KIND_LABELS[value] }));

const KIND_ICONS: Record<Kind, TablerIcon> = {
  text: IconLetterCase,
  number: IconHash,
  date: IconCalendar,
  select: IconList,
  multiselect: IconListCheck,
  checkbox: IconCheckbox,
  user: IconUser,
};

/** "Select · 3 options", with the kind's icon. */
export function KindCell({ field }: { field: CustomField }) {
  const Icon = KIND_ICONS[field.kind];
  const count = field.options.length;
  return (
    <Group gap={6} wrap="nowrap">
      <Icon size={16} stroke={1.6} aria-hidden style={{ flexShrink: 0 }} />
      <Text fz="sm" style={{ whiteSpace: "nowrap" }}>
        {KIND_LABELS[field.kind]}
        {field.kind === "select" || field.kind === "multiselect" ? (
          <Text span c="dimmed" fz="sm" title={field.options.join(", ")}>
            {" "}
            · {count} option{count === 1 ? "" : "s"}
          </Text>
        ) : null}
      </Text>
    </Group>
  );
}

export function RequiredBadge({ required }: { required: boolean }) {
  return required ? (
    <Badge variant="light" color="orange" tt="none" fw={500}>
      Required
    </Badge>
  ) : (
    <Text fz="sm" c="dimmed">
      Optional
    </Text>
  );
}
