// `/courses/:courseId/*`: the frame of every course page (ui.md "Frame"): title, breadcrumb,
// tabs, the sticky range toolbar and how fresh the data is; the page itself below (Outlet).
import { useIntl } from '@edx/frontend-platform/i18n';
import { Alert, Breadcrumb, Nav, Skeleton } from '@openedx/paragon';
import { Link, Outlet, useLocation, useParams, useSearchParams } from 'react-router-dom';
import { asApiError, useCoursesQuery, useStructureQuery } from '../../api/statsApi.ts';
import { formatInstant } from '../../common/format.ts';
import type { CourseContext } from './context.ts';
import messages from './messages.ts';
import { presetRange, rangeFromSearch, type DayRange } from './range.ts';
import { RangeToolbar } from './RangeToolbar.tsx';

const TABS = [
  { path: '', label: messages.overview },
  { path: 'units', label: messages.units },
  { path: 'videos', label: messages.videos },
  { path: 'learners', label: messages.learners },
] as const;

export function CourseLayout() {
  const intl = useIntl();
  const courseId = useParams().courseId ?? '';
  const base = `/courses/${encodeURIComponent(courseId)}`;
  // The page under the course (overview = ''): the first path segment after the course key.
  const current = useLocation().pathname.split('/')[3] ?? '';
  const [search, setSearch] = useSearchParams();
  const courses = useCoursesQuery();
  const structure = useStructureQuery(courseId);
  const course = courses.data?.find((c) => c.course_id === courseId);

  if (courses.isLoading) return <Skeleton height={200} />;
  const problem = asApiError(structure.error);
  if (problem && (problem.status === 403 || problem.status === 404 || !course)) {
    return <CourseProblem courseId={courseId} status={problem.status} reason={problem.message} />;
  }

  const range = rangeFromSearch(search, course);
  const setRange = (next: DayRange) => {
    const updated = new URLSearchParams(search);
    updated.set('from', next.from);
    updated.set('to', next.to);
    setSearch(updated);
  };
  const name = course?.name ?? structure.data?.name ?? courseId;
  const query = tabQuery(search, range);
  const context: CourseContext = {
    courseId,
    course,
    range,
    setRange,
    wholeRun: presetRange('whole', course),
  };
  return (
    <>
      <Breadcrumb
        ariaLabel={intl.formatMessage(messages.courses)}
        links={[{ label: intl.formatMessage(messages.courses), to: '/' }]}
        linkAs={Link}
        activeLabel={name}
      />
      <h1 className="h2">{name}</h1>
      <p className="text-muted small">
        {course?.last_processed
          ? intl.formatMessage(messages.dataUpTo, {
              date: formatInstant(intl, course.last_processed),
            })
          : intl.formatMessage(messages.noDataYet)}
      </p>
      <Nav
        variant="tabs"
        as="nav"
        aria-label={intl.formatMessage(messages.tabs)}
        className="stats-tabs mb-3"
      >
        {TABS.map((tab) => (
          <Nav.Item key={tab.path}>
            <Nav.Link
              as={Link}
              to={`${base}${tab.path ? `/${tab.path}` : ''}${query}`}
              active={tab.path === current}
              aria-current={tab.path === current ? 'page' : undefined}
            >
              {intl.formatMessage(tab.label)}
            </Nav.Link>
          </Nav.Item>
        ))}
      </Nav>
      <div className="stats-sticky-toolbar bg-white py-2 mb-3">
        <RangeToolbar range={range} course={course} onChange={setRange} />
      </div>
      <Outlet context={context} />
    </>
  );
}

/**
 * What a tab carries to another page: the range and the grouping of the toolbar. The rest of the
 * query (a sort, a search, the chosen video) belongs to the page that set it.
 */
function tabQuery(search: URLSearchParams, range: DayRange): string {
  const query = new URLSearchParams({ from: range.from, to: range.to });
  const group = search.get('group');
  if (group) query.set('group', group);
  return `?${query}`;
}

function CourseProblem({
  courseId,
  status,
  reason,
}: {
  courseId: string;
  status: number;
  reason: string;
}) {
  const intl = useIntl();
  return (
    <Alert variant={status === 403 ? 'warning' : 'danger'}>
      <h1 className="h3">
        {status === 403
          ? intl.formatMessage(messages.notOnTeam, { course: courseId })
          : status === 404
            ? intl.formatMessage(messages.notFound, { course: courseId })
            : intl.formatMessage(messages.failed, { reason })}
      </h1>
      {status === 403 && <p>{intl.formatMessage(messages.notOnTeamHelp)}</p>}
      <Link to="/">{intl.formatMessage(messages.backToCourses)}</Link>
    </Alert>
  );
}
