export const auth = {
	'auth.sign_in': 'Sign in',
	'auth.email': 'Email',
	'auth.password': 'Password',
	'auth.failed': 'Email or password is not correct.',
	'auth.missing': 'Enter your email and password.',
	'auth.signed_in_as': 'Signed in as {email}',
	'auth.sensitive_notice': 'This system holds sensitive information. Sign out on shared computers.',
	'auth.change_password': 'Change your password',
	'auth.must_change':
		'You signed in with a one-time password. Choose your own password to continue.',
	'auth.current_password': 'Current password',
	'auth.new_password': 'New password (at least 12 characters)',
	'auth.confirm_password': 'New password again',
	'auth.current_wrong': 'The current password is not correct.',
	'auth.mismatch': 'The two new passwords differ.',
	'auth.same_password': 'Choose a password different from the current one.',
	password_too_short: 'Use at least 12 characters.',
	password_too_long: 'Use at most 512 characters.'
};
