// Loaded into a benchmarked server process with `node --import` (plain JavaScript: it loads before tsx). It
// measures the process's own event-loop delay and, on each SIGUSR2, prints one line with the figures since the
// previous signal and starts afresh. The benchmark parses that line from the server's output
// (tests/bench/server-figures.ts); the server's own code is not touched.
import { monitorEventLoopDelay } from 'node:perf_hooks';

/** The line's prefix, shared with the parser in server-figures.ts. */
const PREFIX = 'event-loop-probe ';
/** Milliseconds between the histogram's timer ticks; what a tick is late beyond this is the delay. */
const RESOLUTION_MS = 1;

const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
histogram.enable();

/** @param {number} nanoseconds */
const delayMs = (nanoseconds) => Math.max(0, nanoseconds / 1e6 - RESOLUTION_MS);

process.on('SIGUSR2', () => {
	const figures = {
		p50: delayMs(histogram.percentile(50)),
		p99: delayMs(histogram.percentile(99)),
		max: delayMs(histogram.max),
		samples: histogram.count
	};
	histogram.reset();
	process.stdout.write(`${PREFIX}${JSON.stringify(figures)}\n`);
});
