/**
 * French exonyms for the map labels of the French interface (issue 14): the neighbours' names and
 * the Iraqi towns whose French name differs from the English one. Everything else keeps its
 * English (Latin) name, which French readers read as is.
 *
 * Source: the usual French spellings (Larousse; French-language press such as Le Monde and
 * RFI: Bagdad, Mossoul, Bassorah, Kirkouk, Erbil, Souleimaniye, Nadjaf, Kerbala, Falloujah),
 * written by the Terrain intl engineer, 2026-12-03. Keys: `name_en` in static/basemap/.
 */
export const FR_BY_NAME: Readonly<Record<string, string>> = {
	Iraq: 'Irak',
	Syria: 'Syrie',
	Turkey: 'Turquie',
	Jordan: 'Jordanie',
	Kuwait: 'Koweït',
	'Saudi Arabia': 'Arabie saoudite',
	Baghdad: 'Bagdad',
	Mosul: 'Mossoul',
	Basra: 'Bassorah',
	Kirkuk: 'Kirkouk',
	Irbil: 'Erbil',
	'As Sulaymaniyah': 'Souleimaniye',
	'An Najaf': 'Nadjaf',
	Karbala: 'Kerbala',
	'Al Fallujah': 'Falloujah'
};
