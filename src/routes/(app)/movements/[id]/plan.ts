/** A movement plan as the plan page reads it (public.movement_get): its calls and status history. */
import type { Geometry } from 'geojson';

export interface Call {
	contact_name: string;
	pcode: string | null;
	segment: string;
	called_at: string;
	outcome: string;
	said: string;
}

export interface Ev {
	to: string;
	at: string;
	by_name: string | null;
	reason: string;
}

export interface Plan {
	id: string;
	status: string;
	purpose: string;
	departure_at: string;
	return_at: string;
	created_by: string | null;
	created_by_name: string | null;
	conditions: string;
	route: Geometry | null;
	calls: Call[];
	events: Ev[];
}
