// The plugin framework as the header meets it in tests: a slot shows its default content. (The
// real package is CommonJS and would load frontend-platform outside Vite's transform.)
export function PluginSlot({ children }: { children?: React.ReactNode }) {
  return <>{children}</>;
}
