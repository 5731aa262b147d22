/**
 * Terrain's own export states how deep each incident's area is known (admin1..3_pcode, the
 * deeper ones empty when only the district, governorate or country is known). Placing the point
 * again would put it in a sub-district the source never claimed, so an export would not import
 * back unchanged; the stated depth is kept (as admin_depth, which the commit honours), as the
 * demo loader's is.
 *
 * Returns a reader of one record's depth (0–3), or null when the file does not state depths
 * (not Terrain's format, not incidents, the user remapped columns, or a P-code column missing).
 */
export function statedDepthReader(o: {
	preset: string;
	target: string;
	remapped: boolean;
	columns: string[];
}): ((values: Record<string, unknown>) => number) | null {
	if (o.preset !== 'terrain' || o.target !== 'incidents' || o.remapped) return null;
	const columns = (['admin1_pcode', 'admin2_pcode', 'admin3_pcode'] as const).map((c) =>
		o.columns.find((x) => x.toLowerCase() === c)
	);
	if (columns.some((c) => !c)) return null;
	return (values) => {
		let depth = 0;
		columns.forEach((c, i) => {
			if (String(values[c!] ?? '').trim()) depth = i + 1;
		});
		return depth;
	};
}
