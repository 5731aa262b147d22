/**
 * Query strings for links and history entries. Components build them here, in a plain module,
 * and get a string back at once: a URLSearchParams held in a component would be non-reactive
 * state (eslint's svelte/prefer-svelte-reactivity), and these builders are never state.
 */
export type QueryValue = string | number | boolean | null | undefined | readonly string[];

/**
 * `base` with `change` applied, as "a=1&b=2" (no "?"). In `change`, null, undefined and '' remove
 * a key, false is left out, an array sets the key once per element. `keep`, when given, keeps
 * only those keys of `base`.
 */
export function query(
	base: URLSearchParams | string | null,
	change: Record<string, QueryValue> = {},
	keep?: readonly string[]
): string {
	const from = new URLSearchParams(base ?? '');
	const p = new URLSearchParams();
	for (const [k, v] of from) if (!keep || keep.includes(k)) p.append(k, v);
	for (const [k, v] of Object.entries(change)) {
		p.delete(k);
		if (v === null || v === undefined || v === '' || v === false) continue;
		if (Array.isArray(v)) for (const x of v) p.append(k, x);
		else p.set(k, String(v));
	}
	return p.toString();
}

/** `path` with the query string `q` ("" gives the bare path). */
export const href = (path: string, q: string): string => (q ? `${path}?${q}` : path);
