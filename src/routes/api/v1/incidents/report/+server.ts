// Handlers live in $lib/server/incidents/api.ts so the integration tests call exactly what runs here.
export { reportList as GET, reportCreate as POST } from '$lib/server/incidents/api';
