import { Badge, Card, Group, Paper, SimpleGrid, Text, ThemeIcon, Title } from "@mantine/core";
import { useDocumentTitle } from "@mantine/hooks";
import { IconBook2, IconLayoutGrid, IconMessageCircle } from "@tabler/icons-react";
import { useMe } from "../auth.tsx";

const COMING = [
  {
    icon: IconMessageCircle,
    title: "Your requests",
    text: "Report a problem or ask for something, and follow every request until it is solved.",
  },
  {
    icon: IconLayoutGrid,
    title: "Service catalog",
    text: "Order what you need — access, equipment, software — from one catalog of services.",
  },
  { icon: IconBook2, title: "Help articles", text: "Find answers to common questions without waiting for an agent." },
];

export function PortalHomePage() {
  useDocumentTitle("Support portal · Steward");
  const me = useMe();
  const firstName = me?.name.split(/\s+/)[0] ?? "";
  return (
    <>
      <Paper
        p={{ base: "lg", sm: 40 }}
        mb="xl"
        radius="lg"
        bg="var(--mantine-primary-color-light)"
        style={{ border: "1px solid var(--mantine-primary-color-light-hover)" }}
      >
        <Title order={1} fz={{ base: 26, sm: 32 }}>
          Welcome, {firstName}
        </Title>
        <Text mt="sm" maw={620}>
          This is your support portal. Soon you will open and follow your requests here and order from the service
          catalog. Until then, contact your service desk as usual.
        </Text>
      </Paper>
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        {COMING.map(({ icon: Icon, title, text }) => (
          <Card key={title} withBorder padding="lg">
            <Group justify="space-between" mb="sm">
              <ThemeIcon size={40} radius="md" variant="light">
                <Icon size={22} stroke={1.7} aria-hidden />
              </ThemeIcon>
              <Badge variant="light" color="gray">
                Soon
              </Badge>
            </Group>
            <Text fw={600}>{title}</Text>
            <Text fz="sm" c="dimmed" mt={4}>
              {text}
            </Text>
          </Card>
        ))}
      </SimpleGrid>
    </>
  );
}
