/**
 * CFS, both API versions over one state: 2018-04-16 names its reads Query*, 2019-07-19 Describe* and adds
 * snapshot policies, VPC lookups and clients. The X-TC-Version header chooses.
 */
import type { Handlers } from '../types.ts';
import { fileSystemHandlers as fs } from './filesystems.ts';
import { pgroupHandlers as pg } from './pgroups.ts';
import { serviceHandlers as service } from './service.ts';
import { snapshotPolicyHandlers } from './snapshots.ts';

const shared: Handlers = {
  CreateCfsFileSystem: fs.create,
  DeleteCfsFileSystem: fs.delete,
  UpdateCfsFileSystemName: fs.updateName,
  UpdateCfsFileSystemSizeLimit: fs.updateSizeLimit,
  UpdateCfsFileSystemPGroup: fs.updatePGroup,
  CreateCfsPGroup: pg.createCfsPGroup,
  UpdateCfsPGroup: pg.updateCfsPGroup,
  DeleteCfsPGroup: pg.deleteCfsPGroup,
  CreateCfsRule: pg.createCfsRule,
  UpdateCfsRule: pg.updateCfsRule,
  DeleteCfsRule: pg.deleteCfsRule,
  SignUpCfsService: service.signUp,
};

export const cfs2018Handlers: Handlers = {
  ...shared,
  QueryCfsFileSystem: fs.describe,
  QueryCfsPGroup: pg.describeGroups,
  QueryCfsRule: pg.describeRules,
  QueryMountTarget: fs.mountTargets,
  QueryMountTargetsWithRegion: fs.queryMountTargetsWithRegion,
  QueryAvailableZoneInfo: fs.availableZones,
  QueryCfsServiceStatus: service.status,
};

export const cfs2019Handlers: Handlers = {
  ...shared,
  ...snapshotPolicyHandlers,
  DescribeCfsFileSystems: fs.describe,
  DescribeCfsPGroups: pg.describeGroups,
  DescribeCfsRules: pg.describeRules,
  DescribeMountTargets: fs.mountTargets,
  DescribeAvailableZoneInfo: fs.availableZones,
  DescribeCfsServiceStatus: service.status,
  DescribeCfsFileSystemsByVpc: fs.describeCfsFileSystemsByVpc,
  DescribeCfsFileSystemClients: fs.describeCfsFileSystemClients,
};
