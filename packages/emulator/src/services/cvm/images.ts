/**
 * CVM images: public images (every region, same IDs) and the account's custom images — describe, create from an
 * instance, delete, rename, share, sync to other regions, quota.
 *
 * Choices (README): the custom-image quota is 10 per region (000:3644, 18922, 19339; the guide's 50 is the
 * minority); image names up to 60 characters (000:19194); shared images cannot be renamed or deleted.
 */
import { isoTime } from '../../clock.ts';
import { fail } from '../../failure.ts';
import { ALL_REGIONS, findRegion, OWN_ACCOUNT_ID, PUBLIC_IMAGES } from '../../geography.ts';
import { type EmulatorState, GONE, type Image, nextId, type Stored } from '../../state.ts';
import { schedule } from '../../transitions.ts';
import { applyFilters, type Filter, page } from '../common.ts';
import type { Call, Handlers } from '../types.ts';
import { flow, instancesFor } from './instances.ts';
import { lookedUpById, refuseImageInUse } from './validate/images.ts';

export const IMAGE_QUOTA = 10;
const MAX_SHARES = 50;

export function addPublicImages(state: EmulatorState, createdAt: number): void {
  for (const image of PUBLIC_IMAGES) {
    state.cvm.images[image.ImageId] = {
      region: ALL_REGIONS,
      item: {
        ...image,
        ImageType: 'PUBLIC_IMAGE',
        CreatedTime: isoTime(createdAt),
        ImageDescription: '',
        Architecture: 'x86_64',
        ImageState: 'NORMAL',
        ImageCreator: '',
        ImageSource: 'OFFICIAL',
        SyncPercent: 100,
        IsSupportCloudinit: true,
        SharedWith: [],
      },
    };
  }
}

export function createCustomImage(
  state: EmulatorState,
  region: string,
  spec: { name: string; osName: string; platform: string; size: number; createdAt: number; description?: string },
): Stored<Image> {
  const id = nextId(state, 'img-');
  const stored: Stored<Image> = {
    region,
    item: {
      ImageId: id,
      OsName: spec.osName,
      ImageType: 'PRIVATE_IMAGE',
      CreatedTime: isoTime(spec.createdAt),
      ImageName: spec.name,
      ImageDescription: spec.description ?? '',
      ImageSize: spec.size,
      Architecture: 'x86_64',
      ImageState: 'NORMAL',
      Platform: spec.platform,
      ImageCreator: OWN_ACCOUNT_ID,
      ImageSource: 'CREATE_IMAGE',
      SyncPercent: 100,
      IsSupportCloudinit: true,
      SharedWith: [],
    },
  };
  state.cvm.images[id] = stored;
  return stored;
}

/** What the API shows of an image: the stored fields without the emulator's own bookkeeping. */
function view(image: Image) {
  const { SharedWith: _shared, SourceInstanceId: _source, ...shown } = image;
  return shown;
}

function visibleIn(stored: Stored<Image>, region: string): boolean {
  return stored.region === region || stored.region === ALL_REGIONS;
}

/** An image an instance can be launched from in the call's region: it exists and is NORMAL. */
export function findImageForLaunch(call: Call, imageId: string): Image {
  const stored = call.state.cvm.images[imageId];
  if (!stored || !visibleIn(stored, call.region))
    fail('InvalidImageId.NotFound', `no image ${imageId} in ${call.region}`);
  if (stored.item.ImageState !== 'NORMAL')
    fail('InvalidImageId.IncorrectState', `image ${imageId} is ${stored.item.ImageState}; only NORMAL images launch`);
  return stored.item;
}

/** A custom image of this region, for the actions that change one. */
function ownImage(call: Call, imageId: string): Stored<Image> {
  const stored = call.state.cvm.images[imageId];
  if (!stored || !visibleIn(stored, call.region))
    fail('InvalidImageId.NotFound', `no image ${imageId} in ${call.region}`);
  if (stored.item.ImageType !== 'PRIVATE_IMAGE')
    fail(
      'InvalidImageId.IncorrectState',
      `${imageId} is a ${stored.item.ImageType}; only custom images can be changed`,
    );
  return stored;
}

function customCount(state: EmulatorState, region: string): number {
  return Object.values(state.cvm.images).filter((s) => s.region === region && s.item.ImageType === 'PRIVATE_IMAGE')
    .length;
}

