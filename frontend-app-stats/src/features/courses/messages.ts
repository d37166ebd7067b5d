import { defineMessages } from '@edx/frontend-platform/i18n';

export default defineMessages({
  pageTitle: {
    id: 'stats.courses.title',
    defaultMessage: 'Which of your courses do you want to look at?',
    description: 'Title of the page listing the courses the user may see',
  },
  search: {
    id: 'stats.courses.search',
    defaultMessage: 'Search courses by name or course key',
    description: 'Label of the search box of the course list',
  },
  searchSubmit: {
    id: 'stats.courses.search.submit',
    defaultMessage: 'Search',
    description: 'Screen-reader label of the search button of the course list',
  },
  searchClear: {
    id: 'stats.courses.search.clear',
    defaultMessage: 'Clear the search',
    description: 'Screen-reader label of the button that empties the search box',
  },
  current: {
    id: 'stats.courses.current',
    defaultMessage: 'Current courses ({count})',
    description: 'Heading of the list of courses that have not ended',
  },
  archived: {
    id: 'stats.courses.archived',
    defaultMessage: 'Archived courses ({count})',
    description: 'Heading of the list of courses that have ended',
  },
  none: {
    id: 'stats.courses.none',
    defaultMessage: 'You are not on the team of any course with data yet.',
    description: 'Shown when the user may see no course at all',
  },
  howDataArrives: {
    id: 'stats.courses.howDataArrives',
    defaultMessage: 'How course data gets here (for operators)',
    description: 'Link to the operators documentation, under the empty course list',
  },
  noMatch: {
    id: 'stats.courses.noMatch',
    defaultMessage: 'No course matches “{query}”.',
    description: 'Shown when the search matches no course',
  },
  dates: {
    id: 'stats.courses.dates',
    defaultMessage: '{start} – {end}',
    description: 'The start and end dates of a course run',
  },
  learners: {
    id: 'stats.courses.learners',
    defaultMessage: '{count, plural, one {# learner} other {# learners}}',
    description: 'Number of learners with activity in a course',
  },
  dataUpTo: {
    id: 'stats.courses.dataUpTo',
    defaultMessage: 'Data up to {date}',
    description: 'When the course numbers were last computed',
  },
  noData: {
    id: 'stats.courses.noData',
    defaultMessage: 'No data yet',
    description: 'Shown on a course card when the course was never processed',
  },
  loadFailed: {
    id: 'stats.courses.loadFailed',
    defaultMessage: 'Your courses could not be loaded: {reason}',
    description: 'Shown when the course list failed to load',
  },
  retry: {
    id: 'stats.courses.retry',
    defaultMessage: 'Retry',
    description: 'Button that loads the course list again',
  },
  unnamed: {
    id: 'stats.courses.unnamed',
    defaultMessage: 'Untitled course',
    description: 'Shown when a course has no name anywhere',
  },
});
