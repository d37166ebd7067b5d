// Every message this app defines, for the completeness test of the translations.
import { notFoundMessages } from '../app/NotFoundPage.tsx';
import chartMessages from '../charts/messages.ts';
import { formatMessages } from '../common/format.ts';
import { infoMessages } from '../common/InfoPopover.tsx';
import courseMessages from '../features/course/messages.ts';
import coursesMessages from '../features/courses/messages.ts';
import learnersMessages from '../features/learners/messages.ts';
import overviewMessages from '../features/overview/messages.ts';
import unitsMessages from '../features/units/messages.ts';
import videosMessages from '../features/videos/messages.ts';

export const catalog = [
  notFoundMessages,
  chartMessages,
  formatMessages,
  infoMessages,
  courseMessages,
  coursesMessages,
  learnersMessages,
  overviewMessages,
  unitsMessages,
  videosMessages,
];
