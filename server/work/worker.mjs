// The entry of the work pool's threads. Node 20 ignores `--import` in a worker's execArgv, and tsx's hooks of the
// main thread do not reach other threads: TypeScript support is registered here, in the thread, before the tasks load.
import { register } from 'tsx/esm/api';

register();
const { runWorkRequest } = await import('./tasks.ts');

export default runWorkRequest;
