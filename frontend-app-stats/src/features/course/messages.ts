import { defineMessages } from '@edx/frontend-platform/i18n';

export default defineMessages({
  courses: {
    id: 'stats.course.breadcrumb.courses',
    defaultMessage: 'Courses',
    description: 'First link of the breadcrumb: the course list',
  },
  tabs: {
    id: 'stats.course.tabs',
    defaultMessage: 'Course statistics',
    description: 'Label of the tab list of a course (Overview, Units, Videos, Learners)',
  },
  overview: { id: 'stats.course.tab.overview', defaultMessage: 'Overview', description: 'Tab' },
  units: { id: 'stats.course.tab.units', defaultMessage: 'Units', description: 'Tab' },
  videos: { id: 'stats.course.tab.videos', defaultMessage: 'Videos', description: 'Tab' },
  learners: { id: 'stats.course.tab.learners', defaultMessage: 'Learners', description: 'Tab' },
  dataUpTo: {
    id: 'stats.course.dataUpTo',
    defaultMessage: 'Data up to {date}',
    description: 'When the numbers of this course were last computed',
  },
  noDataYet: {
    id: 'stats.course.noDataYet',
    defaultMessage: 'Not processed yet',
    description: 'Shown instead of the data date when the course was never processed',
  },
  range: {
    id: 'stats.course.range',
    defaultMessage: 'Date range',
    description: 'Label of the group of date range controls',
  },
  last7: {
    id: 'stats.course.range.last7',
    defaultMessage: 'Last 7 days',
    description: 'Date range preset',
  },
  last30: {
    id: 'stats.course.range.last30',
    defaultMessage: 'Last 30 days',
    description: 'Date range preset',
  },
  whole: {
    id: 'stats.course.range.whole',
    defaultMessage: 'Whole run',
    description: 'Date range preset',
  },
  custom: {
    id: 'stats.course.range.custom',
    defaultMessage: 'Custom',
    description: 'Date range preset',
  },
  from: {
    id: 'stats.course.range.from',
    defaultMessage: 'From',
    description: 'First day of a custom range',
  },
  to: {
    id: 'stats.course.range.to',
    defaultMessage: 'To',
    description: 'Last day of a custom range',
  },
  apply: {
    id: 'stats.course.range.apply',
    defaultMessage: 'Apply',
    description: 'Button that applies a custom date range',
  },
  badRange: {
    id: 'stats.course.range.bad',
    defaultMessage: 'The first day must not be after the last.',
    description: 'Shown when a custom range ends before it starts',
  },
  groupBy: {
    id: 'stats.course.groupBy',
    defaultMessage: 'Group by',
    description: 'Label of the unit / sequential / chapter switch',
  },
  unit: { id: 'stats.course.group.unit', defaultMessage: 'Unit', description: 'Group by option' },
  sequential: {
    id: 'stats.course.group.sequential',
    defaultMessage: 'Subsection',
    description: 'Group by option (an Open edX sequential, called subsection in Studio)',
  },
  chapter: {
    id: 'stats.course.group.chapter',
    defaultMessage: 'Section',
    description: 'Group by option (an Open edX chapter, called section in Studio)',
  },
  notOnTeam: {
    id: 'stats.course.notOnTeam',
    defaultMessage: 'You are not on the course team of {course}.',
    description: 'Shown when the API answers 403 for this course',
  },
  notOnTeamHelp: {
    id: 'stats.course.notOnTeamHelp',
    defaultMessage:
      'Course staff, instructors and data researchers of a course can see its statistics. Ask the course team to give you a role.',
    description: 'Explains who can see course statistics',
  },
  notFound: {
    id: 'stats.course.notFound',
    defaultMessage: 'There are no statistics for {course}.',
    description: 'Shown when the API answers 404 for this course',
  },
  failed: {
    id: 'stats.course.failed',
    defaultMessage: 'This course could not be loaded: {reason}',
    description: 'Shown when loading the course failed for another reason',
  },
  backToCourses: {
    id: 'stats.course.backToCourses',
    defaultMessage: 'Back to your courses',
    description: 'Link from an error page to the course list',
  },
});
