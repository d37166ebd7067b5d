import { configureStore } from '@reduxjs/toolkit';
import { statsApi } from '../api/statsApi.ts';

export function createStore() {
  return configureStore({
    reducer: { [statsApi.reducerPath]: statsApi.reducer },
    middleware: (defaults) => defaults().concat(statsApi.middleware),
  });
}

export type AppStore = ReturnType<typeof createStore>;
