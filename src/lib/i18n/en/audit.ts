// The audit log as readers meet it: what an incident's history withholds from them.
export const audit = {
	'audit.history.withheld': 'withheld',
	'audit.history.withheld_hint':
		'Earlier text that was replaced, and values from while the incident was not yours to see, are not shown.'
};
