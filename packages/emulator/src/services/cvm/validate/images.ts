/**
 * Image refusals that need the state: an image 使用中 — an instance is launching from it or being reinstalled with
 * it — is not deleted (000:18921); DescribeImages does not look public images up by ID (000:19087). The request-only
 * rules (InstanceId with SnapshotIds, ImageIds with Filters, the two filters) are the catalog's.
 */
import type { Image } from '../../../state.ts';
import { inRegion } from '../../common.ts';
import { refusal, refuse } from '../../refusals.ts';
import type { Call } from '../../types.ts';

const IN_USE = refusal({
  source: '000:18921',
  service: 'cvm',
  action: 'DeleteImages',
  code: 'InvalidImageId.IncorrectState',
  says: 'not while an instance launches from it',
});

/** Refuses deleting an image an instance is launching from or reinstalling with right now. */
export function refuseImageInUse(call: Call, image: Image): void {
  const user = inRegion(call.state.cvm.instances, call.region).find(
    (s) =>
      s.item.ImageId === image.ImageId &&
      (s.item.InstanceState === 'PENDING' ||
        (s.item.LatestOperation === 'ResetInstance' && s.item.LatestOperationState === 'OPERATING')),
  );
  if (user)
    refuse(
      IN_USE,
      `${image.ImageId} is in use: ${user.item.InstanceId} is ${user.item.InstanceState === 'PENDING' ? 'launching' : 'being reinstalled'} from it; retry when it is done`,
    );
}

/** DescribeImages by ID answers custom and shared images only: "不支持公有镜像id的查询" (000:19087). */
export function lookedUpById(image: Image): boolean {
  return image.ImageType !== 'PUBLIC_IMAGE';
}
