import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';

interface Manifest {
  features: { slash_commands: { command: string }[]; app_home: { home_tab_enabled: boolean }; bot_user: unknown };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    event_subscriptions: { bot_events: string[] };
    interactivity: { is_enabled: boolean };
    socket_mode_enabled: boolean;
  };
}

describe('Slack app manifest', () => {
  const manifest = yaml.load(readFileSync(new URL('../manifest.yml', import.meta.url), 'utf8')) as Manifest;

  it('declares /tce, interactivity, App Home and Socket Mode', () => {
    assert.deepEqual(
      manifest.features.slash_commands.map((c) => c.command),
      ['/tce'],
    );
    assert.equal(manifest.settings.interactivity.is_enabled, true);
    assert.equal(manifest.features.app_home.home_tab_enabled, true);
    assert.deepEqual(manifest.settings.event_subscriptions.bot_events, ['app_home_opened']);
    assert.equal(manifest.settings.socket_mode_enabled, true);
  });

  it('asks for the scopes of every Web API method the app calls, and no more', () => {
    // chat.postMessage / chat.update / chat.postEphemeral: chat:write (chat:write.public for uninvited public
    // channels); usergroups.list: usergroups:read; views.open and views.publish need none; /tce: commands.
    assert.deepEqual([...manifest.oauth_config.scopes.bot].sort(), [
      'chat:write',
      'chat:write.public',
      'commands',
      'usergroups:read',
    ]);
  });
});
