/** The day, week and month presets of the sitrep form, ending on the chosen last day. */
const iso = (d: Date) => d.toISOString().slice(0, 10);

export function periodPresets(search: string, to: string) {
	const d = new Date(`${to}T00:00:00Z`);
	const weekStart = new Date(d);
	weekStart.setUTCDate(d.getUTCDate() - 6);
	const m0 = iso(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)));
	const m1 = iso(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)));
	const keep = (from: string, last: string) => {
		const p = new URLSearchParams(search);
		p.set('from', from);
		p.set('to', last);
		return `/reports?${p}`;
	};
	return [
		{ key: 'reports.preset.day', href: keep(to, to) },
		{ key: 'reports.preset.week', href: keep(iso(weekStart), to) },
		{ key: 'reports.preset.month', href: keep(m0, m1) }
	] as const;
}
