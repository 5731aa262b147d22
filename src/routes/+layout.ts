import { loadCatalogue } from '$lib/i18n';
import type { LayoutLoad } from './$types';

// The reader's catalogue is fetched before the first render and again before a language switch
// renders (the server has all of them registered already).
export const load: LayoutLoad = async ({ data }) => {
	await loadCatalogue(data.locale);
	return data;
};
