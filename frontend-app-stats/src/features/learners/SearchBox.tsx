// The learners search: the API is asked once the typing pauses (300 ms), or at once on Enter.
import { useEffect, useState } from 'react';
import { useIntl } from '@edx/frontend-platform/i18n';
import { Form } from '@openedx/paragon';
import messages from './messages.ts';

export const SEARCH_DELAY_MS = 300;
/** The API's limit for `q`. */
const MAX_LENGTH = 150;

export function SearchBox({ value, onSearch }: { value: string; onSearch: (q: string) => void }) {
  const intl = useIntl();
  const [draft, setDraft] = useState(value);
  // The URL changed (back button, a link): show its search.
  useEffect(() => setDraft(value), [value]);
  useEffect(() => {
    if (draft.trim() === value) return undefined;
    const timer = setTimeout(() => onSearch(draft.trim()), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [draft, value, onSearch]);

  return (
    <Form
      role="search"
      className="mr-3 mb-2"
      onSubmit={(event: React.FormEvent) => {
        event.preventDefault();
        if (draft.trim() !== value) onSearch(draft.trim());
      }}
    >
      <Form.Group controlId="learners-search" className="mb-0">
        <Form.Label>{intl.formatMessage(messages.search)}</Form.Label>
        <Form.Control
          type="search"
          value={draft}
          maxLength={MAX_LENGTH}
          autoComplete="off"
          onChange={(event: React.ChangeEvent<HTMLInputElement>) => setDraft(event.target.value)}
        />
      </Form.Group>
    </Form>
  );
}
