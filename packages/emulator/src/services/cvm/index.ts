/** Every CVM 2017-03-12 action the emulator models, by resource. */
import type { Handlers } from '../types.ts';
import { imageHandlers } from './images.ts';
import { instanceHandlers } from './instances.ts';
import { keyPairHandlers } from './keypairs.ts';
import { networkHandlers } from './network.ts';
import { placementHandlers } from './placement.ts';
import { pricingHandlers } from './pricing.ts';
import { regionHandlers } from './regions.ts';
import { templateHandlers } from './templates.ts';

export const cvmHandlers: Handlers = {
  ...instanceHandlers,
  ...imageHandlers,
  ...keyPairHandlers,
  ...regionHandlers,
  ...placementHandlers,
  ...templateHandlers,
  ...pricingHandlers,
  ...networkHandlers,
};
