// What the colours of the learner grid mean, in words and swatches.
import { useIntl } from '@edx/frontend-platform/i18n';
import type { HeatScale } from './heat.ts';
import messages from './messages.ts';

export function HeatLegend({
  scale,
  max,
  format,
}: {
  scale: HeatScale;
  /** The scale's top, formatted. */
  max: string;
  format: (value: number) => string;
}) {
  const intl = useIntl();
  const title = intl.formatMessage(messages.legendTitle);
  return (
    <figure className="mb-0" aria-label={title}>
      <figcaption className="small text-muted">
        <strong>{title}</strong> {intl.formatMessage(messages.legendHelp, { max })}
      </figcaption>
      <ul className="list-inline small mb-0">
        {scale.steps.map((step, i) => (
          <li key={i} className="list-inline-item d-inline-flex align-items-center mr-3">
            <span
              aria-hidden
              className="d-inline-block border mr-1"
              style={{ width: '1.25rem', height: '1rem', background: step.background }}
            />
            {i === 0
              ? format(0)
              : intl.formatMessage(messages.legendUpTo, { value: format(step.high) })}
          </li>
        ))}
      </ul>
    </figure>
  );
}
