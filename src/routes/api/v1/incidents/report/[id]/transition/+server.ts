export { reportTransition as POST } from '$lib/server/incidents/api';
