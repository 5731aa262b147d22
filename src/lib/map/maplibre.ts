// maplibre-gl for the browser, as one file whose address is known when the page is built: the
// map's pages name it (and its worker) in the HTML's <head> (MaplibrePreload.svelte), so a field
// link starts on the library's 240 kB at once, beside the page's own code, instead of after the
// page has loaded and run. A bundled `import('maplibre-gl')` would be found only then. The file is
// the package's own ESM build, which imports nothing; every user of maplibre goes through here, so
// the page holds one copy of it.
import maplibreUrl from 'maplibre-gl/dist/maplibre-gl.mjs?url';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';

export type Maplibre = typeof import('maplibre-gl');

export { maplibreUrl, workerUrl };

let loading: Promise<Maplibre> | null = null;

/** The library, loaded once, with its worker's address set. */
export function loadMaplibre(): Promise<Maplibre> {
	loading ??= (import(/* @vite-ignore */ maplibreUrl) as Promise<Maplibre>).then((m) => {
		m.setWorkerUrl(workerUrl);
		return m;
	});
	return loading;
}
