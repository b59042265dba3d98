import { printTable } from '../bench/lib/stats.js';
import { measureColdStart } from '../bench/sections/cold-start.js';
import { measureRoundTrips } from '../bench/sections/round-trips.js';

printTable('round trips', (await measureRoundTrips(20)) as unknown as Record<string, string | number>[]);
printTable('cold start', (await measureColdStart()) as unknown as Record<string, string | number>[]);
