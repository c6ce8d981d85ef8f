/**
 * The status bar item: what the explorer is connected to, at a glance — the local emulator or an endpoint,
 * whose keys (masked), how many regions — and a click opens the connection actions.
 */
export interface StatusInfo {
  connected: boolean;
  emulator: boolean;
  /** Through a tceops server (signed in through Slack): `where` is the server. */
  server?: boolean;
  /** Endpoint URL, `*.domain`, or '' (the core's defaults). */
  where: string;
  /** Masked SecretId, e.g. AKID…wxyz. */
  identity?: string;
  /** Regions shown; undefined until known. */
  regions?: number;
  /** Why there is no connection. */
  reason?: string;
}

export interface StatusView {
  text: string;
  tooltip: string;
  accessibility: string;
  warning: boolean;
}

export function statusView(info: StatusInfo): StatusView {
  if (!info.connected) {
    return {
      text: '$(cloud) TCE: not connected',
      tooltip: `TCE: not connected${info.reason ? ` — ${info.reason}` : ''}\nClick to sign in or start the local emulator.`,
      accessibility: 'TCE: not connected. Activate for the connection actions.',
      warning: true,
    };
  }
  const regions = info.regions === undefined ? '' : `${info.regions} region${info.regions === 1 ? '' : 's'}`;
  const place = info.emulator
    ? 'emulator'
    : info.server
      ? `server ${hostOf(info.where)}`
      : hostOf(info.where) || 'default endpoint';
  const text = `$(${info.emulator ? 'beaker' : 'cloud'}) TCE: ${place}${regions ? ` · ${regions}` : ''}`;
  const lines = [
    info.emulator
      ? `Local emulator (demo data) at ${info.where}`
      : info.server
        ? `tceops server: ${info.where}`
        : `Endpoint: ${info.where || 'from the docs / profile'}`,
    `${info.server ? 'Identity' : 'Keys'}: ${info.identity ?? 'unknown'}`,
    regions ? `Regions shown: ${info.regions}` : 'Regions: not loaded yet',
    '',
    'Click for the connection actions.',
  ];
  return {
    text,
    tooltip: lines.join('\n'),
    accessibility: `TCE connected to ${info.emulator ? 'the local emulator' : place}, keys ${info.identity ?? 'unknown'}${regions ? `, ${regions}` : ''}. Activate for the connection actions.`,
    warning: false,
  };
}

/** The host of an endpoint URL (`api.tce.example.com`), or the text as given (`*.example.com`). */
function hostOf(where: string): string {
  try {
    return new URL(where).host;
  } catch {
    return where;
  }
}

/** The connection actions the status bar item offers, in order; `when` decides which apply now. */
export function connectionActions(state: { connected: boolean; emulator: boolean; signedIn: boolean }) {
  return [
    { command: 'tceops.refresh', label: '$(refresh) Refresh the explorer', when: state.connected },
    { command: 'tceops.chooseRegions', label: '$(globe) Choose regions…', when: state.connected },
    { command: 'tceops.signIn', label: '$(key) Sign in with a SecretId and SecretKey…', when: true },
    { command: 'tceops.signOut', label: '$(sign-out) Sign out (forget the stored keys)', when: state.signedIn },
    { command: 'tceops.startEmulator', label: '$(beaker) Start the local emulator', when: !state.emulator },
    { command: 'tceops.stopEmulator', label: '$(debug-stop) Stop the local emulator', when: state.emulator },
    { command: 'tceops.openSettings', label: '$(settings-gear) Open the TCE settings', when: true },
    { command: 'tceops.showLog', label: '$(output) Show the TCE log', when: true },
  ].filter((a) => a.when);
}
