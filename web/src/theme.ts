import { type CSSVariablesResolver, createTheme } from "@mantine/core";

export const theme = createTheme({
  primaryColor: "indigo",
  primaryShade: { light: 6, dark: 5 },
  defaultRadius: "md",
  cursorType: "pointer",
  focusRing: "auto",
  fontFamily:
    'Inter, "Segoe UI Variable", "Segoe UI", system-ui, -apple-system, Roboto, "Helvetica Neue", Arial, sans-serif',
  headings: { fontWeight: "650" },
  components: {
    Button: { defaultProps: { radius: "md" } },
    Paper: { defaultProps: { radius: "lg" } },
    Card: { defaultProps: { radius: "lg" } },
    Badge: { defaultProps: { radius: "sm" } },
    Drawer: {
      defaultProps: { overlayProps: { backgroundOpacity: 0.35, blur: 2 } },
      styles: { title: { fontWeight: 650, fontSize: "var(--mantine-font-size-lg)" } },
    },
    Modal: {
      defaultProps: { overlayProps: { backgroundOpacity: 0.35, blur: 2 } },
      styles: { title: { fontWeight: 650, fontSize: "var(--mantine-font-size-lg)" } },
    },
  },
});

/** A slightly tinted page background so cards and tables stand out from it. */
export const cssVariablesResolver: CSSVariablesResolver = (t) => ({
  variables: {},
  light: { "--steward-page-bg": t.colors.gray[0] ?? "#f8f9fa" },
  dark: { "--steward-page-bg": t.colors.dark[8] ?? "#141517" },
});