function describeImages(call: Call) {
  const p = call.params as { ImageIds?: string[]; Filters?: Filter[] };
  let items = Object.values(call.state.cvm.images).filter((s) => visibleIn(s, call.region));
  if (p.ImageIds?.length) {
    const wanted = new Set(p.ImageIds);
    items = items.filter((s) => wanted.has(s.item.ImageId) && lookedUpById(s.item));
  }
  const images = applyFilters(
    items.map((s) => s.item),
    p.Filters,
    {
      'image-id': (i) => i.ImageId,
      'image-type': (i) => i.ImageType,
    },
    { maxValues: 5 },
  );
  return { ImageSet: page(images, call.params).map(view), TotalCount: images.length };
}

function createImage(call: Call) {
  const p = call.params as {
    InstanceId?: string;
    ImageName: string;
    ImageDescription?: string;
    ForcePoweroff?: string;
  };
  if (!p.InstanceId) fail('MissingParameter', 'InstanceId is required: the emulator makes images from instances only');
  if (p.ImageName.length > 60) fail('InvalidParameter.ValueTooLarge', 'ImageName is longer than 60 characters');
  const [instance] = instancesFor(call, [p.InstanceId], 'CreateImage');
  const names = Object.values(call.state.cvm.images).filter((s) => s.region === call.region);
  if (names.some((s) => s.item.ImageName === p.ImageName))
    fail('InvalidImageName.Duplicate', `an image named "${p.ImageName}" exists in ${call.region}`);
  if (customCount(call.state, call.region) >= IMAGE_QUOTA)
    fail('ImageQuotaLimitExceeded', `${call.region} already has ${IMAGE_QUOTA} custom images; delete one first`);
  const source = instance!.item;
  const stored = createCustomImage(call.state, call.region, {
    name: p.ImageName,
    description: p.ImageDescription,
    osName: source.OsName,
    platform: source.OsName.split(' ')[0] ?? 'Linux',
    size: source.SystemDisk.DiskSize,
    createdAt: call.now,
  });
  stored.item.ImageState = 'CREATING';
  stored.item.SyncPercent = 0;
  stored.item.SourceInstanceId = source.InstanceId;
  schedule(call.world, stored, 'NORMAL', call.world.durations.imageCreate);
  return { ImageId: stored.item.ImageId, ...flow(call.state) };
}

function deleteImages(call: Call) {
  const p = call.params as { ImageIds: string[] };
  const found = p.ImageIds.map((id) => ownImage(call, id));
  for (const stored of found) {
    if (stored.item.ImageState !== 'NORMAL')
      fail(
        'InvalidImageId.IncorrectState',
        `${stored.item.ImageId} is ${stored.item.ImageState}; only NORMAL images can be deleted`,
      );
    if (stored.item.SharedWith.length)
      fail(
        'InvalidImageId.InShared',
        `${stored.item.ImageId} is shared with ${stored.item.SharedWith.length} accounts; cancel the sharing first`,
      );
    refuseImageInUse(call, stored.item);
  }
  for (const stored of found) {
    stored.item.ImageState = 'DELETING';
    schedule(call.world, stored, GONE, 0);
  }
  return flow(call.state);
}

function modifyImageAttribute(call: Call) {
  const p = call.params as { ImageId: string; ImageName?: string; ImageDescription?: string };
  const stored = ownImage(call, p.ImageId);
  if (stored.item.SharedWith.length)
    fail('InvalidImageId.IncorrectState', `${p.ImageId} is shared; shared images cannot be modified`);
  if (p.ImageName !== undefined) {
    if (p.ImageName.length > 60) fail('InvalidParameter.ValueTooLarge', 'ImageName is longer than 60 characters');
    const clash = Object.values(call.state.cvm.images).some(
      (s) => s.region === call.region && s.item.ImageName === p.ImageName && s.item.ImageId !== p.ImageId,
    );
    if (clash) fail('InvalidImageName.Duplicate', `an image named "${p.ImageName}" exists in ${call.region}`);
    stored.item.ImageName = p.ImageName;
  }
  if (p.ImageDescription !== undefined) stored.item.ImageDescription = p.ImageDescription;
  return {};
}

