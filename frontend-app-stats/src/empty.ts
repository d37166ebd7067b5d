// Stands in for polyfills that every browser the dashboard supports no longer needs (vite.config.ts).
export {};
