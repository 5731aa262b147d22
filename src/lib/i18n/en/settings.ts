/** The admin settings page (issue 9). */
export const settings = {
	'nav.settings': 'Settings',
	'settings.title': 'Settings',
	'settings.intro': 'These settings apply to everyone. Every change is kept in the audit log.',
	'settings.history': 'History of changes',
	'settings.operating_area': 'Operating area',
	'settings.operating_area_help':
		'A place reported outside these countries and the buffer around them must be confirmed by the person reporting it, who is told which country it falls in.',
	'settings.countries': 'Countries (three-letter ISO codes, separated by commas)',
	'settings.countries_help': 'For example IRQ, SYR.',
	'settings.in_force': 'Now: {names}',
	'settings.buffer_km': 'Buffer beyond the borders (km)',
	'settings.registries': 'Registries',
	'settings.checkpoint_stale_days': 'A checkpoint is shown as stale after (days)',
	'settings.checkpoint_stale_days_help': 'Days since someone last verified it.',
	'settings.site_match_m':
		'Re-import: a site with the same name counts as the same within (metres)',
	'settings.site_match_m_help':
		'A re-imported site with no id from its source updates the site of the same name within this distance, instead of adding a second one.',
	'settings.save': 'Save settings',
	'settings.saved': 'Settings saved.',
	'settings.unchanged': 'Nothing to save: these settings were already in force.',
	'settings.has_errors': 'Nothing was saved. Correct the fields marked below.',
	'settings.error.countries':
		'Enter one or more country codes of three letters (ISO 3166), for example IRQ, SYR.',
	'settings.error.buffer_km': 'Enter a number of kilometres from 0 to 500.',
	'settings.error.checkpoint_stale_days': 'Enter a whole number of days from 1 to 365.',
	'settings.error.site_match_m': 'Enter a number of metres from 0 to 20,000.',
	'settings.documents': 'Documents',
	'settings.document_classification': 'Classification marking',
	'settings.document_classification_help':
		'Printed at the top of sitreps, the risk register, assessments and map exports, before the organisation’s name. Empty: the standard marking (“Restricted”) in the reader’s language.',
	'settings.error.document_classification': 'At most 100 characters.',
	// the admin page of detailed basemaps
	'nav.basemaps': 'Basemaps',
	'basemaps.title': 'Detailed basemaps',
	'basemaps.intro':
		'Offline vector maps with roads and villages that users can switch to on the map: a PMTiles or MBTiles file in the Protomaps or OpenMapTiles schema. Nothing is fetched from the internet for them. An online style can be offered as well (below).',
	'basemaps.cli':
		'Files of several hundred MB are better added on the server: terrain basemap add FILE.',
	'basemaps.none': 'No detailed basemap yet: the map uses the built-in one.',
	'basemaps.name': 'Name',
	'basemaps.kind': 'Kind',
	'basemaps.zooms': 'Zooms',
	'basemaps.size': 'Size',
	'basemaps.added': 'Added',
	'basemaps.remove': 'Remove',
	'basemaps.remove_confirm':
		'Remove the basemap “{name}”? Users who chose it go back to the built-in map.',
	'basemaps.add': 'Add a basemap',
	'basemaps.file': 'PMTiles or MBTiles file',
	'basemaps.name_optional': 'Name (optional: the file’s name)',
	'basemaps.submit': 'Add',
	'basemaps.adding': 'Sending {size}…',
	'basemaps.added_ok': '“{name}” added: users can switch to it on the map.',
	'basemaps.removed_ok': '“{name}” removed.',
	'basemaps.pick_file': 'Choose a file first.',
	'basemaps.online_add': 'Add an online basemap',
	'basemaps.online_intro':
		'A MapLibre style on another server (its style JSON’s URL). Users’ browsers reach that server only when they pick this basemap; the built-in one stays the default and works offline.',
	'basemaps.online_url': 'Style URL',
	'basemaps.online_name': 'Name (optional: the style’s own name)',
	'basemaps.online_checking': 'Reading the style…',
	'basemaps.online_kind': 'Online style'
};
