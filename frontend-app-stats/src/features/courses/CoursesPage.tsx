// `/`: the courses the user may see, searchable, current and archived (ui.md "Courses").
import { useState } from 'react';
import { useIntl } from '@edx/frontend-platform/i18n';
import { Alert, Button, Hyperlink, SearchField, Skeleton } from '@openedx/paragon';
import type { CourseListItem } from '@course-stats/db/types';
import { asApiError, useCoursesQuery } from '../../api/statsApi.ts';
import { operatorDocsUrl } from '../../config.ts';
import { CourseCard } from './CourseCard.tsx';
import { searchCourses, splitCourses } from './groups.ts';
import messages from './messages.ts';

export function CoursesPage() {
  const intl = useIntl();
  const [query, setQuery] = useState('');
  const { data, isLoading, error, refetch } = useCoursesQuery();

  if (isLoading) return <Skeleton count={3} height={120} />;
  if (error) {
    return (
      <Alert
        variant="danger"
        actions={[
          <Button key="retry" onClick={() => refetch()}>
            {intl.formatMessage(messages.retry)}
          </Button>,
        ]}
      >
        {intl.formatMessage(messages.loadFailed, { reason: asApiError(error)?.message })}
      </Alert>
    );
  }
  const courses = data ?? [];
  if (courses.length === 0) {
    const docs = operatorDocsUrl();
    return (
      <Alert variant="info">
        <p>{intl.formatMessage(messages.none)}</p>
        {docs && (
          <Hyperlink destination={docs}>{intl.formatMessage(messages.howDataArrives)}</Hyperlink>
        )}
      </Alert>
    );
  }
  const found = searchCourses(courses, query);
  const { current, archived } = splitCourses(found);
  return (
    <>
      <h1 className="h2 mb-4">{intl.formatMessage(messages.pageTitle)}</h1>
      <SearchField
        className="mb-4"
        screenReaderText={{
          label: intl.formatMessage(messages.search),
          submitButton: intl.formatMessage(messages.searchSubmit),
          clearButton: intl.formatMessage(messages.searchClear),
        }}
        placeholder={intl.formatMessage(messages.search)}
        value={query}
        onChange={setQuery}
        onSubmit={setQuery}
        onClear={() => setQuery('')}
      />
      {found.length === 0 && <p role="status">{intl.formatMessage(messages.noMatch, { query })}</p>}
      <CourseGroup
        title={intl.formatMessage(messages.current, { count: current.length })}
        courses={current}
      />
      <CourseGroup
        title={intl.formatMessage(messages.archived, { count: archived.length })}
        courses={archived}
      />
    </>
  );
}

function CourseGroup({ title, courses }: { title: string; courses: CourseListItem[] }) {
  if (courses.length === 0) return null;
  return (
    <section className="mb-5" aria-label={title}>
      <h2 className="h3 mb-3">{title}</h2>
      <ul className="row list-unstyled">
        {courses.map((course) => (
          <li key={course.course_id} className="col-12 col-md-6 col-xl-4 mb-4">
            <CourseCard course={course} />
          </li>
        ))}
      </ul>
    </section>
  );
}
