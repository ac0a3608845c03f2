// Resources: security groups, elastic IPs, key pairs, images, and instance type and
// bandwidth changes (billable ones sent only at the price the user accepted).
import { commands } from "./bindings";
import type {
  ActionReport,
  AddressView,
  AllocateInput,
  BandwidthOptions,
  CreatedKeyPair,
  CreateImageInput,
  ImageFilter,
  ImageView,
  InstanceChange,
  KeyPairView,
  NewRule,
  PriceView,
  ResizeOptions,
  SecurityGroupDetail,
  SecurityGroupView,
  StopPlan,
} from "./bindings";
import { channel, unwrap } from "./ipc";

export const resourcesBackend = {
  resizeOptions: (profile: string, region: string, id: string): Promise<ResizeOptions> =>
    unwrap(commands.resizeOptions(profile, region, id)),
  resizePrice: (profile: string, region: string, id: string, type: string): Promise<PriceView> =>
    unwrap(commands.resizePrice(profile, region, id, type)),
  resizeInstance: (
    profile: string,
    region: string,
    id: string,
    type: string,
    plan: StopPlan,
    acceptedPrice: number,
    onChange: (change: InstanceChange) => void,
  ): Promise<string | null> =>
    unwrap(
      commands.resizeInstance(profile, region, id, type, plan, acceptedPrice, channel(onChange)),
    ),
  bandwidthOptions: (profile: string, region: string, id: string): Promise<BandwidthOptions> =>
    unwrap(commands.bandwidthOptions(profile, region, id)),
  bandwidthPrice: (profile: string, region: string, id: string, mbps: number): Promise<PriceView> =>
    unwrap(commands.bandwidthPrice(profile, region, id, mbps)),
  changeBandwidth: (
    profile: string,
    region: string,
    id: string,
    mbps: number,
    acceptedPrice: number,
    onChange: (change: InstanceChange) => void,
  ): Promise<string | null> =>
    unwrap(commands.changeBandwidth(profile, region, id, mbps, acceptedPrice, channel(onChange))),

  listSecurityGroups: (profile: string, region: string): Promise<SecurityGroupView[]> =>
    unwrap(commands.listSecurityGroups(profile, region)),
  securityGroupDetail: (
    profile: string,
    region: string,
    sg: string,
  ): Promise<SecurityGroupDetail> => unwrap(commands.securityGroupDetail(profile, region, sg)),
  bindSecurityGroup: (
    profile: string,
    region: string,
    sg: string,
    ids: string[],
  ): Promise<ActionReport> => unwrap(commands.bindSecurityGroup(profile, region, sg, ids)),
  unbindSecurityGroup: (
    profile: string,
    region: string,
    sg: string,
    ids: string[],
  ): Promise<ActionReport> => unwrap(commands.unbindSecurityGroup(profile, region, sg, ids)),

  listAddresses: (profile: string, region: string): Promise<AddressView[]> =>
    unwrap(commands.listAddresses(profile, region)),
  allocateAddress: (profile: string, region: string, input: AllocateInput): Promise<string[]> =>
    unwrap(commands.allocateAddress(profile, region, input)),
  associateAddress: (
    profile: string,
    region: string,
    address: string,
    instance: string,
  ): Promise<string | null> =>
    unwrap(commands.associateAddress(profile, region, address, instance)),
  disassociateAddress: (profile: string, region: string, address: string): Promise<string | null> =>
    unwrap(commands.disassociateAddress(profile, region, address)),
  releaseAddress: (
    profile: string,
    region: string,
    address: string,
    confirm: string,
  ): Promise<string | null> => unwrap(commands.releaseAddress(profile, region, address, confirm)),

  listKeyPairs: (profile: string, region: string): Promise<KeyPairView[]> =>
    unwrap(commands.listKeyPairs(profile, region)),
  /** Null when the user cancelled the save dialog (nothing was created). */
  createKeyPair: (
    profile: string,
    region: string,
    name: string,
    dialogTitle: string,
  ): Promise<CreatedKeyPair | null> =>
    unwrap(commands.createKeyPair(profile, region, name, dialogTitle)),
  importKeyPair: (profile: string, region: string, name: string, key: string): Promise<string> =>
    unwrap(commands.importKeyPair(profile, region, name, key)),
  deleteKeyPair: (
    profile: string,
    region: string,
    keyId: string,
    confirm: string,
  ): Promise<string | null> => unwrap(commands.deleteKeyPair(profile, region, keyId, confirm)),

  /** Binds (or unbinds) a key pair; running instances are refused unless `forceStop`. */
  bindKeyPair: (
    profile: string,
    region: string,
    keyId: string,
    ids: string[],
    forceStop: boolean,
  ): Promise<string | null> => unwrap(commands.bindKeyPair(profile, region, keyId, ids, forceStop)),
  unbindKeyPair: (
    profile: string,
    region: string,
    keyId: string,
    ids: string[],
    forceStop: boolean,
  ): Promise<string | null> =>
    unwrap(commands.unbindKeyPair(profile, region, keyId, ids, forceStop)),

  listImages: (profile: string, region: string, filter: ImageFilter): Promise<ImageView[]> =>
    unwrap(commands.listImages(profile, region, filter)),
  /** The new image's id (it is CREATING for a while). */
  createImage: (profile: string, region: string, input: CreateImageInput): Promise<string> =>
    unwrap(commands.createImage(profile, region, input)),
  deleteImage: (
    profile: string,
    region: string,
    imageId: string,
    confirm: string,
  ): Promise<string | null> => unwrap(commands.deleteImage(profile, region, imageId, confirm)),

  createSecurityGroup: (
    profile: string,
    region: string,
    name: string,
    description: string,
  ): Promise<SecurityGroupView> =>
    unwrap(commands.createSecurityGroup(profile, region, name, description)),
  deleteSecurityGroup: (
    profile: string,
    region: string,
    sg: string,
    confirm: string,
  ): Promise<string | null> => unwrap(commands.deleteSecurityGroup(profile, region, sg, confirm)),
  addSecurityGroupRule: (
    profile: string,
    region: string,
    sg: string,
    rule: NewRule,
  ): Promise<string | null> => unwrap(commands.addSecurityGroupRule(profile, region, sg, rule)),
};
