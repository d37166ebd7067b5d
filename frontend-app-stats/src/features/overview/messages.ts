import { defineMessages } from '@edx/frontend-platform/i18n';

export default defineMessages({
  activeLearners: {
    id: 'stats.overview.activeLearners',
    defaultMessage: 'Active learners',
    description: 'Stat card title',
  },
  activeLearnersInfo: {
    id: 'stats.overview.activeLearners.info',
    defaultMessage:
      'Learners who did anything in the course in these days: opened a page, watched a video, answered a problem. Course staff are not counted.',
    description: 'What the active learners number counts',
  },
  enrolled: {
    id: 'stats.overview.enrolled',
    defaultMessage: 'Enrolled',
    description: 'Stat card title',
  },
  enrolledInfo: {
    id: 'stats.overview.enrolled.info',
    defaultMessage:
      'Learners enrolled on the last day of the range (an unenrollment counts from its day on). Learners seen only in activity count as enrolled.',
    description: 'What the enrolled number counts',
  },
  time: { id: 'stats.overview.time', defaultMessage: 'Time spent', description: 'Stat card title' },
  timeInfo: {
    id: 'stats.overview.time.info',
    defaultMessage:
      'Time learners spent in the course: each action earns the time until the next one, if it comes within 30 minutes; a pause longer than that ends the session.',
    description: 'What the time spent number counts',
  },
  visits: {
    id: 'stats.overview.visits',
    defaultMessage: 'Unit visits',
    description: 'Stat card title',
  },
  visitsInfo: {
    id: 'stats.overview.visits.info',
    defaultMessage:
      'Arrivals at a unit: going from one unit to another counts one visit; reloading the same unit does not.',
    description: 'What the visits number counts',
  },
  videoMinutes: {
    id: 'stats.overview.videoMinutes',
    defaultMessage: 'Video watched',
    description: 'Stat card title',
  },
  videoMinutesInfo: {
    id: 'stats.overview.videoMinutes.info',
    defaultMessage:
      'Time of video played, from play to pause, stop, seek or the end; skipped parts do not count.',
    description: 'What the video watched number counts',
  },
  dailyTitle: {
    id: 'stats.overview.daily.title',
    defaultMessage: 'How active were learners each day?',
    description: 'Title of the daily activity chart',
  },
  dailyInfo: {
    id: 'stats.overview.daily.info',
    defaultMessage:
      'Bars: learners active that day. Line: the time they spent, in hours (or their unit visits).',
    description: 'What the daily chart shows',
  },
  dailyDescription: {
    id: 'stats.overview.daily.description',
    defaultMessage:
      'From {from} to {to}: {active} active learners in all, {time} spent, busiest day {busiest}.',
    description: 'Text alternative of the daily chart',
  },
  showTime: {
    id: 'stats.overview.daily.showTime',
    defaultMessage: 'Time',
    description: 'Switch of the daily chart line: time spent',
  },
  showVisits: {
    id: 'stats.overview.daily.showVisits',
    defaultMessage: 'Visits',
    description: 'Switch of the daily chart line: unit visits',
  },
  lineMetric: {
    id: 'stats.overview.daily.lineMetric',
    defaultMessage: 'Line shows',
    description: 'Label of the switch between time and visits on the daily chart',
  },
  date: {
    id: 'stats.overview.column.date',
    defaultMessage: 'Date',
    description: 'Column / axis title',
  },
  hours: {
    id: 'stats.overview.column.hours',
    defaultMessage: 'Hours spent',
    description: 'Column / axis title: time spent in hours',
  },
  whereTitle: {
    id: 'stats.overview.where.title',
    defaultMessage: 'Where do learners go?',
    description: 'Title of the chart of visits per section or subsection',
  },
  whereInfo: {
    id: 'stats.overview.where.info',
    defaultMessage:
      'Unit visits in these days, added up per section or subsection, in course order.',
    description: 'What the where-learners-go chart shows',
  },
  whereDescription: {
    id: 'stats.overview.where.description',
    defaultMessage: 'Most visited: {name} with {visits} visits.',
    description: 'Text alternative of the where-learners-go chart',
  },
  block: {
    id: 'stats.overview.column.block',
    defaultMessage: 'Part of the course',
    description: 'Column / axis title: a section or subsection',
  },
});
