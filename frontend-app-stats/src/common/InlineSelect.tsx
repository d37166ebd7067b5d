// A small labelled choice beside a chart's title (group by, the metric a line shows).
import { Form } from '@openedx/paragon';

export interface InlineSelectProps<T extends string> {
  id: string;
  label: string;
  value: T;
  options: readonly { value: T; label: string }[];
  onChange: (value: T) => void;
}

export function InlineSelect<T extends string>({
  id,
  label,
  value,
  options,
  onChange,
}: InlineSelectProps<T>) {
  return (
    <Form.Group controlId={id} className="d-flex align-items-center mb-0 mr-2">
      <Form.Label className="mr-2 mb-0">{label}</Form.Label>
      <Form.Control
        as="select"
        size="sm"
        value={value}
        onChange={(event: React.ChangeEvent<HTMLSelectElement>) =>
          onChange(event.target.value as T)
        }
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </Form.Control>
    </Form.Group>
  );
}
