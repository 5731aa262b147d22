/**
 * Sorani Kurdish (ckb, Arabic script) names of the governorates, districts and main towns of the
 * Kurdistan Region, Ninewa and Kirkuk, for map labels in the Kurdish interface (issue 14). Neither
 * COD-AB nor Natural Earth carries Kurdish names, so they are curated here by hand.
 *
 * Source: written by the Terrain intl engineer (2026-12-03) in the spelling of the Kurdistan
 * Regional Government and the Sorani press; the spellings مووسڵ، کەرکووک، نەینەوا، سلێمانی،
 * هەڵەبجە، هەولێر، بەغدا were checked against kdp.info (Sorani edition, 2025). Only names the
 * curator was sure of are listed; any place missing here keeps its English (Latin) name. Add a
 * name only with a source, and keep Kurdish letters (ی ک ە), never the Arabic look-alikes (ي ك ة):
 * names-ckb.test.ts checks that.
 *
 * Keys: COD-AB 2019 P-codes (supabase/seed/irq_admbnda_adm*_cso_20190603.geojson) for areas;
 * Natural Earth NAME (static/basemap/places.geojson `name_en`) for towns and countries.
 */
export const CKB_BY_PCODE: Readonly<Record<string, string>> = {
	// governorates
	IQG09: 'دهۆک',
	IQG11: 'هەولێر',
	IQG06: 'سلێمانی',
	IQG13: 'کەرکووک',
	IQG15: 'نەینەوا',
	IQG08: 'بەغدا',
	// Duhok
	IQG09Q01: 'ئامێدی',
	IQG09Q02: 'دهۆک',
	IQG09Q03: 'سێمێل',
	IQG09Q04: 'زاخۆ',
	// Erbil
	IQG11Q01: 'زێبار',
	IQG11Q02: 'هەولێر',
	IQG11Q03: 'کۆیە',
	IQG11Q04: 'مەخموور',
	IQG11Q05: 'ڕەواندز',
	IQG11Q06: 'شەقڵاوە',
	// Sulaymaniyah (Halabja district is a governorate of its own since 2014; COD-AB 2019 keeps it here)
	IQG06Q01: 'سلێمانی',
	IQG06Q02: 'چەمچەماڵ',
	IQG06Q03: 'دەربەندیخان',
	IQG06Q04: 'دوکان',
	IQG06Q05: 'هەڵەبجە',
	IQG06Q06: 'کەلار',
	IQG06Q07: 'پێنجوێن',
	IQG06Q08: 'پشدەر',
	IQG06Q09: 'ڕانیە',
	IQG06Q10: 'شارباژێڕ',
	// Kirkuk
	IQG13Q01: 'حەویجە',
	IQG13Q02: 'داقووق',
	IQG13Q03: 'دبس',
	IQG13Q04: 'کەرکووک',
	// Ninewa (Al-Baaj, Al-Hamdaniya, Al-Hatra and Tilkaef are left out: no sure Sorani spelling)
	IQG15Q01: 'ئاکرێ',
	IQG15Q05: 'مووسڵ',
	IQG15Q06: 'شێخان',
	IQG15Q07: 'شەنگال',
	IQG15Q08: 'تەلەعفەر'
};

export const CKB_BY_PLACE: Readonly<Record<string, string>> = {
	Dahuk: 'دهۆک',
	Zakho: 'زاخۆ',
	Irbil: 'هەولێر',
	'As Sulaymaniyah': 'سلێمانی',
	Kirkuk: 'کەرکووک',
	Mosul: 'مووسڵ',
	'Tall Afar': 'تەلەعفەر',
	Baghdad: 'بەغدا',
	// country labels (static/basemap/country-labels.geojson `name_en`)
	Iraq: 'عێراق',
	Iran: 'ئێران',
	Turkey: 'تورکیا',
	Syria: 'سووریا'
};
