import { Badge, Container, EmptyState, List, Paper, ThemeIcon } from "@mantine/core";
import { IconCircleDashed } from "@tabler/icons-react";
import { AREAS, type Area } from "./areas.ts";
import { PageHeader } from "./page-header.tsx";

export function ComingSoonPage({ area }: { area: Area }) {
  const { title, icon: Icon, summary, coming } = AREAS[area];
  return (
    <Container size="lg" px={0}>
      <PageHeader title={title} />
      <Paper withBorder p={{ base: "lg", sm: 48 }}>
        <EmptyState
          variant="light"
          size="lg"
          icon={<Icon size={32} stroke={1.6} aria-hidden />}
          title={
            <>
              {title} is on its way{" "}
              <Badge variant="light" color="violet" ml={4} style={{ verticalAlign: "middle" }}>
                Coming soon
              </Badge>
            </>
          }
          description={summary}
        >
          <List
            spacing={6}
            fz="sm"
            c="dimmed"
            mt="md"
            center
            icon={
              <ThemeIcon size={18} radius="xl" variant="light" color="gray">
                <IconCircleDashed size={12} aria-hidden />
              </ThemeIcon>
            }
          >
            {coming.map((item) => (
              <List.Item key={item}>{item}</List.Item>
            ))}
          </List>
        </EmptyState>
      </Paper>
    </Container>
  );
}
