// The box a wide table scrolls sideways in, inside its card (Paragon's table container). It is a
// named region that takes the keyboard focus, so that the arrow keys scroll it: a table of numbers
// has nothing else to focus that would bring its far columns into view.
export function ScrollRegion({
  label,
  className = '',
  children,
}: {
  label: string;
  className?: string;
  children: React.ReactNode;
}) {
  return (
    <div
      className={`pgn__data-table-container ${className}`.trim()}
      role="region"
      aria-label={label}
      tabIndex={0}
    >
      {children}
    </div>
  );
}
