// Packages without type declarations that this app imports.
declare module '@edx/frontend-component-header';
declare module '@openedx/paragon/dist/Spinner';
