/** The extension's settings, read in one place and checked, so a bad value is reported, not half-used. */
import * as vscode from 'vscode';

export interface Settings {
  endpoint: string;
  domain: string;
  regions: string[];
  profile: string;
  pageSize: number;
  pollIntervalMs: number;
  policyFile: string;
  /** TCEOPS_STORE syntax; empty: the environment's, else the extension's own folder. */
  store: string;
}

export function readSettings(): Settings {
  const config = vscode.workspace.getConfiguration('tceops');
  const regions = config.get<unknown>('regions', []);
  return {
    endpoint: String(config.get('endpoint', '') ?? '').trim(),
    domain: String(config.get('domain', '') ?? '').trim(),
    regions: Array.isArray(regions) ? regions.map((r) => String(r).trim()).filter(Boolean) : [],
    profile: String(config.get('profile', '') ?? '').trim(),
    pageSize: clamp(Number(config.get('pageSize', 100)), 1, 100, 100),
    pollIntervalMs: clamp(Number(config.get('pollIntervalSeconds', 3)), 1, 60, 3) * 1000,
    policyFile: String(config.get('policyFile', '') ?? '').trim(),
    store: String(config.get('store', '') ?? '').trim(),
  };
}

function clamp(value: number, min: number, max: number, fallback: number): number {
  if (!Number.isFinite(value)) return fallback;
  return Math.min(max, Math.max(min, Math.round(value)));
}
