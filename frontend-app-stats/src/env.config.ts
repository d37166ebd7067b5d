// Runtime configuration frontend-platform reads at start (its `env.config` import); the build's
// settings come from the .env files instead (vite.config.ts), so this adds nothing.
export default {};
