/** The classification marking in force for documents (the admin setting; '' = the standard one). */
import { getSettings } from '../sites/index.ts';
import type { CallerUser } from '../db/types.ts';

/** '' when unset or unreadable: the page then prints the standard marking in the reader's language. */
export async function documentClassification(user: CallerUser): Promise<string> {
	try {
		return (await getSettings(user)).document_classification ?? '';
	} catch {
		return '';
	}
}
