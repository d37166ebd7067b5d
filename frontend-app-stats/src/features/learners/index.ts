export { LearnersPage } from './LearnersPage.tsx';
export { LearnerPage } from './LearnerPage.tsx';
export { default as learnersMessages } from './messages.ts';
