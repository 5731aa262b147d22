// Names shown on the map and in its panels, in the reader's language where the data has it.

export function siteName(p: { name?: unknown; name_ar?: unknown }, lang: string): string {
	const ar = typeof p.name_ar === 'string' && p.name_ar.trim() ? p.name_ar : null;
	return String((lang === 'ar' && ar) || p.name || ar || '');
}

export function areaName(p: { name_en?: unknown; name_ar?: unknown }, lang: string): string {
	const ar = typeof p.name_ar === 'string' && p.name_ar.trim() ? p.name_ar : null;
	return String((lang === 'ar' && ar) || p.name_en || '');
}
