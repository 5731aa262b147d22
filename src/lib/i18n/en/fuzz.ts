/** Location fuzzing: sensitive incident locations shown coarsely to readers outside the need-to-know. */
export const fuzz = {
	'fuzz.field.sensitive_location':
		'Sensitive location: viewers and field staff outside this area see only an approximate place',
	'fuzz.approximate':
		'Approximate location: shown at its area’s centre or on a coarse grid, not at the exact place',
	'fuzz.error.analysts_only': 'only analysts and admins can set it',
	'fuzz.error.boolean': 'must be true or false'
};
