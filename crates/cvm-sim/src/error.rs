//! Tencent-style API errors: a dotted code and a message, always answered with HTTP 200,
//! in the language the request asked for (`X-TC-Language`: `zh-CN` or `en-US`).
//!
//! Every message is a [`Text`] from the catalog in `msg`, which holds it in both languages
//! (a message without either does not compile). Every code the emulator answers also has a
//! zh-CN and an en-US description in [`CODES`]; a test scans the sources for codes and fails
//! when one is missing from the table.

use crate::catalog::Lang;
use crate::msg::{self, Text, Type};
use std::fmt;

/// One `Response.Error`. Codes are Tencent's own strings so clients can branch on them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    pub code: String,
    pub text: Text,
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn new(code: impl Into<String>, text: Text) -> Self {
        ApiError {
            code: code.into(),
            text,
        }
    }
    /// The message in `lang`.
    pub fn message_in(&self, lang: Lang) -> &str {
        self.text.get(lang)
    }
    pub fn missing(name: &str) -> Self {
        Self::new("MissingParameter", msg::missing(&name))
    }
    pub fn invalid_type(name: &str, want: Type) -> Self {
        Self::new("InvalidParameter", msg::invalid_type(&name, want))
    }
    pub fn invalid_value(name: &str, why: Text) -> Self {
        Self::new("InvalidParameterValue", msg::invalid_value(&name, why))
    }
    pub fn unknown(name: &str) -> Self {
        Self::new("UnknownParameter", msg::unknown(&name))
    }
    pub fn limit(name: &str, max: usize) -> Self {
        Self::new(
            "InvalidParameterValue.LimitExceeded",
            msg::limit(&name, &max),
        )
    }
    pub fn internal() -> Self {
        Self::new("InternalError", msg::internal())
    }
    /// CAM refuses the caller `service:action` (the text Tencent's CAM answers).
    pub fn cam_denied(service: &str, action: &str) -> Self {
        Self::new(
            "AuthFailure.UnauthorizedOperation",
            msg::cam_denied(&service, &action),
        )
    }
    pub fn throttled() -> Self {
        Self::new("RequestLimitExceeded", msg::throttled())
    }
    /// `UnsupportedOperation.InstanceState<Camel>`: the action does not accept this state.
    pub fn state(camel: &str, id: &str) -> Self {
        Self::new(format!("{STATE_FAMILY}{camel}"), msg::state(&id, &camel))
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message_in(Lang::En))
    }
}

impl std::error::Error for ApiError {}

/// The generic texts of one code.
#[derive(Clone, Copy, Debug)]
pub struct CodeText {
    pub code: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
}

/// Codes formed by appending the instance state (`UnsupportedOperation.InstanceStateRunning`).
pub const STATE_FAMILY: &str = "UnsupportedOperation.InstanceState";

/// The text of a code; the `InstanceState<State>` family shares one entry.
pub fn code_text(code: &str) -> Option<&'static CodeText> {
    CODES.iter().find(|t| t.code == code).or_else(|| {
        code.strip_prefix(STATE_FAMILY)
            .filter(|rest| !rest.is_empty())
            .and_then(|_| CODES.iter().find(|t| t.code == STATE_FAMILY))
    })
}

const fn t(code: &'static str, zh: &'static str, en: &'static str) -> CodeText {
    CodeText { code, zh, en }
}

