import { findProjectRoot, loadReleaseLock } from '../delivery/lock-file';
import { defineFleet } from '../model/fleet';
import { bookstore } from './bookstore';
import { clusters } from './clusters';
import { flightspecials } from './flightspecials';
import { flyreserve } from './flyreserve';
import { hipstershop } from './hipstershop';
import { platform } from './platform';

/**
 * The sample fleet: what `npm run synth` renders, and what README and tests use. Image versions
 * come from the release lock, src/environments/releases.yaml (read from the project root at
 * start-up, so the bundled commands and jest see the same file).
 */
export const fleet = defineFleet({
  systems: [flyreserve, bookstore, flightspecials, hipstershop, platform],
  clusters,
  pipeline: ['development', 'staging', 'production'],
  releases: loadReleaseLock(findProjectRoot(__dirname)),
});
