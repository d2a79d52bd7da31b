// Every export of the sandbox package, named: no `export *`.
export { createApp } from './app.js';
export type { AppOptions } from './app.js';
export { createSandbox } from './create-sandbox.js';
export type { CreateSandboxOptions, Sandbox } from './create-sandbox.js';
export type { Dialect, SandboxDeps, Schedule } from './deps.js';
export { startSandbox } from './cli/sandbox-command.js';
export type { RunningSandbox } from './cli/sandbox-command.js';
export { SEED_BUYERS, SEED_MERCHANT } from './seed.js';
export { createActivityFeed } from './activity/feed.js';
export type { ActivityFeed, ActivityFeedOptions, ActivityListener } from './activity/feed.js';
export type { Activity, AttemptActivity, RequestActivity, TradeActivity } from './activity/activity.js';
