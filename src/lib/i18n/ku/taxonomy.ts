import type { taxonomy as en } from '../en/taxonomy.ts';

// ACLED's event types and our status vocabularies, in Sorani.
export const taxonomy = {
	'event_type.battles': 'شەڕەکان',
	'event_type.violence_against_civilians': 'توندوتیژی دژی سڤیلەکان',
	'event_type.explosions_remote_violence': 'تەقینەوە/توندوتیژی لە دوورەوە',
	'event_type.riots': 'ئاژاوەگێڕی',
	'event_type.protests': 'خۆپیشاندانەکان',
	'event_type.strategic_developments': 'پێشهاتە ستراتیژییەکان',
	'checkpoint_status.open': 'کراوە',
	'checkpoint_status.restricted': 'سنووردار',
	'checkpoint_status.closed': 'داخراو',
	'site_type.office': 'نووسینگە',
	'site_type.base': 'بنکە',
	'site_type.guesthouse': 'میوانخانە',
	'site_type.warehouse': 'کۆگا',
	'site_type.hibernation_site': 'شوێنی خۆپەنادان (مانەوە لە شوێن)',
	'site_type.assembly_point': 'خاڵی کۆبوونەوە',
	'incident_status.reported': 'ڕاپۆرتکراو',
	'incident_status.verified': 'پشتڕاستکراوە',
	'incident_status.rejected': 'ڕەتکراوە',
	'incident_status.archived': 'ئەرشیفکراو'
} satisfies Partial<Record<keyof typeof en, string>>;
