import { defineMessages } from '@edx/frontend-platform/i18n';

export default defineMessages({
  title: {
    id: 'stats.learners.title',
    defaultMessage: 'How is each learner doing?',
    description: 'Title of the learners page',
  },
  search: {
    id: 'stats.learners.search',
    defaultMessage: 'Search learners by username',
    description: 'Label of the search box of the learners list',
  },
  view: {
    id: 'stats.learners.view',
    defaultMessage: 'Show learners as',
    description: 'Label of the switch between the learners table and the learner × unit grid',
  },
  viewTable: {
    id: 'stats.learners.view.table',
    defaultMessage: 'Table',
    description: 'Switch option: the learners table',
  },
  viewGrid: {
    id: 'stats.learners.view.grid',
    defaultMessage: 'Grid per unit',
    description: 'Switch option: the grid of learners × units with heat-coloured cells',
  },
  username: {
    id: 'stats.learners.column.username',
    defaultMessage: 'Username',
    description: 'Column title: the learner’s username',
  },
  noUsername: {
    id: 'stats.learners.noUsername',
    defaultMessage: '(no username)',
    description: 'Shown instead of a username for a learner known only by user id',
  },
  time: {
    id: 'stats.learners.column.time',
    defaultMessage: 'Time spent',
    description: 'Column / stat card title: time the learner spent in the course',
  },
  sessions: {
    id: 'stats.learners.column.sessions',
    defaultMessage: 'Sessions',
    description: 'Column / stat card title: the learner’s sessions',
  },
  visits: {
    id: 'stats.learners.column.visits',
    defaultMessage: 'Unit visits',
    description: 'Column / stat card title: the learner’s visits to units',
  },
  unitsVisited: {
    id: 'stats.learners.column.unitsVisited',
    defaultMessage: 'Units visited',
    description: 'Column / stat card title: units the learner visited',
  },
  unitsCompleted: {
    id: 'stats.learners.column.unitsCompleted',
    defaultMessage: 'Units completed',
    description: 'Column / stat card title: units the learner completed',
  },
  videosCompleted: {
    id: 'stats.learners.column.videosCompleted',
    defaultMessage: 'Videos completed',
    description: 'Column / stat card title: videos the learner watched (almost) in full',
  },
  lastActive: {
    id: 'stats.learners.column.lastActive',
    defaultMessage: 'Last active',
    description: 'Column / stat card title: the day of the learner’s last activity',
  },
  firstActive: {
    id: 'stats.learners.firstActive',
    defaultMessage: 'First active',
    description: 'Stat card title: the day of the learner’s first activity',
  },
  activeDays: {
    id: 'stats.learners.activeDays',
    defaultMessage: 'Active days',
    description: 'Stat card title: days on which the learner did something in the course',
  },
  atRisk: {
    id: 'stats.learners.atRisk',
    defaultMessage: 'At risk',
    description: 'Column title and badge: the learner has stopped coming and has not finished',
  },
  atRiskInfo: {
    id: 'stats.learners.atRisk.info',
    defaultMessage:
      'At risk on {date}: still enrolled, active in the course before, but did nothing in the 7 days up to that day, and has at least one unit left to complete.',
    description: 'What the at-risk badge means; date is the last day of the range',
  },
  sortedAscending: {
    id: 'stats.learners.caption.ascending',
    defaultMessage: 'Learners from {from} to {to}, sorted by {column}, ascending',
    description: 'Caption of the learners table (read by screen readers)',
  },
  sortedDescending: {
    id: 'stats.learners.caption.descending',
    defaultMessage: 'Learners from {from} to {to}, sorted by {column}, descending',
    description: 'Caption of the learners table (read by screen readers)',
  },
  pageRange: {
    id: 'stats.learners.pageRange',
    defaultMessage: '{first}–{last} of {total, plural, one {# learner} other {# learners}}',
    description: 'Which learners of the list this page shows, e.g. "51–100 of 1,234 learners"',
  },
  pagination: {
    id: 'stats.learners.pagination',
    defaultMessage: 'Pages of learners',
    description: 'Label of the pagination of the learners list',
  },
  previous: {
    id: 'stats.learners.pagination.previous',
    defaultMessage: 'Previous',
    description: 'Pagination button: the previous page',
  },
  next: {
    id: 'stats.learners.pagination.next',
    defaultMessage: 'Next',
    description: 'Pagination button: the next page',
  },
  page: {
    id: 'stats.learners.pagination.page',
    defaultMessage: 'Page',
    description: 'Pagination: word before a page number ("Page 3")',
  },
  currentPage: {
    id: 'stats.learners.pagination.currentPage',
    defaultMessage: 'Current page',
    description: 'Pagination: said of the page shown',
  },
  pageOfCount: {
    id: 'stats.learners.pagination.of',
    defaultMessage: 'of',
    description: 'Pagination: word between the page and the number of pages ("3 of 20")',
  },
  noMatch: {
    id: 'stats.learners.noMatch',
    defaultMessage: 'No learner’s username contains “{q}”.',
    description: 'Shown when the search finds no learner',
  },
  none: {
    id: 'stats.learners.none',
    defaultMessage: 'No learners enrolled or active up to {to}.',
    description: 'Shown when the course has no learners up to the end of the range',
  },
  pastEnd: {
    id: 'stats.learners.pastEnd',
    defaultMessage: 'This page is past the end of the list.',
    description: 'Shown when the page asked for in the address has no learners',
  },
  firstPage: {
    id: 'stats.learners.firstPage',
    defaultMessage: 'Go to the first page',
    description: 'Button that goes back to the first page of the learners list',
  },
  gridMetric: {
    id: 'stats.learners.grid.metric',
    defaultMessage: 'Cells show',
    description: 'Label of the switch of what the cells of the learner grid show',
  },
  completion: {
    id: 'stats.learners.grid.completion',
    defaultMessage: 'Completion',
    description: 'Grid metric: whether (or how much of) a unit or section the learner completed',
  },
  gridInfo: {
    id: 'stats.learners.grid.info',
    defaultMessage:
      'One row per learner, one column per unit (or subsection, or section) in course order. Time spent and unit visits count these days; completion is 100% for a unit whose components were all completed by {date}, and for a section the share of its units completed.',
    description: 'What the learner × unit grid shows; date is the last day of the range',
  },
  gridTitle: {
    id: 'stats.learners.grid.title',
    defaultMessage: 'Where did each learner go?',
    description: 'Title of the learner × unit grid',
  },
  gridCaption: {
    id: 'stats.learners.grid.caption',
    defaultMessage: '{metric} per {level} for each learner, from {from} to {to}',
    description:
      'Caption of the learner grid, e.g. "Time spent per unit for each learner, from … to …"',
  },
  levelUnit: {
    id: 'stats.learners.grid.level.unit',
    defaultMessage: 'unit',
    description: 'Lower-case word inside the grid caption ("… per unit …")',
  },
  levelSequential: {
    id: 'stats.learners.grid.level.sequential',
    defaultMessage: 'subsection',
    description: 'Lower-case word inside the grid caption ("… per subsection …")',
  },
  levelChapter: {
    id: 'stats.learners.grid.level.chapter',
    defaultMessage: 'section',
    description: 'Lower-case word inside the grid caption ("… per section …")',
  },
  learner: {
    id: 'stats.learners.grid.learner',
    defaultMessage: 'Learner',
    description: 'Title of the first column of the learner grid',
  },
  cellTitle: {
    id: 'stats.learners.grid.cellTitle',
    defaultMessage: '{username}, {block}: {value}',
    description: 'Tooltip of a cell of the learner grid',
  },
  legendTitle: {
    id: 'stats.learners.grid.legend',
    defaultMessage: 'Color scale',
    description: 'Title of the legend of the grid’s cell colours',
  },
  legendHelp: {
    id: 'stats.learners.grid.legend.help',
    defaultMessage:
      'Darker cells mean more. The scale runs from 0 to the largest value on this page, {max}.',
    description: 'Explains the colours of the learner grid',
  },
  legendUpTo: {
    id: 'stats.learners.grid.legend.upTo',
    defaultMessage: 'up to {value}',
    description: 'A step of the grid’s colour scale ("up to 30 min")',
  },
  backToList: {
    id: 'stats.learners.backToList',
    defaultMessage: 'All learners',
    description: 'Link from a learner’s page back to the learners list',
  },
  notFound: {
    id: 'stats.learners.notFound',
    defaultMessage: 'No such learner in this course',
    description: 'Title shown when the learner of the address does not exist in the course',
  },
  notFoundHelp: {
    id: 'stats.learners.notFound.help',
    defaultMessage: 'No learner of this course has, or ever had, the username “{username}”.',
    description: 'Explains the no-such-learner message',
  },
  learnerFailed: {
    id: 'stats.learners.learnerFailed',
    defaultMessage: 'This learner could not be loaded: {reason}',
    description: 'Shown when loading a learner failed; reason is the server message',
  },
  outOf: {
    id: 'stats.learners.outOf',
    defaultMessage: '{count} of {total}',
    description: 'A count out of a total on a stat card, e.g. "12 of 40" units',
  },
  timeInfo: {
    id: 'stats.learners.time.info',
    defaultMessage:
      'Time this learner spent in the course in these days: each action earns the time until the next one, if it comes within 30 minutes.',
    description: 'What the learner’s time spent counts',
  },
  sessionsInfo: {
    id: 'stats.learners.sessions.info',
    defaultMessage:
      'Stretches of activity that started in these days: a pause longer than 30 minutes starts a new one.',
    description: 'What the learner’s sessions count',
  },
  visitsInfo: {
    id: 'stats.learners.visits.info',
    defaultMessage:
      'Arrivals at a unit in these days: going from one unit to another counts one visit; reloading the same unit does not.',
    description: 'What the learner’s unit visits count',
  },
  activeDaysInfo: {
    id: 'stats.learners.activeDays.info',
    defaultMessage: 'Days in the range on which this learner did anything in the course.',
    description: 'What the learner’s active days count',
  },
  unitsVisitedInfo: {
    id: 'stats.learners.unitsVisited.info',
    defaultMessage: 'Units of the course this learner visited at least once in these days.',
    description: 'What the learner’s units visited count',
  },
  unitsCompletedInfo: {
    id: 'stats.learners.unitsCompleted.info',
    defaultMessage:
      'Units whose components (discussions aside) this learner had all completed by {date}, whenever that happened.',
    description: 'What the learner’s units completed count; date is the last day of the range',
  },
  videosCompletedInfo: {
    id: 'stats.learners.videosCompleted.info',
    defaultMessage:
      'Videos of which this learner had watched at least 90% by {date}, whenever that happened; parts watched twice count once.',
    description: 'What the learner’s videos completed count; date is the last day of the range',
  },
  firstActiveInfo: {
    id: 'stats.learners.firstActive.info',
    defaultMessage: 'The day of this learner’s first action in the course.',
    description: 'What the first active date is',
  },
  lastActiveInfo: {
    id: 'stats.learners.lastActive.info',
    defaultMessage: 'The day of this learner’s last action in the course, up to {date}.',
    description: 'What the last active date is; date is the last day of the range',
  },
  thisLearner: {
    id: 'stats.learners.series.learner',
    defaultMessage: 'This learner',
    description: 'Legend of the learner’s own bars in the charts of a learner',
  },
  courseMean: {
    id: 'stats.learners.series.courseMean',
    defaultMessage: 'Course mean',
    description: 'Legend of the marks showing the mean of the course’s learners',
  },
  unit: {
    id: 'stats.learners.column.unit',
    defaultMessage: 'Unit',
    description: 'Column / axis title: a unit of the course',
  },
  minutes: {
    id: 'stats.learners.column.minutes',
    defaultMessage: 'Minutes',
    description: 'Axis title: time in minutes',
  },
  completedComponents: {
    id: 'stats.learners.column.completedComponents',
    defaultMessage: 'Components completed',
    description: 'Column / tooltip title: components of a unit the learner completed',
  },
  unitsTitle: {
    id: 'stats.learners.units.title',
    defaultMessage: 'How much time did {username} spend on each unit?',
    description: 'Title of the chart of a learner’s time per unit',
  },
  unitsInfo: {
    id: 'stats.learners.units.info',
    defaultMessage:
      'Bars: the time this learner spent on each unit in these days, in course order. Marks: the course mean, over the learners who spent any time on that unit.',
    description: 'What the learner’s units chart shows',
  },
  unitsDescription: {
    id: 'stats.learners.units.description',
    defaultMessage:
      '{username} spent time on {spent} of {total} units; most on {unit}: {time} (course mean {mean}).',
    description: 'Text alternative of the learner’s units chart',
  },
  video: {
    id: 'stats.learners.column.video',
    defaultMessage: 'Video',
    description: 'Column / axis title: a video of the course',
  },
  coverage: {
    id: 'stats.learners.column.coverage',
    defaultMessage: 'Share watched',
    description: 'Column / axis title: the share of a video watched',
  },
  watchTime: {
    id: 'stats.learners.column.watchTime',
    defaultMessage: 'Time watched',
    description: 'Column title: time of video played in the range',
  },
  videosTitle: {
    id: 'stats.learners.videos.title',
    defaultMessage: 'How much of each video did {username} watch?',
    description: 'Title of the chart of a learner’s video coverage',
  },
  videosInfo: {
    id: 'stats.learners.videos.info',
    defaultMessage:
      'Bars: the share of each video this learner had watched by {date} (parts watched twice count once). Marks: the course mean, over the learners who watched it in these days.',
    description: 'What the learner’s videos chart shows; date is the last day of the range',
  },
  videosDescription: {
    id: 'stats.learners.videos.description',
    defaultMessage:
      '{username} watched {watched} of {total} videos at least in part and completed {completed} (90% or more).',
    description: 'Text alternative of the learner’s videos chart',
  },
});
