import { parseMapUrl } from '$lib/map/url-state';
import type { PageLoad } from './$types';

// The URL is the map's state (camera, filters, layers, mode, selection); see url-state.ts.
// Parsing it here keeps the page a function of its URL: a shared link opens the same view.
export const load: PageLoad = ({ url }) => ({ map: parseMapUrl(url.searchParams) });