function modifyImageSharePermission(call: Call) {
  const p = call.params as { ImageId: string; AccountIds: string[]; Permission: string };
  const stored = ownImage(call, p.ImageId);
  const image = stored.item;
  if (image.ImageState !== 'NORMAL')
    fail('InvalidImageId.IncorrectState', `${p.ImageId} is ${image.ImageState}; only NORMAL images can be shared`);
  if (p.AccountIds.includes(OWN_ACCOUNT_ID))
    fail('InvalidAccountIs.YourSelf', 'an image cannot be shared with its own account');
  const bad = p.AccountIds.filter((a) => !/^\d{5,20}$/.test(a));
  if (bad.length) fail('InvalidAccountId.NotFound', `no account ${bad.join(', ')} (account IDs are digits)`);
  if (p.Permission === 'SHARE') {
    const adding = p.AccountIds.filter((a) => !image.SharedWith.some((s) => s.AccountId === a));
    if (image.SharedWith.length + adding.length > MAX_SHARES)
      fail('OverQuota', `an image can be shared with at most ${MAX_SHARES} accounts`);
    for (const AccountId of adding) image.SharedWith.push({ AccountId, CreatedTime: isoTime(call.now) });
  } else if (p.Permission === 'CANCEL') {
    image.SharedWith = image.SharedWith.filter((s) => !p.AccountIds.includes(s.AccountId));
  } else {
    fail('InvalidParameterValue', `Permission must be SHARE or CANCEL, not "${p.Permission}"`);
  }
  return {};
}

function describeImageSharePermission(call: Call) {
  const p = call.params as { ImageId: string };
  const stored = ownImage(call, p.ImageId);
  return { SharePermissionSet: stored.item.SharedWith, MaxSharePermission: MAX_SHARES };
}

function syncImages(call: Call) {
  const p = call.params as { ImageIds: string[]; DestinationRegions: string[] };
  if (p.ImageIds.length !== 1) fail('InvalidParameterValue', 'SyncImages takes one image per call');
  const source = ownImage(call, p.ImageIds[0]!).item;
  if (source.ImageState !== 'NORMAL')
    fail('InvalidImageId.IncorrectState', `${source.ImageId} is ${source.ImageState}; only NORMAL images sync`);
  if (source.ImageSize >= 50)
    fail('InvalidImageId.TooLarge', `${source.ImageId} is ${source.ImageSize} GB; images under 50 GB sync`);
  for (const region of p.DestinationRegions) {
    if (!findRegion(region)) fail('InvalidRegion.NotFound', `no region ${region}`);
    if (region === call.region) fail('InvalidRegion.Unavailable', `${region} is the image's own region`);
    if (customCount(call.state, region) >= IMAGE_QUOTA)
      fail('ImageQuotaLimitExceeded', `${region} already has ${IMAGE_QUOTA} custom images`);
  }
  for (const region of p.DestinationRegions) {
    // Same name, new ID in each destination (000:19337-19356).
    const copy = createCustomImage(call.state, region, {
      name: source.ImageName,
      description: source.ImageDescription,
      osName: source.OsName,
      platform: source.Platform,
      size: source.ImageSize,
      createdAt: call.now,
    });
    copy.item.ImageState = 'SYNCING';
    copy.item.SyncPercent = 0;
    copy.item.ImageSource = 'SYNC_IMAGE';
    schedule(call.world, copy, 'NORMAL', call.world.durations.imageSync);
  }
  return {};
}

function describeImageQuota() {
  return { ImageNumQuota: IMAGE_QUOTA };
}

function describeImageSnapshotStatus(call: Call) {
  const p = call.params as { ImageId: string };
  const stored = call.state.cvm.images[p.ImageId];
  if (!stored || !visibleIn(stored, call.region))
    fail('InvalidImageId.NotFound', `no image ${p.ImageId} in ${call.region}`);
  const status =
    stored.item.ImageType !== 'PRIVATE_IMAGE' ? 'NULL' : stored.item.ImageState === 'NORMAL' ? 'NORMAL' : 'CREATING';
  return { CbsStatus: status };
}

export const imageHandlers: Handlers = {
  DescribeImages: describeImages,
  CreateImage: createImage,
  DeleteImages: deleteImages,
  ModifyImageAttribute: modifyImageAttribute,
  ModifyImageSharePermission: modifyImageSharePermission,
  DescribeImageSharePermission: describeImageSharePermission,
  SyncImages: syncImages,
  DescribeImageQuota: describeImageQuota,
  DescribeImageSnapshotStatus: describeImageSnapshotStatus,
};
