// What @openedx/frontend-plugin-framework takes from Paragon (its PluginSlot's spinner). It is
// CommonJS: its `require('@openedx/paragon')` would bundle every Paragon component (about
// 60 KB gzipped of unused code: data tables, drop zones, masked inputs); vite.config.ts points it
// here instead.
export { default as Spinner } from '@openedx/paragon/dist/Spinner';
