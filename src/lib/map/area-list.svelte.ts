/**
 * The admin-area list (names and parents, no shapes: /api/v1/areas/list), read once per page and
 * shared: the map's area picker searches it, and the side panel and the export's caption name the
 * areas of the filter with it (sub-districts have no outline loaded to take a name from).
 * Read in the browser only: on the server this stays empty, so nothing of one user is kept there.
 */
import { areaName } from './labels.ts';
import type { Locale } from '../i18n/index.ts';

export interface AreaItem {
	pcode: string;
	level: number;
	name_en: string;
	name_ar: string | null;
	parent_pcode: string | null;
}

class AreaList {
	all = $state.raw<AreaItem[] | null>(null);
	failed = $state(false);
	#loading = false;
	byCode = $derived(new Map((this.all ?? []).map((a) => [a.pcode, a])));

	async load() {
		if (typeof window === 'undefined' || this.all || this.#loading) return;
		this.#loading = true;
		try {
			const r = await fetch('/api/v1/areas/list');
			if (!r.ok) throw new Error(String(r.status));
			this.all = (await r.json()) as AreaItem[];
			this.failed = false;
		} catch {
			this.failed = true;
		} finally {
			this.#loading = false;
		}
	}

	/** The area's name in the reader's language, or null while the list is not read. */
	name(pcode: string, locale: Locale): string | null {
		const a = this.byCode.get(pcode);
		return a ? areaName(a, locale) : null;
	}
}

export const areaList = new AreaList();
