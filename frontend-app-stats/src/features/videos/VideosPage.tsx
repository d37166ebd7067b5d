// `/courses/:courseId/videos` (ui.md "Videos"): the course's videos in a sortable table; the
// video chosen in it (`?video=`) shows which of its seconds learners watch, skip and repeat.
import { useIntl } from '@edx/frontend-platform/i18n';
import { Card } from '@openedx/paragon';
import { queryStatus, useVideosQuery } from '../../api/statsApi.ts';
import { useCourse } from '../course/index.ts';
import messages from './messages.ts';
import { useSelectedVideo } from './selection.ts';
import { VideosCard } from './VideosTable.tsx';
import { VideoTimelineCard } from './VideoTimelineCard.tsx';

export function VideosPage() {
  const { courseId, range } = useCourse();
  const videos = useVideosQuery({ courseId, ...range });
  const [video, selectVideo] = useSelectedVideo();
  const rows = videos.data;
  return (
    <>
      <VideosCard
        status={queryStatus(videos)}
        rows={rows}
        selected={video}
        onSelect={selectVideo}
      />
      {video ? (
        <VideoTimelineCard video={video} row={rows?.find((row) => row.id === video)} />
      ) : (
        !!rows?.length && <ChooseVideoHint />
      )}
    </>
  );
}

function ChooseVideoHint() {
  const intl = useIntl();
  return (
    <Card className="mb-4">
      <Card.Section>
        <p className="text-muted mb-0">{intl.formatMessage(messages.chooseVideo)}</p>
      </Card.Section>
    </Card>
  );
}
