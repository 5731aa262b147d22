// Writes the map's state into its URL (see $lib/map/url-state.ts). goto() is asynchronous: a
// change made before the previous one has landed must build on it, not on the older page.url,
// or it would undo it; so the writer remembers the search it is landing.
import { goto } from '$app/navigation';
import { parseMapUrl, mapUrlParams, type MapUrlState } from '$lib/map/url-state';
import { withoutOptional } from '$lib/offline/low-data-layers';

export interface UrlWriterOptions {
	/** The state as the page's load read it from the URL. */
	loaded: () => MapUrlState;
	url: () => URL;
	/** The low-data switch: drawn state skips the optional layers. */
	lowData: () => boolean;
	/** Called with the drawn state after every write (also when the URL did not change). */
	onwrite: (drawn: MapUrlState) => void;
}

export function mapUrlWriter(o: UrlWriterOptions) {
	let pendingSearch: string | null = null;
	let writeSeq = 0;

	/** As the URL says it, including a write still landing. */
	const written = (): MapUrlState =>
		pendingSearch !== null ? parseMapUrl(new URLSearchParams(pendingSearch)) : o.loaded();
	/** What is drawn. */
	const current = (): MapUrlState => withoutOptional(written(), o.lowData());

	function set(patch: Partial<MapUrlState>) {
		const next = { ...written(), ...patch };
		const url = o.url();
		const search = mapUrlParams(next, url.searchParams).toString();
		if (search !== url.searchParams.toString() || pendingSearch !== null) {
			pendingSearch = search;
			const mine = ++writeSeq;
			goto(`${url.pathname}${search ? `?${search}` : ''}`, {
				replaceState: true,
				noScroll: true,
				keepFocus: true
			}).finally(() => {
				if (mine === writeSeq) pendingSearch = null;
			});
		}
		o.onwrite(withoutOptional(next, o.lowData()));
	}

	return { written, current, set };
}
