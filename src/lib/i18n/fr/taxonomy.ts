// Les types d'événements d'ACLED et nos vocabulaires d'état.
export const taxonomy = {
	'event_type.battles': 'Combats',
	'event_type.violence_against_civilians': 'Violence contre des civils',
	'event_type.explosions_remote_violence': 'Explosions/Violence à distance',
	'event_type.riots': 'Émeutes',
	'event_type.protests': 'Manifestations',
	'event_type.strategic_developments': 'Évolutions stratégiques',
	'checkpoint_status.open': 'Ouvert',
	'checkpoint_status.restricted': 'Restreint',
	'checkpoint_status.closed': 'Fermé',
	'site_type.office': 'Bureau',
	'site_type.base': 'Base',
	'site_type.guesthouse': 'Maison d’hôtes',
	'site_type.warehouse': 'Entrepôt',
	'site_type.hibernation_site': 'Site d’hibernation',
	'site_type.assembly_point': 'Point de rassemblement',
	'incident_status.reported': 'Signalé',
	'incident_status.verified': 'Vérifié',
	'incident_status.rejected': 'Rejeté',
	'incident_status.archived': 'Archivé'
};
