// A learner's numbers as stat cards, each with what it counts behind (i).
import { useIntl } from '@edx/frontend-platform/i18n';
import { Card } from '@openedx/paragon';
import type { LearnerDetail } from '@course-stats/db/types';
import { InfoPopover } from '../../common/InfoPopover.tsx';
import { formatCount, formatDate, formatDay, formatDuration } from '../../common/format.ts';
import { useCourse } from '../course/index.ts';
import messages from './messages.ts';

type MessageDescriptor = (typeof messages)[keyof typeof messages];

interface StatCard {
  title: MessageDescriptor;
  info: string;
  value: string;
}

export function LearnerStatCards({ learner }: { learner: LearnerDetail }) {
  const intl = useIntl();
  const { range } = useCourse();
  const date = formatDay(intl, range.to);
  const outOf = (count: number, total: number) =>
    intl.formatMessage(messages.outOf, {
      count: formatCount(intl, count),
      total: formatCount(intl, total),
    });
  const cards: StatCard[] = [
    {
      title: messages.time,
      info: intl.formatMessage(messages.timeInfo),
      value: formatDuration(intl, learner.time_s),
    },
    {
      title: messages.sessions,
      info: intl.formatMessage(messages.sessionsInfo),
      value: formatCount(intl, learner.sessions),
    },
    {
      title: messages.visits,
      info: intl.formatMessage(messages.visitsInfo),
      value: formatCount(intl, learner.visits),
    },
    {
      title: messages.activeDays,
      info: intl.formatMessage(messages.activeDaysInfo),
      value: formatCount(intl, learner.active_days),
    },
    {
      title: messages.unitsVisited,
      info: intl.formatMessage(messages.unitsVisitedInfo),
      value: outOf(learner.units_visited, learner.units.length),
    },
    {
      title: messages.unitsCompleted,
      info: intl.formatMessage(messages.unitsCompletedInfo, { date }),
      value: outOf(learner.units_completed, learner.units.length),
    },
    {
      title: messages.videosCompleted,
      info: intl.formatMessage(messages.videosCompletedInfo, { date }),
      value: outOf(learner.videos_completed, learner.videos.length),
    },
    {
      title: messages.firstActive,
      info: intl.formatMessage(messages.firstActiveInfo),
      value: formatDate(intl, learner.first_active),
    },
    {
      title: messages.lastActive,
      info: intl.formatMessage(messages.lastActiveInfo, { date }),
      value: formatDate(intl, learner.last_active),
    },
  ];
  return (
    <ul className="row list-unstyled mb-2">
      {cards.map((card) => (
        <li key={card.title.id} className="col-12 col-sm-6 col-md-4 mb-3">
          <Card className="h-100">
            <Card.Section>
              <div className="d-flex justify-content-between align-items-start">
                <h3 className="h5 mb-1">{intl.formatMessage(card.title)}</h3>
                <InfoPopover subject={intl.formatMessage(card.title)}>{card.info}</InfoPopover>
              </div>
              <p className="h3 mb-0" data-testid={`stat-${card.title.id}`}>
                {card.value}
              </p>
            </Card.Section>
          </Card>
        </li>
      ))}
    </ul>
  );
}
