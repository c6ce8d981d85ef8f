/** CVM images: public and custom, create from an instance (CREATING → NORMAL), share, sync, quota, delete. */
import assert from 'node:assert/strict';
import { errorCode, eventually, type Harness, startHarness } from '../../helpers.ts';

interface Image {
  ImageId: string;
  ImageName: string;
  ImageType: string;
  ImageState: string;
}

describe('CVM images', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ timeScale: 0.02 });
  });
  afterEach(async () => {
    await h.close();
  });

  const images = async (params: Record<string, unknown> = {}, region = 'ap-guangzhou') =>
    (await h.raw('cvm', 'DescribeImages', { Limit: 100, ...params }, { region })) as unknown as {
      ImageSet: Image[];
      TotalCount: number;
    };
  /** image-name is not a documented filter (000:19105): pick by name here. */
  const named = async (name: string, region = 'ap-guangzhou') =>
    (await images({ Filters: [{ Name: 'image-type', Values: ['PRIVATE_IMAGE'] }] }, region)).ImageSet.find(
      (i) => i.ImageName === name,
    );
  const runningId = async () =>
    (
      (await h.raw('cvm', 'DescribeInstances', { Filters: [{ Name: 'instance-state', Values: ['RUNNING'] }] }))
        .InstanceSet as { InstanceId: string }[]
    )[0]!.InstanceId;

  it('lists public images in every region and custom ones in their own', async () => {
    const gz = await images();
    assert.ok(gz.ImageSet.some((i) => i.ImageType === 'PUBLIC_IMAGE' && i.ImageId === 'img-9qabwvbn'));
    assert.ok(gz.ImageSet.some((i) => i.ImageName === 'web-base-2024'));
    const bj = await images({}, 'ap-beijing');
    assert.ok(!bj.ImageSet.some((i) => i.ImageName === 'web-base-2024'));
    const custom = await images({ Filters: [{ Name: 'image-type', Values: ['PRIVATE_IMAGE'] }] });
    assert.ok(custom.ImageSet.every((i) => i.ImageType === 'PRIVATE_IMAGE'));
    assert.equal(
      errorCode(
        await h.raw('cvm', 'DescribeImages', {
          ImageIds: ['img-9qabwvbn'],
          Filters: [{ Name: 'image-type', Values: ['x'] }],
        }),
      ),
      'InvalidParameter.InvalidParameterCoexistImageIdsFilters',
    );
  });

  it('creates an image from an instance: CREATING, then NORMAL; names are unique; the quota holds', async () => {
    const id = await runningId();
    const r = await h.raw('cvm', 'CreateImage', { InstanceId: id, ImageName: 'snap-1' });
    assert.equal(errorCode(r), undefined, JSON.stringify(r.Error));
    const imageId = r.ImageId as string;
    assert.equal((await images({ ImageIds: [imageId] })).ImageSet[0]!.ImageState, 'CREATING');
    await eventually(
      async () => (await images({ ImageIds: [imageId] })).ImageSet[0]!.ImageState === 'NORMAL',
      'NORMAL',
    );
    assert.equal(
      errorCode(await h.raw('cvm', 'CreateImage', { InstanceId: id, ImageName: 'snap-1' })),
      'InvalidImageName.Duplicate',
    );
    const quota = (await h.raw('cvm', 'DescribeImageQuota', {})).ImageNumQuota as number;
    const have = (await images({ Filters: [{ Name: 'image-type', Values: ['PRIVATE_IMAGE'] }] })).TotalCount;
    for (let n = have; n < quota; n++) {
      assert.equal(errorCode(await h.raw('cvm', 'CreateImage', { InstanceId: id, ImageName: `fill-${n}` })), undefined);
    }
    assert.equal(
      errorCode(await h.raw('cvm', 'CreateImage', { InstanceId: id, ImageName: 'one-too-many' })),
      'ImageQuotaLimitExceeded',
    );
  });

  it('shares, refuses deleting a shared image, cancels, deletes; public images are not deletable', async () => {
    const custom = (await named('web-base-2024'))!;
    const share = await h.raw('cvm', 'ModifyImageSharePermission', {
      ImageId: custom.ImageId,
      AccountIds: ['100000000009'],
      Permission: 'SHARE',
    });
    assert.equal(errorCode(share), undefined);
    const shared = await h.raw('cvm', 'DescribeImageSharePermission', { ImageId: custom.ImageId });
    assert.deepEqual(
      (shared.SharePermissionSet as { AccountId: string }[]).map((s) => s.AccountId),
      ['100000000009'],
    );
    assert.equal(
      errorCode(await h.raw('cvm', 'DeleteImages', { ImageIds: [custom.ImageId] })),
      'InvalidImageId.InShared',
    );
    await h.raw('cvm', 'ModifyImageSharePermission', {
      ImageId: custom.ImageId,
      AccountIds: ['100000000009'],
      Permission: 'CANCEL',
    });
    assert.equal(errorCode(await h.raw('cvm', 'DeleteImages', { ImageIds: [custom.ImageId] })), undefined);
    await eventually(async () => (await images({ ImageIds: [custom.ImageId] })).TotalCount === 0, 'the image to go');
    assert.equal(
      errorCode(await h.raw('cvm', 'DeleteImages', { ImageIds: ['img-9qabwvbn'] })),
      'InvalidImageId.IncorrectState',
    );
  });

  it('syncs a custom image to other regions under the same name with new IDs', async () => {
    const custom = (await named('web-base-2024'))!;
    const r = await h.raw('cvm', 'SyncImages', { ImageIds: [custom.ImageId], DestinationRegions: ['ap-beijing'] });
    assert.equal(errorCode(r), undefined, JSON.stringify(r.Error));
    const copy = async () => await named('web-base-2024', 'ap-beijing');
    const first = await copy();
    assert.ok(first && first.ImageId !== custom.ImageId);
    assert.equal(first.ImageState, 'SYNCING');
    await eventually(async () => (await copy())?.ImageState === 'NORMAL', 'the copy to be NORMAL');
    assert.equal(
      errorCode(await h.raw('cvm', 'SyncImages', { ImageIds: [custom.ImageId], DestinationRegions: ['ap-nowhere'] })),
      'InvalidRegion.NotFound',
    );
  });
});
