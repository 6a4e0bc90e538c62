// A worker thread for the two-phase commit's search tasks (`checker/plugin.test.ts`; TypeScript through tsx).
import { register } from 'tsx/esm/api';

register();
await import('./two-phase-commit-worker-main.ts');
