export { OverviewPage } from './OverviewPage.tsx';
export { default as overviewMessages } from './messages.ts';
