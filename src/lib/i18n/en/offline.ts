/** Offline use (issue 14): the offline banner, the outbox, the low-data switch. */
export const offline = {
	'offline.banner': 'Offline — data as of {time}',
	'offline.banner_unknown': 'Offline — showing the data kept on this device',
	'offline.outbox': 'Outbox ({count})',
	'offline.outbox.title': 'Outbox',
	'offline.outbox.intro':
		'Reports and check-ins made on this device. They are sent in order when the connection returns.',
	'offline.outbox.empty': 'Nothing is waiting to be sent.',
	'offline.state.waiting': 'Waiting to be sent',
	'offline.state.rejected': 'Refused by the server — fix it and send again',
	'offline.state.accepted': 'Accepted by the server',
	'offline.send_now': 'Send now',
	'offline.fix': 'Fix',
	'offline.discard': 'Discard',
	'offline.open': 'Open',
	'offline.close': 'Close',
	'offline.kind.incident': 'Incident report',
	'offline.kind.movement-step': 'Movement check-out / check-in',
	'offline.queued':
		'Saved on this device. It will be sent when the connection returns — see the outbox.',
	'offline.confirm_discard': 'Discard this unsent item from this device?',
	'offline.confirm_signout':
		'{count} item(s) have not been sent yet. Signing out deletes them from this device. Sign out anyway?',
	'offline.needs_server': 'You are offline, and this screen needs the server.',
	'offline.needs_server_hint':
		'The map, incident lists, areas and the report form work offline once opened online.',
	'offline.stopped.offline': 'No connection: sending again when it returns.',
	'offline.stopped.unauthorized': 'Your session has expired: sign in again to send.',
	'offline.stopped.server': 'The server is busy: trying again shortly.',
	'offline.low_data': 'Low data',
	'offline.low_data_hint': 'Skip the optional map layers (actors, area levels) to save bandwidth'
};
