// The sticky toolbar of course pages: the date range presets and a custom range (ui.md "Frame").
import { useEffect, useState } from 'react';
import { useIntl } from '@edx/frontend-platform/i18n';
import { Button, ButtonGroup, Form } from '@openedx/paragon';
import type { CourseListItem, UnitGroup } from '@course-stats/db/types';
import { InlineSelect } from '../../common/InlineSelect.tsx';
import messages from './messages.ts';
import { isDay, presetOf, presetRange, type DayRange } from './range.ts';

export function RangeToolbar({
  range,
  course,
  onChange,
}: {
  range: DayRange;
  course: CourseListItem | undefined;
  onChange: (range: DayRange) => void;
}) {
  const intl = useIntl();
  const preset = presetOf(range, course);
  const [custom, setCustom] = useState(preset === 'custom');
  const [draft, setDraft] = useState(range);
  useEffect(() => setDraft(range), [range]);
  const invalid = !isDay(draft.from) || !isDay(draft.to) || draft.from > draft.to;

  const choose = (name: 'last7' | 'last30' | 'whole') => {
    setCustom(false);
    onChange(presetRange(name, course));
  };
  return (
    <div
      className="stats-toolbar d-flex flex-wrap align-items-end"
      role="group"
      aria-label={intl.formatMessage(messages.range)}
    >
      <ButtonGroup className="mr-3 mb-2 flex-wrap">
        {(['last7', 'last30', 'whole'] as const).map((name) => (
          <Button
            key={name}
            variant={!custom && preset === name ? 'primary' : 'outline-primary'}
            aria-pressed={!custom && preset === name}
            onClick={() => choose(name)}
          >
            {intl.formatMessage(messages[name])}
          </Button>
        ))}
        <Button
          variant={custom || preset === 'custom' ? 'primary' : 'outline-primary'}
          aria-pressed={custom || preset === 'custom'}
          onClick={() => setCustom(true)}
        >
          {intl.formatMessage(messages.custom)}
        </Button>
      </ButtonGroup>
      {(custom || preset === 'custom') && (
        <Form
          className="d-flex flex-wrap align-items-end mb-2"
          onSubmit={(event: React.FormEvent) => {
            event.preventDefault();
            if (!invalid) onChange(draft);
          }}
        >
          {(['from', 'to'] as const).map((end) => (
            <Form.Group key={end} controlId={`range-${end}`} className="mr-2 mb-0">
              <Form.Label>{intl.formatMessage(messages[end])}</Form.Label>
              <Form.Control
                type="date"
                value={draft[end]}
                min={course?.first_day ?? undefined}
                max={course?.last_day ?? undefined}
                isInvalid={invalid}
                onChange={(event: React.ChangeEvent<HTMLInputElement>) =>
                  setDraft({ ...draft, [end]: event.target.value })
                }
              />
            </Form.Group>
          ))}
          <Button type="submit" disabled={invalid}>
            {intl.formatMessage(messages.apply)}
          </Button>
          {invalid && (
            <Form.Control.Feedback type="invalid" className="d-block w-100">
              {intl.formatMessage(messages.badRange)}
            </Form.Control.Feedback>
          )}
        </Form>
      )}
    </div>
  );
}

export function GroupSwitch({
  value,
  options,
  onChange,
}: {
  value: UnitGroup;
  options: readonly UnitGroup[];
  onChange: (value: UnitGroup) => void;
}) {
  const intl = useIntl();
  return (
    <InlineSelect
      id="group-by"
      label={intl.formatMessage(messages.groupBy)}
      value={value}
      options={options.map((option) => ({
        value: option,
        label: intl.formatMessage(messages[option]),
      }))}
      onChange={onChange}
    />
  );
}
