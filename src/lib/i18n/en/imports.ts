// The import page's options and answers in words for web users (src/routes/(app)/import).
export const imports = {
	'imports.encoding': 'Text encoding',
	'imports.encoding.auto': 'Detect automatically',
	'imports.encoding.utf-8': 'UTF-8 (Unicode)',
	'imports.encoding.utf-16le': 'UTF-16 (Excel "Unicode text")',
	'imports.encoding.utf-16be': 'UTF-16 big-endian',
	'imports.encoding.windows-1256': 'Arabic Windows (Windows-1256)',
	'imports.encoding.windows-1252': 'Western Windows (Windows-1252)',
	'imports.encoding.iso-8859-1': 'Western (Latin-1)',
	'imports.dates': 'Dates like 03/04/2024 are',
	'imports.dates.auto': 'As the file shows (ask if unclear)',
	'imports.dates.dmy': 'Day first (3 April 2024)',
	'imports.dates.mdy': 'Month first (March 4, 2024)',
	'imports.dates.ask':
		'Some dates can be read day first or month first, and nothing in the file settles it. Choose how the dates are written, then check the file again.',
	'imports.dates.read': 'Dates were read {order}.',
	'imports.dates.read.dmy': 'day first',
	'imports.dates.read.mdy': 'month first',
	'imports.status': 'Status of new incidents',
	'imports.status.auto': 'As the file says (ACLED and UCDP: verified)',
	'imports.status.reported': 'Reported',
	'imports.status.verified': 'Verified',
	'imports.source.needed':
		'Name the source of this file before importing it. Its ids are kept under this name, so next month’s file from the same source updates these incidents instead of adding them again.',
	'imports.source.placeholder': 'e.g. partner-tracker',
	'imports.dry':
		'Dry run: {read} rows read. Importing would add {inserted}, update {updated} and leave {unchanged} unchanged; {skipped} rows have problems. Nothing was written.',
	'imports.placement':
		'Where the rows go: {point} at their own coordinates, {admin3} at a sub-district, {admin2} at a district, {admin1} at a governorate only — on {points} distinct points.',
	'imports.partial':
		'Partly imported: {inserted} new, {updated} updated, {unchanged} unchanged. {skipped} rows with problems were skipped — download them below.',
	'imports.values': 'Values of the column “{column}”',
	'imports.values.intro':
		'These values are not event types Terrain knows. Choose what each one means; your choices are remembered for your next file with this column.',
	'imports.values.value': 'Value in the file',
	'imports.values.rows': 'Rows',
	'imports.values.maps_to': 'Event type',
	'imports.values.unmapped': '(leave as a problem)',
	'imports.values.mapped': 'Mapped values',
	'imports.seen.same_file':
		'This file was imported before ({date}, as “{file}”, source “{source}”).',
	'imports.check_again': 'Check again with these choices',
	'import.target.displacement_locations': 'Displacement locations (IDPs outside camps)'
};
