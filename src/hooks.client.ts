// Runs as the client app loads, before hydration (see $lib/early-input).
import { watchEarlyInput } from '$lib/early-input';

watchEarlyInput();
