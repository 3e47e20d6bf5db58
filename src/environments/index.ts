import { defineFleet } from '../model/fleet';
import { bookstore } from './bookstore';
import { clusters } from './clusters';
import { flightspecials } from './flightspecials';
import { flyreserve } from './flyreserve';

/** The sample fleet: what `npm run synth` renders, and what README and tests use. */
export const fleet = defineFleet({
  systems: [flyreserve, bookstore, flightspecials],
  clusters,
  pipeline: ['development', 'staging', 'production'],
});
