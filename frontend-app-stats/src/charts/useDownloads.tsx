// Downloads started from a card (CSV, PNG, SVG) and why the last one failed: an alert the user can
// dismiss, cleared by the next download.
import { useState, type ReactNode } from 'react';
import { useIntl } from '@edx/frontend-platform/i18n';
import { Alert } from '@openedx/paragon';
import messages from './messages.ts';

export function useDownloads(): { run: (work: () => Promise<void>) => void; failure: ReactNode } {
  const intl = useIntl();
  const [error, setError] = useState<string>();
  const run = (work: () => Promise<void>) => {
    setError(undefined);
    work().catch((reason: Error) => setError(reason.message));
  };
  const failure = error && (
    <Alert variant="danger" dismissible onClose={() => setError(undefined)}>
      {intl.formatMessage(messages.downloadFailed, { reason: error })}
    </Alert>
  );
  return { run, failure };
}
