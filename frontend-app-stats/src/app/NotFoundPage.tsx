import { defineMessages, useIntl } from '@edx/frontend-platform/i18n';
import { Alert } from '@openedx/paragon';
import { Link } from 'react-router-dom';

export const notFoundMessages = defineMessages({
  title: {
    id: 'stats.notFound.title',
    defaultMessage: 'There is no such page.',
    description: 'Title of the page for an unknown address',
  },
  back: {
    id: 'stats.notFound.back',
    defaultMessage: 'Back to your courses',
    description: 'Link from the unknown page to the course list',
  },
});

export function NotFoundPage() {
  const intl = useIntl();
  return (
    <Alert variant="warning">
      <h1 className="h3">{intl.formatMessage(notFoundMessages.title)}</h1>
      <Link to="/">{intl.formatMessage(notFoundMessages.back)}</Link>
    </Alert>
  );
}
