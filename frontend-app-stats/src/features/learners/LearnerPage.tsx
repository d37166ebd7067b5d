// `/courses/:courseId/learners/:username` (ui.md "Learners"): one learner's numbers, their time
// on each unit beside the course mean, and how much of each video they watched beside the
// course's mean coverage.
import { useIntl } from '@edx/frontend-platform/i18n';
import { Alert, Badge, Button, Icon, Skeleton } from '@openedx/paragon';
import { ArrowBack } from '@openedx/paragon/icons';
import { Link, useLocation, useParams } from 'react-router-dom';
import { asApiError, useLearnerQuery } from '../../api/statsApi.ts';
import chartMessages from '../../charts/messages.ts';
import { InfoPopover } from '../../common/InfoPopover.tsx';
import { formatDay } from '../../common/format.ts';
import { useCourse } from '../course/index.ts';
import { LearnerStatCards } from './LearnerStatCards.tsx';
import { LearnerUnitsChart } from './LearnerUnitsChart.tsx';
import { LearnerVideosChart } from './LearnerVideosChart.tsx';
import messages from './messages.ts';

export function LearnerPage() {
  const intl = useIntl();
  const { courseId, range } = useCourse();
  const username = useParams().username ?? '';
  const learner = useLearnerQuery({ courseId, ...range, username });
  const problem = asApiError(learner.error);
  const data = learner.data;

  if (problem?.status === 404) return <NoSuchLearner username={username} />;
  return (
    <>
      <BackToList />
      <div className="d-flex flex-wrap align-items-center mb-3">
        <h2 className="h3 mb-0 mr-2">{username}</h2>
        {data?.at_risk && (
          <>
            <Badge variant="warning">{intl.formatMessage(messages.atRisk)}</Badge>
            <InfoPopover subject={intl.formatMessage(messages.atRisk)}>
              {intl.formatMessage(messages.atRiskInfo, { date: formatDay(intl, range.to) })}
            </InfoPopover>
          </>
        )}
      </div>
      {learner.isLoading && (
        <div role="status" aria-live="polite">
          <span className="sr-only">{intl.formatMessage(chartMessages.loading)}</span>
          <Skeleton height={400} />
        </div>
      )}
      {problem && (
        <Alert
          variant="danger"
          actions={[
            <Button key="retry" variant="outline-primary" onClick={() => learner.refetch()}>
              {intl.formatMessage(chartMessages.retry)}
            </Button>,
          ]}
        >
          {intl.formatMessage(messages.learnerFailed, { reason: problem.message })}
        </Alert>
      )}
      {data && !problem && (
        <>
          <LearnerStatCards learner={data} />
          <LearnerUnitsChart learner={data} username={username} />
          <LearnerVideosChart learner={data} username={username} />
        </>
      )}
    </>
  );
}

/** The learners list as it was left (the learner's link carried its query). */
function BackToList() {
  const intl = useIntl();
  const { courseId } = useCourse();
  const { search } = useLocation();
  return (
    <p className="mb-2">
      <Link
        to={`/courses/${encodeURIComponent(courseId)}/learners${search}`}
        className="d-inline-flex align-items-center"
      >
        <Icon src={ArrowBack} size="sm" className="mr-1" />
        {intl.formatMessage(messages.backToList)}
      </Link>
    </p>
  );
}

function NoSuchLearner({ username }: { username: string }) {
  const intl = useIntl();
  return (
    <Alert variant="warning">
      <h2 className="h3">{intl.formatMessage(messages.notFound)}</h2>
      <p>{intl.formatMessage(messages.notFoundHelp, { username })}</p>
      <BackToList />
    </Alert>
  );
}
