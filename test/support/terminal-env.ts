/** The environment a terminal command runs in against the emulator: its keys, a region, and a store in `home`. */
import { join } from 'node:path';
import { DEMO_CREDENTIALS } from '../../packages/emulator/src/index.ts';

export function terminalEnv(endpoint: string, home: string): NodeJS.ProcessEnv {
  return {
    HOME: home,
    TCE_ENDPOINT: endpoint,
    TENCENTCLOUD_SECRET_ID: DEMO_CREDENTIALS.secretId,
    TENCENTCLOUD_SECRET_KEY: DEMO_CREDENTIALS.secretKey,
    TENCENTCLOUD_REGION: 'ap-guangzhou',
    TCEOPS_STORE: `file:${join(home, 'store')}`,
  };
}
