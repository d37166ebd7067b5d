// The (i) next to a number or chart: what it counts, in plain words, on click or keyboard focus.
import { defineMessages, useIntl } from '@edx/frontend-platform/i18n';
import { Icon, IconButton, OverlayTrigger, Popover } from '@openedx/paragon';
import { Info } from '@openedx/paragon/icons';

export const infoMessages = defineMessages({
  label: {
    id: 'stats.info.label',
    defaultMessage: 'What does “{subject}” count?',
    description: 'Screen-reader label of the info button next to a number or chart',
  },
});

export function InfoPopover({ subject, children }: { subject: string; children: React.ReactNode }) {
  const intl = useIntl();
  return (
    <OverlayTrigger
      // A click (or Enter, Space) opens it and a click elsewhere closes it: with focus as a trigger
      // too, the click that focuses the button would open and close it at once.
      trigger="click"
      rootClose
      placement="auto"
      overlay={
        <Popover id={`info-${subject.replace(/\W+/g, '-')}`}>
          <Popover.Content>{children}</Popover.Content>
        </Popover>
      }
    >
      <IconButton
        src={Info}
        iconAs={Icon}
        alt={intl.formatMessage(infoMessages.label, { subject })}
        size="sm"
        variant="primary"
      />
    </OverlayTrigger>
  );
}
