/** Areas joined to the rows that describe them (a level, a baseline flag…), by P-code. */
import type { AreaCollection } from '../types.ts';

type AreaFeature = AreaCollection['features'][number];

export function joinAreas<R, F>(
	areas: readonly AreaFeature[],
	rows: readonly R[],
	key: (r: R) => string | null | undefined,
	join: (area: AreaFeature, row: R) => F
): F[] {
	const byPcode = new Map<string, R>();
	for (const r of rows) {
		const k = key(r);
		if (k) byPcode.set(k, r);
	}
	return areas.flatMap((f) => {
		const row = byPcode.get(f.properties.pcode);
		return row ? [join(f, row)] : [];
	});
}
