// How much of each video the learner watched (coverage at the range's end) beside the course's
// mean coverage, videos in course order.
import { useIntl } from '@edx/frontend-platform/i18n';
import type { LearnerDetail } from '@course-stats/db/types';
import { queryStatus, useStructureQuery, useVideosQuery } from '../../api/statsApi.ts';
import { ChartCard } from '../../charts/ChartCard.tsx';
import { formatCount, formatDay, formatDuration, formatShare } from '../../common/format.ts';
import { useCourse } from '../course/index.ts';
import { blockNames, blockTitle } from './blocks.ts';
import messages from './messages.ts';
import { learnerVideosSpec, type LearnerVideoPoint } from './specs.ts';

type VideoTableRow = LearnerVideoPoint & { watch_s: number };

export function LearnerVideosChart({
  learner,
  username,
}: {
  learner: LearnerDetail;
  username: string;
}) {
  const intl = useIntl();
  const { courseId, range, setRange, wholeRun } = useCourse();
  const structure = useStructureQuery(courseId);
  const videos = useVideosQuery({ courseId, ...range });
  const courseVideos = new Map(videos.data?.map((video) => [video.id, video]));
  const names = blockNames(structure.data);
  const points: VideoTableRow[] = learner.videos.map((video, order) => {
    const row = courseVideos.get(video.id);
    const title = [row?.label, row?.name].filter(Boolean).join(' ');
    return {
      order,
      name: title || blockTitle(video.id, names.get(video.id)),
      coverage: video.coverage,
      mean_coverage: row?.mean_coverage ?? null,
      watch_s: video.watch_s,
    };
  });
  const percent = (value: unknown) => formatShare(intl, typeof value === 'number' ? value : null);
  const series = {
    learner: intl.formatMessage(messages.thisLearner),
    mean: intl.formatMessage(messages.courseMean),
  };

  return (
    <ChartCard
      title={intl.formatMessage(messages.videosTitle, { username })}
      info={intl.formatMessage(messages.videosInfo, { date: formatDay(intl, range.to) })}
      status={queryStatus(videos)}
      isEmpty={points.length === 0}
      range={range}
      onWholeRun={() => setRange(wholeRun)}
      spec={
        videos.data
          ? learnerVideosSpec(points, {
              ...series,
              video: intl.formatMessage(messages.video),
              coverage: intl.formatMessage(messages.coverage),
            })
          : undefined
      }
      description={intl.formatMessage(messages.videosDescription, {
        username,
        watched: formatCount(intl, points.filter((point) => (point.coverage ?? 0) > 0).length),
        total: formatCount(intl, points.length),
        completed: formatCount(intl, learner.videos_completed),
      })}
      columns={[
        { key: 'name', label: intl.formatMessage(messages.video) },
        { key: 'coverage', label: series.learner, format: percent },
        { key: 'mean_coverage', label: series.mean, format: percent },
        {
          key: 'watch_s',
          label: intl.formatMessage(messages.watchTime),
          format: (v) => formatDuration(intl, v as number),
        },
      ]}
      rows={points as never}
      height={Math.max(120, points.length * 24 + 60)}
      fileName={`videos-of-${username}`}
    />
  );
}
