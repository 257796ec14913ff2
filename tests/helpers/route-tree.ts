import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './processes.ts';

const ROUTES = join(ROOT, 'src/routes');
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'fallback'];

export interface PageRoute {
	/** The route id as SvelteKit names it, e.g. `/plans/[id=uuid]/versions`. */
	id: string;
	/** How many layout nodes come before the page's own in its `__data.json` (the root layout always counts). */
	layouts: number;
	/** It has a `+page.server.ts` load, so its `__data.json` carries data of its own. */
	serverData: boolean;
}

/** Everything the app answers over HTTP, read from src/routes. */
export interface RouteTree {
	pages: PageRoute[];
	/** Form actions: `default` for a page's unnamed one. */
	actions: { id: string; name: string }[];
	/** Methods exported by `+server.ts` files. */
	endpoints: { id: string; method: string }[];
}

const isLayout = (file: string) => /^\+layout(\.server)?\.(svelte|ts|js)$/.test(file);

/**
 * Walks src/routes and imports each `+page.server.ts` and `+server.ts` (through Vite, as the app does) to read the
 * actions and methods they export. A route feature this reader does not know (layout resets, optional or rest
 * parameters) throws, so the matrix cannot silently skip it.
 */
export async function readRouteTree(): Promise<RouteTree> {
	const tree: RouteTree = { pages: [], actions: [], endpoints: [] };
	const walk = async (dir: string, segments: string[], layouts: number) => {
		const entries = readdirSync(dir, { withFileTypes: true });
		const files = entries.filter((entry) => entry.isFile()).map((entry) => entry.name);
		const strange = files.find(
			(file) => file.startsWith('+') && (file.includes('@') || !/^\+(page|layout|server|error)(\.server)?\.(svelte|ts|js)$/.test(file))
		);
		if (strange) throw new Error(`The route tree reader does not know ${join(dir, strange)}: teach tests/helpers/route-tree.ts about it.`);
		const id = `/${segments.join('/')}`;
		if (segments.some((segment) => segment.startsWith('[[') || segment.startsWith('[...'))) {
			throw new Error(`The route tree reader does not know optional or rest parameters (${id}): teach tests/helpers/route-tree.ts about them.`);
		}
		const here = segments.length === 0 ? 1 : layouts + (files.some(isLayout) ? 1 : 0);
		if (files.some((file) => /^\+page(\.server)?\.(svelte|ts|js)$/.test(file))) {
			const serverFile = files.find((file) => /^\+page\.server\.(ts|js)$/.test(file));
			tree.pages.push({ id, layouts: here, serverData: serverFile !== undefined });
			if (serverFile) {
				const module = (await import(/* @vite-ignore */ join(dir, serverFile))) as { actions?: Record<string, unknown> };
				for (const name of Object.keys(module.actions ?? {})) tree.actions.push({ id, name });
			}
		}
		const endpointFile = files.find((file) => /^\+server\.(ts|js)$/.test(file));
		if (endpointFile) {
			const module = (await import(/* @vite-ignore */ join(dir, endpointFile))) as Record<string, unknown>;
			for (const name of Object.keys(module).filter((name) => METHODS.includes(name))) tree.endpoints.push({ id, method: name });
		}
		for (const entry of entries.filter((candidate) => candidate.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
			await walk(join(dir, entry.name), [...segments, entry.name], here);
		}
	};
	await walk(ROUTES, [], 0);
	return tree;
}

/**
 * The path of a route id with its parameters filled in (`[id=uuid]` → params.id); route groups `(name)` drop out.
 * A parameter with no value throws, naming it.
 */
export function routePath(id: string, params: Record<string, string>): string {
	const segments = id
		.split('/')
		.filter((segment) => segment !== '' && !/^\(.*\)$/.test(segment))
		.map((segment) =>
			segment.replace(/\[(\w+)(?:=\w+)?\]/g, (_whole, name: string) => {
				const value = params[name];
				if (value === undefined) throw new Error(`No value for the route parameter "${name}" of ${id}: add one to the matrix's parameters.`);
				return value;
			})
		);
	return `/${segments.join('/')}`;
}
