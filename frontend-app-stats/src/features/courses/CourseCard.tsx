import { useIntl } from '@edx/frontend-platform/i18n';
import { Card } from '@openedx/paragon';
import { Link } from 'react-router-dom';
import type { CourseListItem } from '@course-stats/db/types';
import { formatDate, formatDay, formatInstant } from '../../common/format.ts';
import messages from './messages.ts';

export function CourseCard({ course }: { course: CourseListItem }) {
  const intl = useIntl();
  const name = course.name ?? intl.formatMessage(messages.unnamed);
  return (
    // Not Paragon's `isClickable`: it makes the card a second, nameless Tab stop beside its link.
    <Card className="h-100 stats-course-card">
      {course.image && <Card.ImageCap src={course.image} srcAlt="" logoSkeleton={false} />}
      <Card.Header
        title={
          <h3 className="h4 mb-0">
            <Link
              to={`/courses/${encodeURIComponent(course.course_id)}`}
              className="stretched-link"
            >
              {name}
            </Link>
          </h3>
        }
        subtitle={<span className="text-monospace small text-break">{course.course_id}</span>}
      />
      <Card.Section>
        <ul className="list-unstyled mb-0 small">
          {(course.start || course.end) && (
            <li>
              {intl.formatMessage(messages.dates, {
                start: formatDate(intl, course.start),
                end: course.end ? formatDate(intl, course.end) : '…',
              })}
            </li>
          )}
          <li>{intl.formatMessage(messages.learners, { count: course.learners })}</li>
          <li>
            {course.last_processed
              ? intl.formatMessage(messages.dataUpTo, {
                  date: formatInstant(intl, course.last_processed),
                })
              : intl.formatMessage(messages.noData)}
          </li>
          {course.first_day && course.last_day && (
            <li className="text-muted">
              {formatDay(intl, course.first_day)} – {formatDay(intl, course.last_day)}
            </li>
          )}
        </ul>
      </Card.Section>
    </Card>
  );
}
