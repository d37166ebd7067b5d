import { defineMessages } from '@edx/frontend-platform/i18n';

export default defineMessages({
  // The bar chart per unit (or subsection, section) and its metric switch
  metric: {
    id: 'stats.units.metric',
    defaultMessage: 'Bars show',
    description: 'Label of the switch between time, visits and completion on the units chart',
  },
  metricTime: {
    id: 'stats.units.metric.time',
    defaultMessage: 'Time',
    description: 'Metric switch option: time spent',
  },
  metricVisits: {
    id: 'stats.units.metric.visits',
    defaultMessage: 'Visits',
    description: 'Metric switch option: unit visits and visitors',
  },
  metricCompletion: {
    id: 'stats.units.metric.completion',
    defaultMessage: 'Completion',
    description: 'Metric switch option: share of active learners who completed',
  },
  timeTitle: {
    id: 'stats.units.time.title',
    defaultMessage: 'Where do learners spend their time?',
    description: 'Title of the units chart showing time spent',
  },
  timeInfo: {
    id: 'stats.units.time.info',
    defaultMessage:
      'Time learners spent on each part of the course in these days, in hours, in course order. Each action earns the time until the next one, if it comes within 30 minutes. A subsection or section adds up its units.',
    description: 'What the units chart counts when it shows time',
  },
  timeDescription: {
    id: 'stats.units.time.description',
    defaultMessage:
      'Most time: {name}, {time} in all, spent by {learners, plural, one {# learner} other {# learners}}.',
    description: 'Text alternative of the units chart showing time: the part with the most time',
  },
  visitsTitle: {
    id: 'stats.units.visits.title',
    defaultMessage: 'Which parts of the course do learners visit?',
    description: 'Title of the units chart showing visits and visitors',
  },
  visitsInfo: {
    id: 'stats.units.visits.info',
    defaultMessage:
      'Bars: unit visits in these days (going from one unit to another counts one visit; reloading the same unit does not). Marks: visitors, the learners with at least one visit. Many more visits than visitors means learners come back.',
    description: 'What the units chart counts when it shows visits',
  },
  visitsDescription: {
    id: 'stats.units.visits.description',
    defaultMessage:
      'Most visited: {name}, {visits, plural, one {# visit} other {# visits}} by {visitors, plural, one {# learner} other {# learners}}.',
    description: 'Text alternative of the units chart showing visits: the most visited part',
  },
  completionTitle: {
    id: 'stats.units.completion.title',
    defaultMessage: 'How many learners complete each part of the course?',
    description: 'Title of the units chart showing completion',
  },
  completionInfo: {
    id: 'stats.units.completion.info',
    defaultMessage:
      'Learners who had completed every component that counts (discussions do not) by the last day of the range, divided by the {active} learners active in the course in these days. For a subsection or section: learners who completed all of its units. Learners who finished earlier and were not active in these days still count, so a share can go above 100%.',
    description:
      'What the units chart counts when it shows completion; active is the number of active learners',
  },
  completionDescription: {
    id: 'stats.units.completion.description',
    defaultMessage:
      'Most completed: {name}, by {completed, plural, one {# learner} other {# learners}}, {share} of the {active} active learners.',
    description: 'Text alternative of the units chart showing completion: the most completed part',
  },
  // Column, axis and tooltip titles
  label: {
    id: 'stats.units.column.label',
    defaultMessage: 'No.',
    description: 'Column title: the position label of a unit in the course (e.g. 1.2.3)',
  },
  name: {
    id: 'stats.units.column.name',
    defaultMessage: 'Part of the course',
    description: 'Column / tooltip title: a unit, subsection or section',
  },
  hours: {
    id: 'stats.units.column.hours',
    defaultMessage: 'Time spent (hours)',
    description: 'Axis / tooltip title: time spent in hours',
  },
  time: {
    id: 'stats.units.column.time',
    defaultMessage: 'Time spent',
    description: 'Column title: time spent (formatted as hours and minutes)',
  },
  learnersWithTime: {
    id: 'stats.units.column.learnersWithTime',
    defaultMessage: 'Learners with time',
    description: 'Column / tooltip title: learners who spent some time there',
  },
  visits: {
    id: 'stats.units.column.visits',
    defaultMessage: 'Visits',
    description: 'Column / legend / tooltip title: unit visits',
  },
  visitors: {
    id: 'stats.units.column.visitors',
    defaultMessage: 'Visitors',
    description: 'Column / legend / tooltip title: learners with at least one visit',
  },
  visitsAxis: {
    id: 'stats.units.axis.visits',
    defaultMessage: 'Visits and visitors (learners)',
    description: 'Axis title of the units chart showing visits and visitors',
  },
  completed: {
    id: 'stats.units.column.completed',
    defaultMessage: 'Learners who completed',
    description: 'Column / tooltip title: learners who completed the unit',
  },
  completion: {
    id: 'stats.units.column.completion',
    defaultMessage: 'Completed (% of active learners)',
    description: 'Column / axis / tooltip title: completers divided by active learners',
  },
  // Mean time per learner
  meanTitle: {
    id: 'stats.units.mean.title',
    defaultMessage: 'How long does a learner spend on each unit?',
    description: 'Title of the chart of mean time per learner',
  },
  meanInfo: {
    id: 'stats.units.mean.info',
    defaultMessage:
      'Among the learners who spent any time there in these days: the mean time per learner, in minutes. The whisker spans one standard deviation either side of it (never below zero): a long whisker means learners differ a lot. Parts nobody spent time on are left out of the chart; the table lists them.',
    description: 'What the mean time chart shows',
  },
  meanDescription: {
    id: 'stats.units.mean.description',
    defaultMessage:
      'Longest time per learner: {name}, {mean} on average among {learners, plural, one {# learner} other {# learners}}.',
    description: 'Text alternative of the mean time chart: the part with the longest mean time',
  },
  meanMinutes: {
    id: 'stats.units.column.meanMinutes',
    defaultMessage: 'Mean time per learner (minutes)',
    description: 'Axis / tooltip title / legend: mean time per learner in minutes',
  },
  sdMinutes: {
    id: 'stats.units.column.sdMinutes',
    defaultMessage: 'Standard deviation (minutes)',
    description: 'Tooltip title / legend: standard deviation of the time per learner in minutes',
  },
  mean: {
    id: 'stats.units.column.mean',
    defaultMessage: 'Mean time per learner',
    description: 'Column title: mean time per learner (formatted duration)',
  },
  sd: {
    id: 'stats.units.column.sd',
    defaultMessage: 'Standard deviation',
    description: 'Column title: standard deviation of the time per learner (formatted duration)',
  },
  // Daily visits per section
  dailyTitle: {
    id: 'stats.units.daily.title',
    defaultMessage: 'When do learners visit each section?',
    description: 'Title of the heat strip of daily visits per section',
  },
  dailyInfo: {
    id: 'stats.units.daily.info',
    defaultMessage:
      'Unit visits per day in each section, sections in course order: the stronger the colour, the more visits that day.',
    description: 'What the heat strip of daily visits shows',
  },
  dailyDescription: {
    id: 'stats.units.daily.description',
    defaultMessage:
      'Busiest day of a section: {name} on {date}, with {visits, plural, one {# visit} other {# visits}}.',
    description: 'Text alternative of the heat strip: the section and day with the most visits',
  },
  date: {
    id: 'stats.units.column.date',
    defaultMessage: 'Date',
    description: 'Column / axis title',
  },
  section: {
    id: 'stats.units.column.section',
    defaultMessage: 'Section',
    description: 'Column / tooltip title: a section (Open edX chapter)',
  },
  // Time outside units
  outsideTitle: {
    id: 'stats.units.outside.title',
    defaultMessage: 'How much time do learners spend outside units?',
    description: 'Title of the card with the time spent outside units',
  },
  outsideInfo: {
    id: 'stats.units.outside.info',
    defaultMessage:
      'Time learners spent in the course in these days away from its units: on the course home, the progress page, the discussions and other course pages. Not tied to a place: time that could not be tied to any place in the course, for example after an action whose page is unknown.',
    description: 'What the time outside units card counts',
  },
  home: {
    id: 'stats.units.outside.home',
    defaultMessage: 'Course home',
    description: 'Time outside units: on the course home (outline)',
  },
  progress: {
    id: 'stats.units.outside.progress',
    defaultMessage: 'Progress page',
    description: 'Time outside units: on the progress page',
  },
  discussion: {
    id: 'stats.units.outside.discussion',
    defaultMessage: 'Discussions',
    description: 'Time outside units: in the course discussions (forum)',
  },
  other: {
    id: 'stats.units.outside.other',
    defaultMessage: 'Other course pages',
    description: 'Time outside units: on other pages of the course',
  },
  unplaced: {
    id: 'stats.units.outside.unplaced',
    defaultMessage: 'Not tied to a place',
    description: 'Time outside units: time that could not be tied to a place',
  },
});
