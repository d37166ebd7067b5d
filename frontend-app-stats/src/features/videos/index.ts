export { VideosPage } from './VideosPage.tsx';
export { default as videosMessages } from './messages.ts';
