import { Server } from '@hocuspocus/server';

// Hocuspocus for the side-by-side benchmark, in its own process: in memory, no extensions, no authentication.
// Started by tests/bench/bench-servers.ts, which reads the port from the line printed below.
const server = new Server({ address: '127.0.0.1', port: 0, quiet: true, stopOnSignals: true });
await server.listen();
console.log(`Hocuspocus is listening on port ${server.address.port}`);
