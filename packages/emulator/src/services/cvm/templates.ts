/** Launch templates: versioned launch settings (everything but the password, 000:3510) with a default version. */
import { isoTime } from '../../clock.ts';
import { fail } from '../../failure.ts';
import { findInstanceType, zoneIn } from '../../geography.ts';
import { type LaunchTemplate, nextId, type Stored } from '../../state.ts';
import { applyFilters, type Filter, page } from '../common.ts';
import type { Call, Handlers } from '../types.ts';
import { findImageForLaunch } from './images.ts';
import { isWindows } from './instances.ts';
import { checkTemplateHostName } from './validate/templates.ts';

const NOT_FOUND = 'InvalidParameterValue.LaunchTemplateNotFound';

function checkName(name: string): void {
  if (name.length < 2 || name.length > 128)
    fail('InvalidParameterValue.InvalidLaunchTemplateName', 'LaunchTemplateName takes 2 to 128 characters');
}

/** The settings a version keeps: the request without the template's own fields and without a password. */
function versionData(call: Call): Record<string, unknown> {
  const p = call.params as Record<string, unknown> & {
    Placement: { Zone: string };
    ImageId: string;
    InstanceType: string;
    LoginSettings?: { Password?: string };
    HostName?: string;
  };
  zoneIn(call.region, p.Placement.Zone);
  const image = findImageForLaunch(call, p.ImageId);
  checkTemplateHostName(call, p.HostName, isWindows(image));
  findInstanceType(p.InstanceType);
  const { LaunchTemplateName: _n, LaunchTemplateVersionDescription: _d, LaunchTemplateId: _i, ...data } = p;
  if (p.LoginSettings) data.LoginSettings = { ...p.LoginSettings, Password: undefined };
  return data;
}

function find(call: Call, id: string): Stored<LaunchTemplate> {
  const stored = call.state.cvm.launchTemplates[id];
  if (!stored || stored.region !== call.region) fail(NOT_FOUND, `no launch template ${id} in ${call.region}`);
  return stored;
}

function createLaunchTemplate(call: Call) {
  const p = call.params as { LaunchTemplateName?: string; LaunchTemplateVersionDescription?: string };
  const name = p.LaunchTemplateName ?? '未命名';
  checkName(name);
  const data = versionData(call);
  const id = nextId(call.state, 'lt-');
  const created = isoTime(call.now);
  call.state.cvm.launchTemplates[id] = {
    region: call.region,
    item: {
      LaunchTemplateId: id,
      LaunchTemplateName: name,
      CreatedTime: created,
      CreationUser: 'tceops-emulator',
      DefaultVersionNumber: 1,
      LatestVersionNumber: 1,
      Versions: [
        {
          LaunchTemplateVersion: 1,
          LaunchTemplateVersionDescription: p.LaunchTemplateVersionDescription ?? '',
          CreatedTime: created,
          Data: data,
        },
      ],
    },
  };
  return { LaunchTemplateId: id };
}

function modifyLaunchTemplate(call: Call) {
  const p = call.params as { LaunchTemplateId: string; LaunchTemplateVersionDescription?: string };
  const template = find(call, p.LaunchTemplateId).item;
  const data = versionData(call);
  const version = template.LatestVersionNumber + 1;
  template.Versions.push({
    LaunchTemplateVersion: version,
    LaunchTemplateVersionDescription: p.LaunchTemplateVersionDescription ?? '',
    CreatedTime: isoTime(call.now),
    Data: data,
  });
  template.LatestVersionNumber = version;
  return { LaunchTemplateId: template.LaunchTemplateId };
}

function describeLaunchTemplatesInfo(call: Call) {
  const p = call.params as { LaunchTemplateIds?: string[]; Filters?: Filter | Filter[] };
  let templates = Object.values(call.state.cvm.launchTemplates)
    .filter((s) => s.region === call.region)
    .map((s) => s.item);
  if (p.LaunchTemplateIds?.length)
    templates = templates.filter((t) => p.LaunchTemplateIds!.includes(t.LaunchTemplateId));
  const filters = p.Filters === undefined ? undefined : Array.isArray(p.Filters) ? p.Filters : [p.Filters];
  templates = applyFilters(templates, filters, { 'launch-template-name': (t) => t.LaunchTemplateName });
  return {
    TotalCount: templates.length,
    LaunchTemplateSet: page(templates, call.params).map((t) => {
      const current = t.Versions.find((v) => v.LaunchTemplateVersion === t.DefaultVersionNumber)!;
      return {
        LaunchTemplateId: t.LaunchTemplateId,
        LaunchTemplateName: t.LaunchTemplateName,
        LaunchTemplateVersionData: current.Data,
        LaunchTemplateVersionDescription: current.LaunchTemplateVersionDescription,
        CreatedBy: t.CreationUser,
        CreationTime: t.CreatedTime,
        DefaultVersionNumber: t.DefaultVersionNumber,
        LatestVersionNumber: t.LatestVersionNumber,
        LaunchTemplateVersionCount: t.Versions.length,
      };
    }),
  };
}

function deleteLaunchTemplates(call: Call) {
  const p = call.params as { LaunchTemplateIds?: string[]; LaunchTemplateId?: string };
  const ids = p.LaunchTemplateIds ?? (p.LaunchTemplateId ? [p.LaunchTemplateId] : []);
  if (!ids.length) fail('MissingParameter', 'LaunchTemplateId is required');
  for (const id of ids) find(call, id);
  for (const id of ids) delete call.state.cvm.launchTemplates[id];
  return {};
}

function modifyLaunchTemplateName(call: Call) {
  const p = call.params as { LaunchTemplateId: string; LaunchTemplateName: string };
  checkName(p.LaunchTemplateName);
  find(call, p.LaunchTemplateId).item.LaunchTemplateName = p.LaunchTemplateName;
  return {};
}

export const templateHandlers: Handlers = {
  CreateLaunchTemplate: createLaunchTemplate,
  ModifyLaunchTemplate: modifyLaunchTemplate,
  DescribeLaunchTemplatesInfo: describeLaunchTemplatesInfo,
  DeleteLaunchTemplate: deleteLaunchTemplates,
  DeleteLaunchTemplates: deleteLaunchTemplates,
  ModifyLaunchTemplateName: modifyLaunchTemplateName,
};
