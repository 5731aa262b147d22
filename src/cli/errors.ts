/** An error whose message is meant for the person at the terminal, printed as one line. */
export class CliError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'CliError';
	}
}
