/**
 * The report form's fields as the shared incident schema reads them (checkboxes are 'on' or
 * absent): on the server for a form post, in the browser for the outbox's JSON.
 */
export function formToInput(form: FormData): Record<string, unknown> {
	const v = (k: string) => {
		const x = form.get(k);
		return typeof x === 'string' ? x : undefined;
	};
	return {
		event_date: v('event_date'),
		event_time: v('event_time'),
		time_precision: v('time_precision') || undefined,
		event_type: v('event_type') || undefined,
		sub_event_type: v('sub_event_type'),
		coordinates: v('coordinates'),
		admin_pcode: v('admin_pcode'),
		location_name: v('location_name'),
		actor1: v('actor1') ? { name: v('actor1') } : null,
		actor2: v('actor2') ? { name: v('actor2') } : null,
		fatalities: v('fatalities'),
		injuries: v('injuries'),
		abductions: v('abductions'),
		affects_us: form.get('affects_us') === 'on',
		// Not sent unless ticked: a new report then takes the database's default (see the schema).
		sensitive_location: form.get('sensitive_location') === 'on' ? true : undefined,
		affects_ngos: form.get('affects_ngos') === 'on',
		serious: form.get('serious') === 'on',
		ops_impact: v('ops_impact'),
		source: v('source'),
		source_reliability: v('source_reliability'),
		info_credibility: v('info_credibility'),
		confidentiality: v('confidentiality') || undefined,
		notes: v('notes') ?? '',
		status: v('status') || undefined,
		confirm_outside_area: v('confirm_outside_area')
	};
}
