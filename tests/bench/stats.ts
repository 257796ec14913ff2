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
