/**
 * The operating area: where the team works (default Iraq with a 50 km buffer, set by the admins
 * in the `operating_area` setting). A point outside it is usually a typo or a lat/lon swap, so
 * saving one needs an explicit confirmation that names the country it falls in; a swapped pair
 * that would land inside is offered as the fix. Country shapes: world-atlas (Natural Earth
 * 1:50m), names: i18n-iso-countries — both offline, no lookup service.
 */
import { feature } from 'topojson-client';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import pointToPolygonDistance from '@turf/point-to-polygon-distance';
import { point } from '@turf/helpers';
// The library's node entry requires all 80 languages dynamically (which the SSR bundle cannot
// follow); its plain entry registers only the three we register below.
import countries from 'i18n-iso-countries/index.js';
import en from 'i18n-iso-countries/langs/en.json' with { type: 'json' };
import ar from 'i18n-iso-countries/langs/ar.json' with { type: 'json' };
import ku from 'i18n-iso-countries/langs/ku.json' with { type: 'json' };
import atlas from 'world-atlas/countries-50m.json' with { type: 'json' };
import type { Feature, MultiPolygon, Polygon } from 'geojson';

countries.registerLocale(en);
countries.registerLocale(ar);
countries.registerLocale(ku);

export interface OperatingArea {
	/** ISO 3166 alpha-3 codes, e.g. ["IRQ"]. */
	countries: string[];
	buffer_km: number;
}

export interface AreaCheck {
	inside: boolean;
	/** The country the point falls in (null at sea), with its names. */
	country: { iso3: string; name: string; name_ar: string; name_ku: string } | null;
	/** lon/lat swapped, when that lands inside the operating area. */
	swap: { lon: number; lat: number } | null;
}

type Shape = Feature<Polygon | MultiPolygon, { iso3: string | null }>;
let shapes: Shape[] | null = null;

function allShapes(): Shape[] {
	if (!shapes) {
		const fc = feature(atlas, atlas.objects.countries) as {
			features: Feature<Polygon | MultiPolygon>[];
		};
		shapes = fc.features.map((f) => ({
			...f,
			properties: { iso3: f.id ? (countries.numericToAlpha3(String(f.id)) ?? null) : null }
		}));
	}
	return shapes;
}

function countryAt(lon: number, lat: number): Shape | null {
	const p = point([lon, lat]);
	return allShapes().find((s) => booleanPointInPolygon(p, s)) ?? null;
}

function insideArea(lon: number, lat: number, area: OperatingArea): boolean {
	if (!Number.isFinite(lon) || !Number.isFinite(lat) || Math.abs(lat) > 90 || Math.abs(lon) > 180)
		return false;
	const p = point([lon, lat]);
	for (const s of allShapes()) {
		if (!s.properties.iso3 || !area.countries.includes(s.properties.iso3)) continue;
		if (booleanPointInPolygon(p, s)) return true;
		// Distance to the border (negative inside); the buffer takes in what lies just across.
		if (
			area.buffer_km > 0 &&
			pointToPolygonDistance(p, s, { units: 'kilometers' }) <= area.buffer_km
		)
			return true;
	}
	return false;
}

export function checkArea(lon: number, lat: number, area: OperatingArea): AreaCheck {
	const inside = insideArea(lon, lat, area);
	if (inside) return { inside, country: null, swap: null };
	const c = countryAt(lon, lat);
	const iso3 = c?.properties.iso3 ?? null;
	const name = (l: string) => (iso3 ? (countries.getName(iso3, l) ?? iso3) : '');
	return {
		inside,
		country: iso3
			? {
					iso3,
					name: name('en'),
					name_ar: name('ar') || name('en'),
					name_ku: name('ku') || name('en')
				}
			: null,
		swap: insideArea(lat, lon, area) ? { lon: lat, lat: lon } : null
	};
}

/** The message of the 400 when a point outside the area is sent without confirmation. */
export function outsideMessage(c: AreaCheck): string {
	const where = c.country ? `in ${c.country.name}` : 'at sea';
	const swap = c.swap ? `; swapped (lat ${c.swap.lat}, lon ${c.swap.lon}) it would be inside` : '';
	return `outside the operating area (${where})${swap}; send confirm_outside_area: true to keep it`;
}
