export { importsGet as GET, importsPost as POST } from '$lib/server/incidents/api';
