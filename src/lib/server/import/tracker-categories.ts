/**
 * The category words of NGO incident trackers, read as ACLED types. Kept apart from values.ts
 * because it is a vocabulary to extend (a partner's new word is one line here), not parsing logic.
 */
import type { EventType } from '../../domain/taxonomy.ts';

/**
 * The words NGO incident trackers use for categories (English and Arabic), as ACLED's event type
 * and sub-event type. A tracker's "IED" is ACLED's remote explosive, its "kidnapping" an
 * abduction of civilians, and so on; anything else must be mapped to a type by the user.
 */
const TRACKER_CATEGORIES: [string[], EventType, string][] = [
	[
		[
			'ied',
			'roadside bomb',
			'car bomb',
			'vbied',
			'explosion',
			'explosive device',
			'landmine',
			'mine',
			'uxo',
			'عبوة ناسفة',
			'انفجار',
			'لغم'
		],
		'explosions_remote_violence',
		'Remote explosive/landmine/IED'
	],
	[
		['airstrike', 'air strike', 'air raid', 'drone strike', 'غارة جوية'],
		'explosions_remote_violence',
		'Air/drone strike'
	],
	[
		['shelling', 'mortar', 'rocket', 'rocket attack', 'artillery', 'missile', 'قصف'],
		'explosions_remote_violence',
		'Shelling/artillery/missile attack'
	],
	[
		['suicide bombing', 'suicide attack', 'suicide bomber', 'تفجير انتحاري'],
		'explosions_remote_violence',
		'Suicide bomb'
	],
	[['grenade', 'قنبلة يدوية'], 'explosions_remote_violence', 'Grenade'],
	[
		['abduction', 'kidnapping', 'kidnap', 'abducted', 'hostage taking', 'اختطاف', 'خطف'],
		'violence_against_civilians',
		'Abduction/forced disappearance'
	],
	[
		['sexual violence', 'sexual assault', 'عنف جنسي'],
		'violence_against_civilians',
		'Sexual violence'
	],
	[
		[
			'shooting',
			'assault',
			'killing',
			'murder',
			'assassination',
			'attack on civilians',
			'اغتيال',
			'إطلاق نار',
			'اطلاق نار',
			'قتل',
			'اعتداء'
		],
		'violence_against_civilians',
		'Attack'
	],
	[
		[
			'clash',
			'armed clash',
			'fighting',
			'exchange of fire',
			'firefight',
			'اشتباك',
			'اشتباكات',
			'اشتباك مسلح'
		],
		'battles',
		'Armed clash'
	],
	[
		[
			'demonstration',
			'protest',
			'sit in',
			'sit-in',
			'rally',
			'تظاهرة',
			'مظاهرة',
			'احتجاج',
			'اعتصام'
		],
		'protests',
		'Peaceful protest'
	],
	[['riot', 'mob violence', 'شغب', 'أعمال شغب'], 'riots', 'Mob violence'],
	[
		['arrest', 'arrests', 'detention', 'detained', 'اعتقال', 'احتجاز'],
		'strategic_developments',
		'Arrests'
	],
	[
		['looting', 'theft', 'robbery', 'burglary', 'property destruction', 'arson', 'نهب', 'سرقة'],
		'strategic_developments',
		'Looting/property destruction'
	]
];
const words = (s: string) =>
	s
		.toLowerCase()
		.normalize('NFKC')
		.replace(/[\s\-_/.,()]+/g, ' ')
		.trim();
const CATEGORY_INDEX = new Map<string, { event_type: EventType; sub_event_type: string }>(
	TRACKER_CATEGORIES.flatMap(([names, event_type, sub_event_type]) =>
		names.map((n) => [words(n), { event_type, sub_event_type }] as const)
	)
);

/** The ACLED type of a tracker's category word (a trailing plural "s" ignored), or undefined. */
export function trackerCategory(
	s: string
): { event_type: EventType; sub_event_type: string } | undefined {
	const hit = CATEGORY_INDEX.get(words(s)) ?? CATEGORY_INDEX.get(words(s).replace(/s$/, ''));
	return hit && { ...hit };
}
