// A worker thread for `check --workers N`: runs the search tasks it is sent (TypeScript through tsx).
import { register } from 'tsx/esm/api';

register();
await import('./check-worker-main.ts');
