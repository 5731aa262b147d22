/**
 * Typed dates for the DateField component (issue 14): always day/month/year, whatever the
 * interface language, so 03/04/2024 means one thing; digits may be Latin (0–9), Arabic-Indic
 * (٠–٩) or Persian/Kurdish (۰–۹), and the separator / - . or a space. An ISO date (2024-04-03)
 * is accepted too, since that is what people paste from exports.
 */

const DIGITS = /[\u0660-\u0669\u06F0-\u06F9]/g;

/** Latin digits for Arabic-Indic and Extended Arabic-Indic ones. */
export function latinDigits(s: string): string {
	return s.replace(DIGITS, (d) => String(d.charCodeAt(0) & 0xf));
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function valid(y: number, m: number, d: number): boolean {
	if (y < 1000 || y > 9999 || m < 1 || m > 12 || d < 1) return false;
	return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/**
 * The ISO date (YYYY-MM-DD) for what was typed; '' for an empty field; null when it is not a
 * real date in day/month/year (or ISO) order.
 */
export function parseDayFirst(text: string): string | null {
	const s = latinDigits(text)
		.trim()
		// right-to-left and other invisible marks that copying from Arabic text brings along
		.replace(/[\u200e\u200f\u061c]/g, '');
	if (!s) return '';
	let m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(s);
	if (m) {
		const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
		return valid(y, mo, d) ? `${y}-${pad(mo)}-${pad(d)}` : null;
	}
	m = /^(\d{1,2})[-/. ](\d{1,2})[-/. ](\d{4})$/.exec(s);
	if (!m) return null;
	const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
	return valid(y, mo, d) ? `${y}-${pad(mo)}-${pad(d)}` : null;
}

/**
 * An ISO date written day/month/year in the digits of the locale's number format (Arabic-Indic
 * for Arabic and Kurdish, when the browser's Intl data has them).
 */
export function formatDayFirst(iso: string, intlLocale: string): string {
	const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
	if (!m) return '';
	const nf = new Intl.NumberFormat(intlLocale, { useGrouping: false, minimumIntegerDigits: 2 });
	const year = new Intl.NumberFormat(intlLocale, { useGrouping: false });
	return `${nf.format(Number(m[3]))}/${nf.format(Number(m[2]))}/${year.format(Number(m[1]))}`;
}
