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
import { channel, scope, unwrap } from "./ipc";

export const resourcesBackend = {
  resizeOptions: (profile: string, region: string, id: string): Promise<ResizeOptions> =>
    unwrap(commands.resizeOptions(scope(profile, region), id)),
  resizePrice: (profile: string, region: string, id: string, type: string): Promise<PriceView> =>
    unwrap(commands.resizePrice(scope(profile, region), id, type)),
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
      commands.resizeInstance(
        scope(profile, region),
        id,
        type,
        plan,
        acceptedPrice,
        channel(onChange),
      ),
    ),
  bandwidthOptions: (profile: string, region: string, id: string): Promise<BandwidthOptions> =>
    unwrap(commands.bandwidthOptions(scope(profile, region), id)),
  bandwidthPrice: (profile: string, region: string, id: string, mbps: number): Promise<PriceView> =>
    unwrap(commands.bandwidthPrice(scope(profile, region), id, mbps)),
  changeBandwidth: (
    profile: string,
    region: string,
    id: string,
    mbps: number,
    acceptedPrice: number,
    onChange: (change: InstanceChange) => void,
  ): Promise<string | null> =>
    unwrap(
      commands.changeBandwidth(scope(profile, region), id, mbps, acceptedPrice, channel(onChange)),
    ),

  listSecurityGroups: (profile: string, region: string): Promise<SecurityGroupView[]> =>
    unwrap(commands.listSecurityGroups(scope(profile, region))),
  securityGroupDetail: (
    profile: string,
    region: string,
    sg: string,
  ): Promise<SecurityGroupDetail> =>
    unwrap(commands.securityGroupDetail(scope(profile, region), sg)),
  bindSecurityGroup: (
    profile: string,
    region: string,
    sg: string,
    ids: string[],
  ): Promise<ActionReport> => unwrap(commands.bindSecurityGroup(scope(profile, region), sg, ids)),
  unbindSecurityGroup: (
    profile: string,
    region: string,
    sg: string,
    ids: string[],
  ): Promise<ActionReport> => unwrap(commands.unbindSecurityGroup(scope(profile, region), sg, ids)),

  listAddresses: (profile: string, region: string): Promise<AddressView[]> =>
    unwrap(commands.listAddresses(scope(profile, region))),
  allocateAddress: (profile: string, region: string, input: AllocateInput): Promise<string[]> =>
    unwrap(commands.allocateAddress(scope(profile, region), input)),
  associateAddress: (
    profile: string,
    region: string,
    address: string,
    instance: string,
  ): Promise<string | null> =>
    unwrap(commands.associateAddress(scope(profile, region), address, instance)),
  disassociateAddress: (profile: string, region: string, address: string): Promise<string | null> =>
    unwrap(commands.disassociateAddress(scope(profile, region), address)),
  releaseAddress: (
    profile: string,
    region: string,
    address: string,
    confirm: string,
  ): Promise<string | null> =>
    unwrap(commands.releaseAddress(scope(profile, region), address, confirm)),

  listKeyPairs: (profile: string, region: string): Promise<KeyPairView[]> =>
    unwrap(commands.listKeyPairs(scope(profile, region))),
  /** Null when the user cancelled the save dialog (nothing was created). */
  createKeyPair: (
    profile: string,
    region: string,
    name: string,
    dialogTitle: string,
  ): Promise<CreatedKeyPair | null> =>
    unwrap(commands.createKeyPair(scope(profile, region), name, dialogTitle)),
  importKeyPair: (profile: string, region: string, name: string, key: string): Promise<string> =>
    unwrap(commands.importKeyPair(scope(profile, region), name, key)),
  deleteKeyPair: (
    profile: string,
    region: string,
    keyId: string,
    confirm: string,
  ): Promise<string | null> =>
    unwrap(commands.deleteKeyPair(scope(profile, region), keyId, confirm)),

  /** Binds (or unbinds) a key pair; running instances are refused unless `forceStop`. */
  bindKeyPair: (
    profile: string,
    region: string,
    keyId: string,
    ids: string[],
    forceStop: boolean,
  ): Promise<string | null> =>
    unwrap(commands.bindKeyPair(scope(profile, region), keyId, ids, forceStop)),
  unbindKeyPair: (
    profile: string,
    region: string,
    keyId: string,
    ids: string[],
    forceStop: boolean,
  ): Promise<string | null> =>
    unwrap(commands.unbindKeyPair(scope(profile, region), keyId, ids, forceStop)),

  listImages: (profile: string, region: string, filter: ImageFilter): Promise<ImageView[]> =>
    unwrap(commands.listImages(scope(profile, region), filter)),
  /** The new image's id (it is CREATING for a while). */
  createImage: (profile: string, region: string, input: CreateImageInput): Promise<string> =>
    unwrap(commands.createImage(scope(profile, region), input)),
  deleteImage: (
    profile: string,
    region: string,
    imageId: string,
    confirm: string,
  ): Promise<string | null> =>
    unwrap(commands.deleteImage(scope(profile, region), imageId, confirm)),

  createSecurityGroup: (
    profile: string,
    region: string,
    name: string,
    description: string,
  ): Promise<SecurityGroupView> =>
    unwrap(commands.createSecurityGroup(scope(profile, region), name, description)),
  deleteSecurityGroup: (
    profile: string,
    region: string,
    sg: string,
    confirm: string,
  ): Promise<string | null> =>
    unwrap(commands.deleteSecurityGroup(scope(profile, region), sg, confirm)),
  addSecurityGroupRule: (
    profile: string,
    region: string,
    sg: string,
    rule: NewRule,
  ): Promise<string | null> =>
    unwrap(commands.addSecurityGroupRule(scope(profile, region), sg, rule)),
};
