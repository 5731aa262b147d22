import type { en } from '../en/index.ts';
import { common } from './common.ts';
import { auth } from './auth.ts';
import { admin } from './admin.ts';
import { map } from './map.ts';
import { taxonomy } from './taxonomy.ts';
import { analysis } from './analysis.ts';
import { actors } from './actors.ts';
import { incidents } from './incidents.ts';
import { draw } from './draw.ts';
import { mapfilters } from './mapfilters.ts';
import { audit } from './audit.ts';
import { registries } from './registries.ts';
import { imports } from './imports.ts';
import { fuzz } from './fuzz.ts';
import { signin } from './signin.ts';
import { movements } from './movements.ts';
import { reports } from './reports.ts';
import { risks } from './risks.ts';
import { assess } from './assess.ts';
import { alertrules } from './alertrules.ts';
import { intl } from './intl.ts';
import { offline } from './offline.ts';
import { briefings } from './briefings.ts';
import { mapexport } from './mapexport.ts';
import { community } from './community.ts';
import { maptools } from './maptools.ts';
import { mapoverlays } from './mapoverlays.ts';
import { settings } from './settings.ts';
import { triggers } from './triggers.ts';

// Sorani Kurdish (ckb, Arabic script). Translated by the Terrain team, NOT yet reviewed by a
// native-speaking security translator: until then treat the security vocabulary with care.
// If a term is wrong or is not what staff in the Kurdistan Region say, open an issue (or tell
// the admin of your Terrain server) quoting the key — e.g. `map.layer.checkpoints` — the
// current text and the term you use; the key is the name in the ku/*.ts file of its area.
// Keys missing here fall back to English one by one.
export const ku: Partial<Record<keyof typeof en, string>> = {
	...common,
	...auth,
	...admin,
	...map,
	...taxonomy,
	...analysis,
	...actors,
	...incidents,
	...draw,
	...mapfilters,
	...audit,
	...registries,
	...imports,
	...fuzz,
	...signin,
	...movements,
	...reports,
	...risks,
	...assess,
	...alertrules,
	...intl,
	...offline,
	...briefings,
	...mapexport,
	...community,
	...maptools,
	...mapoverlays,
	...settings,
	...triggers
};