/// Every error code cvm-sim answers, with its zh-CN and en-US text (after Tencent's
/// published descriptions of each code, shortened).
pub static CODES: &[CodeText] = &[
    // STS and the tag service.
    t(
        "FailedOperation.ResourceAppIdNotSame",
        "资源不属于当前账号。",
        "The resource belongs to another account.",
    ),
    t(
        "InvalidParameter.OverTimeError",
        "临时证书有效期超出范围。",
        "DurationSeconds is out of range.",
    ),
    t(
        "InvalidParameter.ParamError",
        "参数错误。",
        "A parameter is invalid.",
    ),
    t(
        "InvalidParameter.ResouceError",
        "资源描述（RoleArn）格式错误。",
        "The resource description (RoleArn) is malformed.",
    ),
    t(
        "InvalidParameterValue.DeleteTagsParamError",
        "ReplaceTags 与 DeleteTags 参数错误。",
        "ReplaceTags and DeleteTags are invalid.",
    ),
    t(
        "InvalidParameterValue.RegionInvalid",
        "地域无效。",
        "The region is invalid.",
    ),
    t(
        "InvalidParameterValue.ResourceDescriptionError",
        "资源六段式描述错误。",
        "The six-segment resource description is invalid.",
    ),
    t(
        "InvalidParameterValue.ResourcePrefixInvalid",
        "资源前缀无效。",
        "The resource prefix is invalid.",
    ),
    t(
        "InvalidParameterValue.ServiceTypeInvalid",
        "业务类型无效。",
        "The service type is invalid.",
    ),
    t(
        "InvalidParameterValue.TagKeyDuplicate",
        "标签键重复。",
        "A tag key is repeated.",
    ),
    t(
        "InvalidParameterValue.TagKeyEmpty",
        "标签键不能为空。",
        "The tag key is empty.",
    ),
    t(
        "InvalidParameterValue.TagKeyLengthExceeded",
        "标签键长度超过限制。",
        "The tag key is too long.",
    ),
    t(
        "InvalidParameterValue.TagKeyCharacterIllegal",
        "标签键包含非法字符。",
        "The tag key contains characters that are not allowed.",
    ),
    t(
        "InvalidParameterValue.ReservedTagKey",
        "系统预留标签键禁止创建。",
        "The tag key is reserved by the system.",
    ),
    t(
        "InvalidParameterValue.TagValueEmpty",
        "标签值不能为空。",
        "The tag value is empty.",
    ),
    t(
        "InvalidParameterValue.TagValueLengthExceeded",
        "标签值长度超过限制。",
        "The tag value is too long.",
    ),
    t(
        "InvalidParameterValue.TagValueCharacterIllegal",
        "标签值包含非法字符。",
        "The tag value contains characters that are not allowed.",
    ),
    t(
        "LimitExceeded.ResourceAttachedTags",
        "资源绑定的标签数量超过限制。",
        "The resource carries too many tags.",
    ),
    t(
        "LimitExceeded.ResourceNumPerRequest",
        "单次请求的资源数量超过限制。",
        "Too many resources in one request.",
    ),
    t(
        "LimitExceeded.TagNumPerRequest",
        "单次请求的标签数量超过限制。",
        "Too many tags in one request.",
    ),
    t(
        "ResourceNotFound.RecordNotFound",
        "记录不存在。",
        "The record does not exist.",
    ),
    t(
        "ResourceNotFound.RoleNotFound",
        "角色不存在。",
        "The role does not exist.",
    ),
    t(
        "UnauthorizedOperation",
        "未授权操作。",
        "The operation is not authorized.",
    ),
    // Common errors (signature, envelope, limits).
    t(
        "AuthFailure.InvalidAuthorization",
        "请求头部的 Authorization 不符合腾讯云标准。",
        "The Authorization header does not follow the Tencent Cloud standard.",
    ),
    t(
        "AuthFailure.SecretIdNotFound",
        "密钥不存在，请确认密钥是否正确。",
        "The SecretId is not found, please ensure that your SecretId is correct.",
    ),
    t(
        "AuthFailure.SignatureExpire",
        "签名过期。Timestamp 和服务器时间相差不得超过五分钟。",
        "The signature has expired: the timestamp must be within five minutes of the server time.",
    ),
    t(
        "AuthFailure.SignatureFailure",
        "签名错误。",
        "The signature does not match the request.",
    ),
    t(
        "AuthFailure.TokenFailure",
        "临时证书 Token 错误或已过期。",
        "The temporary credential token is invalid or expired.",
    ),
    t(
        "DryRunOperation",
        "DryRun 操作，代表请求将会是成功的，只是多传了 DryRun 参数。",
        "DryRun: the request would have succeeded.",
    ),
    t(
        "InternalError",
        "内部错误，请重试。",
        "An internal error has occurred. Retry your request.",
    ),
    t(
        "InvalidAction",
        "接口不存在。",
        "The action does not exist.",
    ),
    t(
        "InvalidParameter",
        "参数错误（包括参数格式、类型等错误）。",
        "A parameter is invalid (format, type or similar).",
    ),
    t(
        "InvalidParameterValue",
        "参数取值错误。",
        "A parameter value is invalid.",
    ),
    t(
        "MissingParameter",
        "缺少参数错误。",
        "A required parameter is missing.",
    ),
    t(
        "NoSuchProduct",
        "产品不存在。",
        "The product does not exist.",
    ),
    t(
        "NoSuchVersion",
        "接口版本不存在。",
        "The API version does not exist.",
    ),
    t(
        "RequestLimitExceeded",
        "请求的次数超过了频率限制。",
        "The request rate exceeds the limit.",
    ),
    t(
        "RequestSizeLimitExceeded",
        "请求包超过限制大小。",
        "The request exceeds the size limit.",
    ),
    t(
        "UnauthorizedOperation.InvalidAccount",
        "账号无权执行该操作。",
        "The account is not authorized for this operation.",
    ),
    t(
        "UnknownParameter",
        "未知参数错误，用户多传未定义的参数会导致错误。",
        "An undefined parameter was sent.",
    ),
    t(
        "UnsupportedOperation",
        "操作不支持。",
        "The operation is not supported.",
    ),
    t(
        "UnsupportedProtocol",
        "HTTP(S) 请求协议错误，只支持 GET 和 POST 请求。",
        "Only GET and POST requests are supported.",
    ),
    t(
        "UnsupportedRegion",
        "接口不支持所传地域。",
        "The region is not supported by this API.",
    ),
    t("LimitExceeded", "超过配额限制。", "A quota is exceeded."),
    t(
        "AuthFailure.UnauthorizedOperation",
        "请求未授权。",
        "The request is not authorized.",
    ),
    t(
        "ResourceNotFound",
        "资源不存在。",
        "The resource does not exist.",
    ),
    t("ResourceInUse", "资源被占用。", "The resource is in use."),
    // Parameters.
    t("InvalidFilter", "无效的过滤器。", "The filter is invalid."),
    t(
        "InvalidFilterValue.LimitExceeded",
        "Filter 参数值数量超过限制。",
        "The filter has too many values.",
    ),
    t(
        "InvalidParameter.CdcNotSupported",
        "该操作不支持专用集群。",
        "Dedicated clusters (CDC) do not support this operation.",
    ),
    t(
        "InvalidParameter.Coexist",
        "参数不得同时指定。",
        "These parameters cannot be specified together.",
    ),
    t(
        "InvalidParameter.FilterInvalidKey",
        "Filter 中存在无效的键。",
        "The filter has an invalid key.",
    ),
    t(
        "InvalidParameter.FilterNotDict",
        "Filter 应为字典格式。",
        "A filter must be an object.",
    ),
    t(
        "InvalidParameter.FilterValuesNotList",
        "Filter 的 Values 应为列表。",
        "The Values of a filter must be a list.",
    ),
    t(
        "InvalidParameter.InstanceImageNotSupport",
        "该实例不支持该镜像。",
        "The instance does not support this image.",
    ),
    t(
        "InvalidParameter.InvalidParameterCoexistImageIdsFilters",
        "ImageIds 和 Filters 不能同时指定。",
        "ImageIds and Filters cannot be specified together.",
    ),
    t(
        "InvalidParameter.LackCoreCountOrThreadPerCore",
        "CoreCount 和 ThreadPerCore 必须同时提供。",
        "CoreCount and ThreadPerCore must be given together.",
    ),
    t(
        "InvalidParameter.SnapshotNotFound",
        "指定的快照不存在。",
        "The specified snapshot does not exist.",
    ),
    t(
        "InvalidParameterCombination",
        "参数组合错误。",
        "The combination of parameters is invalid.",
    ),
    t(
        "InvalidParameterConflict",
        "指定的参数存在冲突。",
        "The specified parameters conflict.",
    ),
    t(
        "InvalidParameterValue.AddressIdMalformed",
        "弹性公网 IP 的 ID 格式错误。",
        "The EIP ID is malformed.",
    ),
    t(
        "InvalidParameterValue.BandwidthOutOfRange",
        "带宽超出范围。",
        "The bandwidth is out of range.",
    ),
    t(
        "InvalidParameterValue.BandwidthPackageIdNotFound",
        "带宽包 ID 不存在。",
        "The bandwidth package ID does not exist.",
    ),
    t(
        "InvalidParameterValue.BandwidthPackageNotFound",
        "带宽包不存在。",
        "The bandwidth package does not exist.",
    ),
    t(
        "InvalidParameterValue.ChcHostsNotFound",
        "CHC 物理服务器不存在。",
        "The CHC host does not exist.",
    ),
    t(
        "InvalidParameterValue.CloudSsdDataDiskSizeTooSmall",
        "SSD 云硬盘数据盘容量过小。",
        "The SSD data disk is too small.",
    ),
    t(
        "InvalidParameterValue.DuplicateTags",
        "标签重复。",
        "Duplicate tags.",
    ),
    t(
        "InvalidParameterValue.Empty",
        "参数值不能为空。",
        "The value must not be empty.",
    ),
    t(
        "InvalidParameterValue.GPUInstanceFamily",
        "非 GPU 实例不允许转为 GPU 实例。",
        "A non-GPU instance cannot change to a GPU family.",
    ),
    t(
        "InvalidParameterValue.IPAddressMalformed",
        "IP 地址格式错误。",
        "The IP address is malformed.",
    ),
    t(
        "InvalidParameterValue.IllegalHostName",
        "主机名不合法。",
        "The host name is invalid.",
    ),
    t(
        "InvalidParameterValue.InstanceIdMalformed",
        "实例 ID 格式错误。",
        "The instance ID is malformed.",
    ),
    t(
        "InvalidParameterValue.InstanceTypeNotFound",
        "指定的机型不存在。",
        "The instance type does not exist.",
    ),
    t(
        "InvalidParameterValue.InsufficientPrice",
        "竞价出价过低。",
        "The spot bid price is too low.",
    ),
    t(
        "InvalidParameterValue.InvalidImageForGivenInstanceType",
        "该镜像不支持该机型。",
        "The image does not support this instance type.",
    ),
    t(
        "InvalidParameterValue.InvalidImageState",
        "镜像状态不可用。",
        "The image is not in a usable state.",
    ),
    t(
        "InvalidParameterValue.InvalidInstanceState",
        "实例状态不支持该操作。",
        "The instance state does not allow this.",
    ),
    t(
        "InvalidParameterValue.InvalidLaunchTemplateName",
        "实例启动模板名称格式错误。",
        "The launch template name is invalid.",
    ),
    t(
        "InvalidParameterValue.InvalidLaunchTemplateVersionDescription",
        "实例启动模板版本描述格式错误。",
        "The launch template version description is invalid.",
    ),
    t(
        "InvalidParameterValue.InvalidParameterMinCount",
        "MinCount 取值错误。",
        "MinCount is invalid.",
    ),
    t(
        "InvalidParameterValue.InvalidPassword",
        "密码不合法。",
        "The password is invalid.",
    ),
    t(
        "InvalidParameterValue.InvalidTimeFormat",
        "时间格式不合法。",
        "The time format is invalid.",
    ),
    t(
        "InvalidParameterValue.InvalidUserDataFormat",
        "UserData 格式错误，需要 base64 编码。",
        "UserData must be base64-encoded.",
    ),
    t(
        "InvalidParameterValue.InvalidVpcIdSubnetIdNotFound",
        "私有网络或子网不存在。",
        "The VPC or subnet does not exist.",
    ),
    t(
        "InvalidParameterValue.KeyPairNotFound",
        "密钥对不存在。",
        "The key pair does not exist.",
    ),
    t(
        "InvalidParameterValue.KeyPairNotSupported",
        "该实例不支持密钥对。",
        "The instance does not support key pairs.",
    ),
    t(
        "InvalidParameterValue.LaunchTemplateIdMalformed",
        "实例启动模板 ID 格式错误。",
        "The launch template ID is malformed.",
    ),
    t(
        "InvalidParameterValue.LaunchTemplateIdNotExisted",
        "实例启动模板 ID 不存在。",
        "The launch template ID does not exist.",
    ),
    t(
        "InvalidParameterValue.LaunchTemplateIdVerNotExisted",
        "实例启动模板版本不存在。",
        "The launch template version does not exist.",
    ),
    t(
        "InvalidParameterValue.LaunchTemplateNotFound",
        "实例启动模板不存在。",
        "The launch template does not exist.",
    ),
    t(
        "InvalidParameterValue.LaunchTemplateVersion",
        "实例启动模板版本号不合法。",
        "The launch template version is invalid.",
    ),
    t(
        "InvalidParameterValue.LimitExceeded",
        "参数值数量超过限制。",
        "Too many values.",
    ),
    t(
        "InvalidParameterValue.Malformed",
        "参数值格式错误。",
        "The value is malformed.",
    ),
    t(
        "InvalidParameterValue.MissingAssociateEntity",
        "缺少绑定的实例或网卡。",
        "An instance or network interface to bind is missing.",
    ),
    t(
        "InvalidParameterValue.NetworkInterfaceNotFound",
        "弹性网卡不存在。",
        "The network interface does not exist.",
    ),
    t(
        "InvalidParameterValue.Range",
        "参数值超出范围。",
        "The value is out of range.",
    ),
    t(
        "InvalidParameterValue.SubnetIdMalformed",
        "子网 ID 格式错误。",
        "The subnet ID is malformed.",
    ),
    t(
        "InvalidParameterValue.SubnetIdZoneIdNotMatch",
        "子网与可用区不匹配。",
        "The subnet is not in this zone.",
    ),
    t(
        "InvalidParameterValue.SubnetNotExist",
        "子网不存在。",
        "The subnet does not exist.",
    ),
    t(
        "InvalidParameterValue.TooLong",
        "参数值过长。",
        "The value is too long.",
    ),
    t(
        "InvalidParameterValue.UuidMalformed",
        "UUID 格式错误。",
        "The UUID is malformed.",
    ),
    t(
        "InvalidParameterValue.VpcIdMalformed",
        "私有网络 ID 格式错误。",
        "The VPC ID is malformed.",
    ),
    t(
        "InvalidParameterValue.VpcIdNotExist",
        "私有网络不存在。",
        "The VPC does not exist.",
    ),
    t(
        "InvalidParameterValue.VpcIdSubnetIdNotMatch",
        "子网不属于该私有网络。",
        "The subnet does not belong to this VPC.",
    ),
    t(
        "InvalidParameterValue.VpcNotSupportIpv6Address",
        "该私有网络不支持 IPv6 地址。",
        "The VPC does not support IPv6 addresses.",
    ),
    t(
        "InvalidParameterValue.ZoneNotSupported",
        "不支持该可用区。",
        "The zone is not supported.",
    ),
    t(
        "InvalidPassword",
        "密码不合法。",
        "The password is invalid.",
    ),
    t("InvalidPeriod", "时长不合法。", "The period is invalid."),
    t(
        "InvalidZone.MismatchRegion",
        "可用区与地域不匹配。",
        "The zone is not in this region.",
    ),
    t(
        "InvalidClientToken.TooLong",
        "ClientToken 过长。",
        "The ClientToken is too long.",
    ),
    t(
        "InvalidProjectId.NotFound",
        "项目不存在。",
        "The project does not exist.",
    ),
    // Resources by kind.
    t(
        "InvalidAccount.InsufficientBalance",
        "账户余额不足。",
        "The account balance is insufficient.",
    ),
    t(
        "InvalidAddressId.NotFound",
        "弹性公网 IP 不存在。",
        "The EIP does not exist.",
    ),
    t(
        "InvalidHostId.Malformed",
        "CDH 实例 ID 格式错误。",
        "The CDH host ID is malformed.",
    ),
    t(
        "InvalidHostId.NotFound",
        "CDH 实例不存在。",
        "The CDH host does not exist.",
    ),
    t(
        "InvalidImageId.IncorrectState",
        "镜像状态不可用。",
        "The image is in an incorrect state.",
    ),
    t(
        "InvalidImageId.Malformed",
        "镜像 ID 格式错误。",
        "The image ID is malformed.",
    ),
    t(
        "InvalidImageId.NotFound",
        "镜像不存在。",
        "The image does not exist.",
    ),
    t(
        "InvalidImageName.Duplicate",
        "镜像名称重复。",
        "The image name is already in use.",
    ),
    t(
        "InvalidInstance.NotSupported",
        "该实例不支持此操作。",
        "The instance does not support this operation.",
    ),
    t(
        "InvalidInstanceId.AlreadyBindEip",
        "实例已绑定弹性公网 IP。",
        "The instance already has an EIP.",
    ),
    t(
        "InvalidInstanceId.Malformed",
        "实例 ID 格式错误。",
        "The instance ID is malformed.",
    ),
    t(
        "InvalidInstanceId.NotFound",
        "实例不存在。",
        "The instance does not exist.",
    ),
    t(
        "InvalidInstanceName.TooLong",
        "实例名称过长。",
        "The instance name is too long.",
    ),
    t(
        "InvalidInstanceType.Malformed",
        "机型格式错误。",
        "The instance type is malformed.",
    ),
    t(
        "InvalidKeyPair.LimitExceeded",
        "密钥对数量超过限制。",
        "Too many key pairs.",
    ),
    t(
        "InvalidKeyPairId.Malformed",
        "密钥对 ID 格式错误。",
        "The key pair ID is malformed.",
    ),
    t(
        "InvalidKeyPairId.NotFound",
        "密钥对不存在。",
        "The key pair does not exist.",
    ),
    t(
        "InvalidKeyPairName.Duplicate",
        "密钥对名称重复。",
        "The key pair name is already in use.",
    ),
    t(
        "InvalidKeyPairNameEmpty",
        "密钥对名称为空。",
        "The key pair name is empty.",
    ),
    t(
        "InvalidKeyPairNameIncludeIllegalChar",
        "密钥对名称包含非法字符。",
        "The key pair name has illegal characters.",
    ),
    t(
        "InvalidKeyPairNameTooLong",
        "密钥对名称过长。",
        "The key pair name is too long.",
    ),
    t(
        "InvalidPublicKey.Duplicate",
        "公钥已存在。",
        "The public key already exists.",
    ),
    t(
        "InvalidPublicKey.Malformed",
        "公钥格式错误。",
        "The public key is malformed.",
    ),
    t(
        "InvalidSecurityGroupId.NotFound",
        "安全组不存在。",
        "The security group does not exist.",
    ),
    t(
        "InvalidSgId.Malformed",
        "安全组 ID 格式错误。",
        "The security group ID is malformed.",
    ),
    t(
        "AddressQuotaLimitExceeded",
        "弹性公网 IP 数量超过配额。",
        "The EIP quota is exceeded.",
    ),
    t(
        "ImageQuotaLimitExceeded",
        "镜像数量超过配额。",
        "The image quota is exceeded.",
    ),
    t(
        "VpcAddrNotInSubNet",
        "IP 地址不在子网内。",
        "The address is not in the subnet.",
    ),
    t("VpcIpIsUsed", "IP 地址已被占用。", "The address is in use."),
    // Operations.
    t(
        "FailedOperation.BalanceInsufficient",
        "余额不足。",
        "The balance is insufficient.",
    ),
    t(
        "FailedOperation.DisasterRecoverGroupNotFound",
        "置放群组不存在。",
        "The placement group does not exist.",
    ),
    t(
        "FailedOperation.NoAvailableIpAddressCountInSubnet",
        "子网可用 IP 已耗尽。",
        "The subnet has no free address.",
    ),
    t(
        "FailedOperation.NotFoundEIP",
        "弹性公网 IP 不存在。",
        "The EIP does not exist.",
    ),
    t(
        "FailedOperation.ZoneInconsistent",
        "实例与可用区不一致。",
        "The zones do not match.",
    ),
    t(
        "LimitExceeded.AssociateUSGLimitExceeded",
        "安全组关联的实例数超过限制。",
        "Too many security groups for the instance.",
    ),
    t(
        "LimitExceeded.InstanceQuota",
        "实例数量超过配额。",
        "The instance quota is exceeded.",
    ),
    t(
        "LimitExceeded.InstanceTypeBandwidth",
        "带宽超过该机型的上限。",
        "The bandwidth exceeds this instance type's maximum.",
    ),
    t(
        "LimitExceeded.LaunchTemplateQuota",
        "实例启动模板数量超过配额。",
        "The launch template quota is exceeded.",
    ),
    t(
        "LimitExceeded.PrepayQuota",
        "包年包月实例数量超过配额。",
        "The prepaid instance quota is exceeded.",
    ),
    t(
        "LimitExceeded.SecurityGroupPolicySet",
        "安全组规则数量超过限制。",
        "Too many security group rules.",
    ),
    t(
        "LimitExceeded.SpotQuota",
        "竞价实例数量超过配额。",
        "The spot instance quota is exceeded.",
    ),
    t(
        "OperationDenied.InstanceOperationInProgress",
        "实例有操作正在执行，请稍后再试。",
        "An operation on the instance is in progress; try again later.",
    ),
    t(
        "ResourceInsufficient.AvailabilityZoneSoldOut",
        "可用区已售罄。",
        "The zone is sold out.",
    ),
    t(
        "ResourceNotFound.HpcCluster",
        "高性能计算集群不存在。",
        "The HPC cluster does not exist.",
    ),
    t(
        "ResourceNotFound.InvalidZoneInstanceType",
        "该可用区不售卖此机型。",
        "The zone does not sell this instance type.",
    ),
    t(
        "ResourceUnavailable.InstanceType",
        "该机型不可用。",
        "The instance type is unavailable.",
    ),
    t(
        "ResourcesSoldOut.SpecifiedInstanceType",
        "指定的机型已售罄。",
        "The instance type is sold out.",
    ),
    t(
        "UnauthorizedOperation.ImageNotBelongToAccount",
        "镜像不属于该账号。",
        "The image does not belong to this account.",
    ),
    t(
        "UnsupportedOperation.AddressStatusNotPermit",
        "弹性公网 IP 的状态不支持该操作。",
        "The EIP state does not allow this.",
    ),
    t(
        "UnsupportedOperation.DuplicatePolicy",
        "安全组规则重复。",
        "The security group rule already exists.",
    ),
    t(
        "UnsupportedOperation.InstanceChargeType",
        "实例的计费模式不支持该操作。",
        "The instance's billing model does not allow this.",
    ),
    t(
        "UnsupportedOperation.InstanceMixedPricingModel",
        "不支持同时操作不同计费模式的实例。",
        "Instances of different billing models cannot be handled together.",
    ),
    t(
        STATE_FAMILY,
        "实例当前的状态不支持该操作。",
        "The instance's state does not allow this operation.",
    ),
    t(
        "UnsupportedOperation.InstanceTypeNotSupportJumboFrame",
        "该机型不支持巨帧。",
        "The instance type does not support jumbo frames.",
    ),
    t(
        "UnsupportedOperation.InstancesProtected",
        "实例开启了销毁保护。",
        "The instance is protected from termination.",
    ),
    t(
        "UnsupportedOperation.KeyPairUnsupportedWindows",
        "Windows 实例不支持密钥对。",
        "Windows instances do not support key pairs.",
    ),
    t(
        "UnsupportedOperation.NoInstanceTypeSupportSpot",
        "该机型不支持竞价实例。",
        "The instance type has no spot offering.",
    ),
    t(
        "UnsupportedOperation.SpotUnsupportedRegion",
        "该地域不支持竞价实例。",
        "The region has no spot offering.",
    ),
    t(
        "UnsupportedOperation.StoppedModeStopCharging",
        "该实例不支持关机不收费。",
        "The instance does not support STOP_CHARGING.",
    ),
    t(
        "UnsupportedOperation.StoppedModeStopChargingSameFamily",
        "关机不收费的实例只能在同机型族内调整。",
        "A STOP_CHARGING instance can only change within its family.",
    ),
    t(
        "UnsupportedOperation.SystemDiskType",
        "不支持该系统盘类型。",
        "The system disk type is not supported.",
    ),
    t(
        "UnsupportedOperation.UnsupportedARMChangeInstanceFamily",
        "ARM 实例不支持调整到其他机型族。",
        "An ARM instance cannot change to another family.",
    ),
    t(
        "UnsupportedOperation.UnsupportedChangeInstanceFamilyToARM",
        "不支持调整到 ARM 机型族。",
        "An instance cannot change to an ARM family.",
    ),
    t(
        "UnsupportedOperation.VersionMismatch",
        "安全组规则版本号不匹配。",
        "The security group rule version does not match.",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_state_family_shares_one_text() {
        assert!(code_text("UnsupportedOperation.InstanceStateRunning").is_some());
        assert!(code_text(STATE_FAMILY).is_some());
        assert!(code_text("UnsupportedOperation.nope").is_none());
    }

    #[test]
    fn an_error_answers_its_message_in_the_language_asked_for() {
        let e = ApiError::missing("Limit");
        assert_eq!(e.message_in(Lang::Zh), "缺少必选参数`Limit`。");
        assert_eq!(
            e.message_in(Lang::En),
            "The request is missing a required parameter `Limit`."
        );
        let e = ApiError::state("Running", "ins-1");
        assert!(e.message_in(Lang::Zh).contains("实例`ins-1`"));
        assert_eq!(e.code, "UnsupportedOperation.InstanceStateRunning");
    }
}
