// undici's Pool loaded by its own path (transport.ts says why); its types are the package's.
declare module 'undici/lib/dispatcher/pool.js' {
  import type { Pool } from 'undici';
  const PoolClass: typeof Pool;
  export default PoolClass;
}
