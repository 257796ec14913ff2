/** Percentile of a list of numbers (nearest rank). */
export function percentile(values: number[], p: number): number {
	if (values.length === 0) return Number.NaN;
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export const ms = (value: number): string => `${value.toFixed(1)} ms`;

/** Prints a figure against its target and says whether it is met. */
export function report(label: string, value: number, target: number, unit = 'ms'): boolean {
	const met = value <= target;
	console.log(`  ${label.padEnd(34)} ${value.toFixed(1).padStart(9)} ${unit}   target ≤ ${target} ${unit}   ${met ? 'met' : 'NOT MET'}`);
	return met;
}

/** A figure with one decimal, or "n/a" when there is none. */
export const figure = (value: number | null | undefined, digits = 1): string =>
	value === null || value === undefined || Number.isNaN(value) ? 'n/a' : value.toFixed(digits);

/** `value / base` as "12.3×", or "" when either is missing or the base is 0. */
export function ratio(value: number | null | undefined, base: number | null | undefined): string {
	if (value === null || value === undefined || base === null || base === undefined || Number.isNaN(value) || Number.isNaN(base) || base === 0) return '';
	return `${(value / base).toFixed(value / base >= 10 ? 0 : 1)}×`;
}

/** Prints rows under a header, the first column left-aligned and the others right-aligned. */
export function printTable(header: string[], rows: string[][]): void {
	const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => (row[column] ?? '').length)));
	const line = (cells: string[]) =>
		'  ' + cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('   ');
	console.log(line(header));
	console.log('  ' + widths.map((width) => '─'.repeat(width)).join('   '));
	for (const row of rows) console.log(line(row));
}

/** A target: what is measured, its value, the bound, and whether it is met. */
export interface Target {
	label: string;
	value: string;
	bound: string;
	met: boolean;
}

/** Prints targets as a table with "met" / "NOT MET" and returns whether all are met. */
export function printTargets(targets: Target[]): boolean {
	console.log('');
	printTable(
		['target', 'measured', 'bound', ''],
		targets.map((target) => [target.label, target.value, target.bound, target.met ? 'met' : 'NOT MET'])
	);
	return targets.every((target) => target.met);
}

/** A target on a figure that may be missing (the server's run failed): missing is not met. */
export function target(label: string, value: number | null | undefined, bound: number, unit: string, boundLabel = `≤ ${bound} ${unit}`): Target {
	const known = value !== null && value !== undefined && !Number.isNaN(value);
	return { label, value: known ? `${figure(value)} ${unit}` : 'n/a', bound: boundLabel, met: known && value <= bound };
}
