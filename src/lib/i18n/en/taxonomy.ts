// ACLED's event types and our status vocabularies.
export const taxonomy = {
	'event_type.battles': 'Battles',
	'event_type.violence_against_civilians': 'Violence against civilians',
	'event_type.explosions_remote_violence': 'Explosions/Remote violence',
	'event_type.riots': 'Riots',
	'event_type.protests': 'Protests',
	'event_type.strategic_developments': 'Strategic developments',
	'checkpoint_status.open': 'Open',
	'checkpoint_status.restricted': 'Restricted',
	'checkpoint_status.closed': 'Closed',
	'site_type.office': 'Office',
	'site_type.base': 'Base',
	'site_type.guesthouse': 'Guesthouse',
	'site_type.warehouse': 'Warehouse',
	'site_type.hibernation_site': 'Hibernation site',
	'site_type.assembly_point': 'Assembly point',
	'incident_status.reported': 'Reported',
	'incident_status.verified': 'Verified',
	'incident_status.rejected': 'Rejected',
	'incident_status.archived': 'Archived'
};
