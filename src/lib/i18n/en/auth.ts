export const auth = {
	'auth.sign_in': 'Sign in',
	'auth.email': 'Email',
	'auth.password': 'Password',
	'auth.failed': 'Email or password is not correct.',
	'auth.missing': 'Enter your email and password.',
	'auth.signed_in_as': 'Signed in as {email}',
	'auth.sensitive_notice': 'This system holds sensitive information. Sign out on shared computers.',
	'password_too_short': 'Use at least 12 characters.',
	'password_too_long': 'Use at most 512 characters.'
};
