// topojson-client ships no types; the one function the operating-area check uses.
declare module 'topojson-client' {
	export function feature(topology: unknown, object: unknown): unknown;
}
