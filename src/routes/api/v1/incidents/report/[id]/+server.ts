export { reportGet as GET, reportUpdate as POST } from '$lib/server/incidents/api';
