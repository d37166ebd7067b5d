export { UnitsPage } from './UnitsPage.tsx';
export { default as unitsMessages } from './messages.ts';
