import { defineMessages } from '@edx/frontend-platform/i18n';

export default defineMessages({
  tableTitle: {
    id: 'stats.videos.table.title',
    defaultMessage: 'Which videos do learners watch?',
    description: 'Title of the table of the course videos',
  },
  tableInfo: {
    id: 'stats.videos.table.info',
    defaultMessage:
      'Every video of the course, in course order, with what learners did with it in these days. Click a column title to sort by it; choose a video to see which parts learners watch.',
    description: 'What the table of videos shows',
  },
  noVideos: {
    id: 'stats.videos.table.noVideos',
    defaultMessage: 'This course has no videos.',
    description: 'Shown instead of the table of videos when the course has none',
  },
  position: {
    id: 'stats.videos.column.position',
    defaultMessage: 'Position',
    description: 'Column title: where the video is in the course (its unit number, e.g. 1.2.3)',
  },
  name: {
    id: 'stats.videos.column.name',
    defaultMessage: 'Video',
    description: 'Column title: the name of the video',
  },
  duration: {
    id: 'stats.videos.column.duration',
    defaultMessage: 'Duration',
    description: 'Column title: the length of the video (m:ss)',
  },
  durationInfo: {
    id: 'stats.videos.column.duration.info',
    defaultMessage:
      'How long the video is, from the course settings, or else from what the video players reported. Unknown when neither tells.',
    description: 'What the duration of a video is',
  },
  views: {
    id: 'stats.videos.column.views',
    defaultMessage: 'Views',
    description: 'Column title: how many times the video was played',
  },
  viewsInfo: {
    id: 'stats.videos.column.views.info',
    defaultMessage:
      'Times the video was played in these days: each stretch from a play to the next pause, stop or jump counts once. Stretches shorter than a quarter of a second do not count.',
    description: 'What the views of a video count',
  },
  viewers: {
    id: 'stats.videos.column.viewers',
    defaultMessage: 'Viewers',
    description: 'Column title: how many learners watched the video',
  },
  viewersInfo: {
    id: 'stats.videos.column.viewers.info',
    defaultMessage: 'Learners who watched at least part of the video in these days.',
    description: 'What the viewers of a video count',
  },
  minutes: {
    id: 'stats.videos.column.minutes',
    defaultMessage: 'Minutes watched',
    description: 'Column title: minutes of the video played, all learners together',
  },
  minutesInfo: {
    id: 'stats.videos.column.minutes.info',
    defaultMessage:
      'Minutes of the video played in these days, all views added up. Skipped parts do not count; a part watched twice counts twice.',
    description: 'What the minutes watched of a video count',
  },
  completed: {
    id: 'stats.videos.column.completed',
    defaultMessage: 'Completed',
    description: 'Column title: share of the viewers who watched (nearly) all of the video',
  },
  completedInfo: {
    id: 'stats.videos.column.completed.info',
    defaultMessage:
      'Of the viewers, the share who have seen at least 90% of the video, adding up every part they watched up to the last day of the range (each part once). Unknown when the duration is.',
    description: 'What the completed share of a video counts',
  },
  unknownDuration: {
    id: 'stats.videos.duration.unknown',
    defaultMessage: 'unknown',
    description: 'Shown in the duration column when the length of a video is not known',
  },
  untitled: {
    id: 'stats.videos.untitled',
    defaultMessage: 'Untitled video',
    description: 'Name shown for a video that has no name in the course',
  },
  chooseVideo: {
    id: 'stats.videos.chooseVideo',
    defaultMessage: 'Choose a video to see which parts learners watch, skip and repeat.',
    description: 'Hint under the table of videos while no video is selected',
  },
  timelineTitle: {
    id: 'stats.videos.timeline.title',
    defaultMessage: 'Which parts of “{name}” do learners watch?',
    description: 'Title of the timeline chart of one video; name is the video name',
  },
  timelineInfo: {
    id: 'stats.videos.timeline.info',
    defaultMessage:
      'For each second of the video, in these days: the learners who watched it (viewers) and, stacked above, the extra times the same learners watched it again (repeats); together they make the views of that second. Dips show what learners skip, bumps of repeats what they watch again. The vertical line marks the end of the video.',
    description: 'What the timeline chart of a video shows',
  },
  timelineDescription: {
    id: 'stats.videos.timeline.description',
    defaultMessage:
      'The most watched moment of “{name}” is {second}, seen by {viewers, plural, one {# learner} other {# learners}}.',
    description:
      'Text alternative of the timeline chart; second is a moment of the video as m:ss, viewers a number of learners',
  },
  timelineUnknown: {
    id: 'stats.videos.timeline.unknownDuration',
    defaultMessage: 'The duration of this video is unknown, so its timeline cannot be drawn.',
    description: 'Shown instead of the timeline chart when the length of the video is not known',
  },
  second: {
    id: 'stats.videos.column.second',
    defaultMessage: 'Moment (m:ss)',
    description: 'Column title / tooltip title: a second of the video, as minutes:seconds',
  },
  timeAxis: {
    id: 'stats.videos.axis.time',
    defaultMessage: 'Time in the video (m:ss)',
    description: 'Axis title of the timeline chart: position in the video in minutes:seconds',
  },
  viewsAxis: {
    id: 'stats.videos.axis.views',
    defaultMessage: 'Views of each second',
    description: 'Axis title of the timeline chart: viewers and repeats stacked',
  },
  repeats: {
    id: 'stats.videos.column.repeats',
    defaultMessage: 'Repeats',
    description:
      'Column title / legend: views of a second beyond the first one of each learner (views minus viewers)',
  },
  end: {
    id: 'stats.videos.timeline.end',
    defaultMessage: 'End of the video',
    description: 'Tooltip title of the line that marks the end of the video on the timeline',
  },
});
