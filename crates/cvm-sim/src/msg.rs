//! Every error message cvm-sim answers, in en-US and zh-CN, in one place.
//!
//! A [`Text`] holds both languages and can only be made here: each entry of the catalog
//! below names its English and its Chinese wording together, so a message without either
//! language does not compile. `ApiError::new` takes a `Text`; the answer picks the language
//! `X-TC-Language` asked for (zh-CN when absent, see `server::request_lang`).

use crate::catalog::Lang;
use std::fmt::Display;

/// One message in both languages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Text {
    en: String,
    zh: String,
}

impl Text {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Zh => &self.zh,
        }
    }
}

/// What an id or a name refers to, in both languages (for the shared shapes below).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Thing {
    Instance,
    Image,
    KeyPair,
    SecurityGroup,
    Vpc,
    Subnet,
    Address,
    LaunchTemplate,
    Project,
    InstanceType,
    Resource,
}

impl Thing {
    fn en(self) -> &'static str {
        match self {
            Thing::Instance => "instance",
            Thing::Image => "image",
            Thing::KeyPair => "key pair",
            Thing::SecurityGroup => "security group",
            Thing::Vpc => "VPC",
            Thing::Subnet => "subnet",
            Thing::Address => "address",
            Thing::LaunchTemplate => "launch template",
            Thing::Project => "project",
            Thing::InstanceType => "instance type",
            Thing::Resource => "resource",
        }
    }
    fn zh(self) -> &'static str {
        match self {
            Thing::Instance => "实例",
            Thing::Image => "镜像",
            Thing::KeyPair => "密钥对",
            Thing::SecurityGroup => "安全组",
            Thing::Vpc => "私有网络",
            Thing::Subnet => "子网",
            Thing::Address => "弹性公网 IP",
            Thing::LaunchTemplate => "实例启动模板",
            Thing::Project => "项目",
            Thing::InstanceType => "实例机型",
            Thing::Resource => "资源",
        }
    }
}

/// `The instance id `x` is malformed.`
pub fn malformed(what: Thing, id: &dyn Display) -> Text {
    Text {
        en: format!("The {} id `{id}` is malformed.", what.en()),
        zh: format!("{} ID`{id}`格式错误。", what.zh()),
    }
}

/// `The instance `x` does not exist.`
pub fn not_found(what: Thing, id: &dyn Display) -> Text {
    Text {
        en: format!("The {} `{id}` does not exist.", what.en()),
        zh: format!("{}`{id}`不存在。", what.zh()),
    }
}

/// "`X` is not A, B or C" (the choices are wire values, the same in both languages).
pub fn not_one_of(value: &dyn Display, choices: &[&str]) -> Text {
    let list = |sep: &str, or: &str| match choices.split_last() {
        Some((last, [])) => (*last).to_owned(),
        Some((last, rest)) => format!("{}{or}{last}", rest.join(sep)),
        None => String::new(),
    };
    Text {
        en: format!("`{value}` is not {}", list(", ", " or ")),
        zh: format!("`{value}`不是 {}", list("、", " 或 ")),
    }
}

/// The value of a parameter is invalid, with why (itself a message of the catalog).
pub fn invalid_value(name: &dyn Display, why: Text) -> Text {
    Text {
        en: format!("The value of parameter `{name}` is invalid: {}.", why.en),
        zh: format!("参数`{name}`的取值错误：{}。", why.zh),
    }
}

/// The type of a parameter is wrong.
pub fn invalid_type(name: &dyn Display, want: Type) -> Text {
    let (en, zh) = want.names();
    Text {
        en: format!("The value type of parameter `{name}` is invalid: expected {en}."),
        zh: format!("参数`{name}`的类型错误，应为{zh}。"),
    }
}

/// The JSON types a parameter can be expected to have.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Type {
    String,
    Integer,
    Number,
    Boolean,
    Object,
    Strings,
    Objects,
    Integers,
    Filter,
    Filters,
}

impl Type {
    fn names(self) -> (&'static str, &'static str) {
        match self {
            Type::String => ("a string", "字符串"),
            Type::Integer => ("an integer", "整数"),
            Type::Number => ("a number", "数字"),
            Type::Boolean => ("a boolean", "布尔值"),
            Type::Object => ("an object", "对象"),
            Type::Strings => ("an array of strings", "字符串数组"),
            Type::Objects => ("an array of objects", "对象数组"),
            Type::Integers => ("an array of integers", "整数数组"),
            Type::Filter => ("a Filter object", "Filter 对象"),
            Type::Filters => ("an array of Filter objects", "Filter 对象数组"),
        }
    }
}

/// Fills a `Text` from format strings with the entry's arguments in scope: one function
/// per entry, taking each placeholder as `&dyn Display`.
macro_rules! catalog {
    ($( $name:ident ( $($arg:ident),* ) => $en:literal, $zh:literal; )*) => {
        $(
            pub fn $name($($arg: &dyn Display),*) -> Text {
                Text { en: format!($en), zh: format!($zh) }
            }
        )*

        /// Every entry, filled with placeholder arguments (for the language test).
        #[cfg(test)]
        fn samples() -> Vec<(&'static str, Text)> {
            vec![$( (stringify!($name), $name($({ let _ = stringify!($arg); &"x" }),*)) ),*]
        }
    };
}

catalog! {
    // Shared shapes.
    exclusive(a, b) => "`{a}` and `{b}` cannot be specified at the same time.", "`{a}`和`{b}`不能同时指定。";
    too_long(name, max) => "`{name}` may have at most {max} characters.", "`{name}`最多 {max} 个字符。";
    dry_run() => "The request would have succeeded, but DryRun was set.", "DryRun 操作：请求本会成功，但设置了 DryRun。";
    missing(name) => "The request is missing a required parameter `{name}`.", "缺少必选参数`{name}`。";
    unknown(name) => "The parameter `{name}` is not recognized.", "未知参数`{name}`。";
    limit(name, max) => "The number of values in parameter `{name}` exceeds the limit of {max}.", "参数`{name}`的取值个数超过上限{max}。";
    internal() => "An internal error has occurred. Retry your request.", "内部错误，请重试。";
    throttled() => "Your current request times exceeds the limit. Please try again later.", "请求的次数超过了频率限制，请稍后重试。";
    state(id, camel) => "The instance `{id}` is in a state that does not support this operation ({camel}).", "实例`{id}`当前的状态（{camel}）不支持该操作。";
    invalid_authorization(why) => "The Authorization header is malformed: {why}.", "请求头部的 Authorization 不符合腾讯云标准。";
    signature_expired() => "The signature has expired: the timestamp must be within five minutes of the server time.", "签名过期。Timestamp 和服务器时间相差不得超过五分钟。";
    signature_mismatch() => "The signature does not match the request.", "签名错误。";
    cam_denied(service, action) => "you are not authorized to perform operation ({service}:{action}); resource (*) has no permission", "您没有执行操作（{service}:{action}）的权限，资源（*）未授权。";
    metric_not_found(metric, namespace) => "The metric `{metric}` does not exist in namespace {namespace}.", "命名空间 {namespace} 中不存在指标`{metric}`。";
    too_many_instances(n, max) => "{n} instances were requested; a request may pull at most {max}.", "请求了 {n} 个实例，单请求最多支持批量拉取 {max} 个实例的监控数据。";
    no_instance_dimension(i, namespace) => "Instances.{i}.Dimensions has no InstanceId dimension, which {namespace} needs.", "Instances.{i}.Dimensions 缺少 {namespace} 所需的 InstanceId 维度。";
    too_many_points(total, max) => "The time range asks for {total} data points; a request may ask for at most {max}. Shorten the range, use a longer Period or fewer instances.", "所选时间范围需要 {total} 个数据点，单请求的数据点数限制为 {max} 个。请缩短时间范围、增大统计周期或减少实例数。";
    key_without_encryption(disk) => "`{disk}.KmsKeyId` is given but `{disk}.Encrypt` is false.", "指定了`{disk}.KmsKeyId`，但`{disk}.Encrypt`为 false。";
    // Details of invalid values (`msg::invalid_value`).
    not_a(value, what_en, what_zh) => "`{value}` is not a {what_en}", "`{value}`不是有效的{what_zh}";
    only(value) => "only {value} is supported", "只支持 {value}";
    not_negative() => "must not be negative", "不能为负数";
    not_a_number() => "not a number", "不是数字";
    at_most_chars(max) => "at most {max} characters", "最多 {max} 个字符";
    true_or_false() => "must be \"true\" or \"false\"", "必须是 \"true\" 或 \"false\"";
    port_spec(port) => "`{port}` is not all, a port, a list or a range of ports 1-65535", "`{port}`不是 all、端口、端口列表或 1-65535 的端口范围";
    port_all(protocol) => "a {protocol} rule takes Port all", "{protocol} 规则的 Port 只能为 all";
    not_cidr(cidr) => "`{cidr}` is not an IPv4 address or CIDR block", "`{cidr}`不是 IPv4 地址或 CIDR 网段";
    char_not_allowed(c) => "{c} is not allowed (Chinese, letters, digits, -, _ and . only)", "不允许使用 {c}（只能使用中文、字母、数字、-、_ 和 .）";
    sysprep_windows_only() => "Sysprep applies to Windows images only", "Sysprep 只适用于 Windows 镜像";
    not_data_disk_of(disk, instance) => "`{disk}` is not a data disk of {instance}", "`{disk}`不是实例 {instance} 的数据盘";
    switch_targets(to) => "`{to}`: only PREPAID and POSTPAID_BY_HOUR", "`{to}`：只支持 PREPAID 和 POSTPAID_BY_HOUR";
    name_pattern() => "malformed {{R:x,F:y}} pattern", "{{R:x,F:y}} 模式格式错误";
    namespace_not_emulated(namespace, only) => "`{namespace}` is not emulated (only {only})", "不模拟`{namespace}`（只模拟 {only}）";
    not_a_period(period, namespace) => "{period} is not a period of {namespace} (60, 300, 3600, 86400)", "{period} 不是 {namespace} 的统计周期（60、300、3600、86400）";
    end_before_start() => "EndTime must not be earlier than StartTime", "EndTime 不能早于 StartTime";
    not_a_time(s) => "`{s}` is not a time like 2019-03-24T10:51:23+08:00", "`{s}`不是形如 2019-03-24T10:51:23+08:00 的时间";
    at_least_5_minutes() => "must be at least 5 minutes from now", "必须在当前时间 5 分钟之后";
    // Handler messages.
    action_not_found(action) => "The action `{action}` is not found in cvm-sim.", "接口`{action}`不存在。";
    action_not_in_service(action, service) => "The action `{action}` is not found for the {service} service in cvm-sim.", "{service} 服务中不存在接口`{action}`。";
    action_time_format() => "`ActionTime` must be ISO 8601.", "`ActionTime`必须是 ISO 8601 格式。";
    address_count_range() => "`AddressCount` must be between 1 and 20.", "`AddressCount`的取值范围为 1 到 20。";
    address_ids_and_filter() => "`AddressIds` and the address-id filter cannot be used together.", "`AddressIds`和 address-id 过滤条件不能同时使用。";
    address_prepaid_only_monthly() => "`AddressChargePrepaid` goes with BANDWIDTH_PREPAID_BY_MONTH only.", "`AddressChargePrepaid`只能与 BANDWIDTH_PREPAID_BY_MONTH 一起使用。";
    address_still_bound(id) => "The address `{id}` is still bound.", "弹性公网 IP`{id}`仍处于绑定状态。";
    arch_fixed() => "The CPU architecture cannot be changed.", "不能更改 CPU 架构。";
    balance_short(balance, cost) => "The account balance {balance:.2} does not cover {cost:.2}.", "账户余额 {balance:.2} 不足以支付 {cost:.2}。";
    bandwidth_out_of_range_for(id) => "`InternetMaxBandwidthOut` is out of range for `{id}`.", "`InternetMaxBandwidthOut`超出实例`{id}`的取值范围。";
    bandwidth_package_not_found() => "The bandwidth package does not exist.", "带宽包不存在。";
    bandwidth_prepaid_needs_prepaid() => "BANDWIDTH_PREPAID needs a PREPAID instance.", "BANDWIDTH_PREPAID 需要包年包月（PREPAID）实例。";
    bandwidth_range(max) => "The bandwidth must be between 1 and {max} Mbps.", "带宽的取值范围为 1 到 {max} Mbps。";
    bandwidth_range_for_type(max, t) => "`InternetMaxBandwidthOut` must be between 0 and {max} for {t}.", "机型 {t} 的`InternetMaxBandwidthOut`取值范围为 0 到 {max}。";
    bid_too_low(m, market) => "The bid {m} is below the spot price {market}.", "出价 {m} 低于竞价实例市场价 {market}。";
    body_not_json(e) => "The request body is not valid JSON: {e}.", "请求体不是有效的 JSON：{e}。";
    body_not_object() => "The request body must be a JSON object.", "请求体必须是 JSON 对象。";
    cannot_switch_charge(id, to) => "The instance `{id}` cannot switch to {to}.", "实例`{id}`不能切换为 {to}。";
    change_costs(cost) => "The change costs {cost:.2}, more than the balance.", "变更需要 {cost:.2}，超过账户余额。";
    chc_not_found() => "The CHC hosts do not exist.", "CHC 物理服务器不存在。";
    client_token_too_long() => "`ClientToken` may have at most 64 ASCII characters.", "`ClientToken`最多 64 个 ASCII 字符。";
    cores_and_threads() => "`CoreCount` and `ThreadPerCore` go together.", "`CoreCount`和`ThreadPerCore`必须同时提供。";
    data_disk_size() => "`DataDisks.DiskSize` must be 10–32000 GiB in steps of 10.", "`DataDisks.DiskSize`的取值范围为 10–32000 GiB，步长为 10。";
    dates_format() => "`StartTime` and `EndTime` are YYYY-MM-DD.", "`StartTime`和`EndTime`的格式为 YYYY-MM-DD。";
    dates_prepaid_only() => "`StartTime`/`EndTime` apply to BANDWIDTH_PREPAID only.", "`StartTime`/`EndTime`只适用于 BANDWIDTH_PREPAID。";
    default_sg_undeletable() => "The default security group cannot be deleted.", "默认安全组不能删除。";
    duplicate_rule(protocol, port, cidr, action) => "A rule {protocol} {port} from {cidr} ({action}) already exists.", "已存在规则：{protocol} {port}，来源 {cidr}（{action}）。";
    eip_balance() => "The balance does not cover the EIPs.", "账户余额不足以支付这些弹性公网 IP。";
    eip_not_bound() => "Only a bound EIP can be disassociated.", "只能解绑已绑定的弹性公网 IP。";
    eip_not_unbound() => "Only an unbound EIP can be associated.", "只能绑定未绑定状态的弹性公网 IP。";
    eip_period() => "`Period` must be 1–12, 24 or 36.", "`Period`的取值为 1–12、24 或 36。";
    eip_quota(quota) => "At most {quota} EIPs per region.", "每个地域最多 {quota} 个弹性公网 IP。";
    enis_allow_listed() => "Extra network interfaces are an allow-listed feature.", "额外的弹性网卡仅对白名单用户开放。";
    filter_key_invalid(name) => "The filter key `{name}` is invalid.", "过滤条件的键`{name}`无效。";
    filter_not_dict() => "Each filter must be a dict.", "每个过滤条件都必须是字典。";
    filter_too_many_values(name, max_values) => "The filter `{name}` has more than {max_values} values.", "过滤条件`{name}`的取值超过 {max_values} 个。";
    filter_unsupported(name) => "The filter `{name}` is not supported.", "不支持过滤条件`{name}`。";
    filter_value_malformed(v, filter) => "The value `{v}` of filter `{filter}` is malformed.", "过滤条件`{filter}`的取值`{v}`格式错误。";
    filter_values_not_list() => "Filter `Values` must be a list.", "过滤条件的`Values`必须是列表。";
    filters_not_list() => "`Filters` must be a list of dicts.", "`Filters`必须是字典列表。";
    force_and_stop_type(force_name) => "`{force_name}` and `StopType` cannot be used together.", "`{force_name}`和`StopType`不能同时使用。";
    get_too_large() => "A GET request may not exceed 32 KB.", "GET 请求不能超过 32 KB。";
    give_instance_id() => "Give `InstanceId`.", "请指定`InstanceId`。";
    give_one_attribute() => "Give one attribute to modify.", "请指定一个要修改的属性。";
    gpu_swap() => "GPU and non-GPU families cannot be swapped.", "GPU 机型与非 GPU 机型之间不能互相调整。";
    group_name_empty() => "`GroupName` must not be empty.", "`GroupName`不能为空。";
    host_name_invalid(h) => "The host name `{h}` is not valid.", "主机名`{h}`不合法。";
    hpc_not_found() => "The HPC cluster does not exist.", "高性能计算集群不存在。";
    image_arch_mismatch(image, arch, t) => "The image `{image}` ({arch}) cannot run on {t}.", "镜像`{image}`（{arch}）不能在机型 {t} 上运行。";
    image_from_instance_only() => "Images can only be made from an instance here (`InstanceId`).", "此处只能从实例（`InstanceId`）制作镜像。";
    image_name_taken(name) => "An image named `{name}` already exists.", "名为`{name}`的镜像已存在。";
    image_not_deletable(id, state) => "The image `{id}` is {state} and cannot be deleted yet.", "镜像`{id}`的状态为 {state}，暂不能删除。";
    image_not_ready(id, state) => "The image `{id}` is {state}: wait until it is NORMAL.", "镜像`{id}`的状态为 {state}：请等待其变为 NORMAL。";
    image_not_yours(id) => "The image `{id}` is not one of your custom images.", "镜像`{id}`不是您的自定义镜像。";
    image_quota(quota) => "The quota of {quota} custom images in this region is used up.", "本地域 {quota} 个自定义镜像的配额已用完。";
    index_gaps() => "Array parameters must be numbered from 0 without gaps.", "数组参数必须从 0 开始连续编号。";
    index_too_large() => "An array index in the query string is too large.", "查询字符串中的数组下标过大。";
    instance_count_range(max_count) => "`InstanceCount` must be between 1 and {max_count}.", "`InstanceCount`的取值范围为 1 到 {max_count}。";
    instance_has_eip() => "The instance already has an EIP.", "实例已绑定弹性公网 IP。";
    instance_id_repeated(dup) => "The instance id `{dup}` is repeated.", "实例 ID`{dup}`重复。";
    instance_name_length() => "`InstanceName` must have 1–128 characters.", "`InstanceName`的长度为 1 到 128 个字符。";
    instance_or_eni() => "Give `InstanceId` or `NetworkInterfaceId`, not both.", "请指定`InstanceId`或`NetworkInterfaceId`，不能同时指定。";
    instance_quota(limit, charge) => "The quota of {limit} {charge} instances in this region would be exceeded.", "将超出本地域 {limit} 台 {charge} 实例的配额。";
    instance_running_or_stopped() => "The instance must be running or stopped.", "实例必须处于运行中或已关机状态。";
    instance_type_malformed(t) => "The instance type `{t}` is malformed.", "实例机型`{t}`格式错误。";
    invalid_period() => "Invalid period. Valid periods are 1-12, 24, 36, 48 and 60 months.", "购买时长无效。有效时长为 1–12、24、36、48 和 60 个月。";
    ip_in_use(ip) => "`{ip}` is in use.", "`{ip}`已被占用。";
    ip_not_in_subnet(ip) => "`{ip}` is not in the subnet.", "`{ip}`不在子网中。";
    isp_allow_listed(isp) => "The ISP `{isp}` is allow-listed.", "线路类型`{isp}`仅对白名单用户开放。";
    keep_login_custom_only() => "`KeepImageLogin` applies to custom images only.", "`KeepImageLogin`只适用于自定义镜像。";
    key_ids_per_request() => "At most 100 key ids per request.", "每次请求最多 100 个密钥对 ID。";
    key_name_chars() => "`KeyName` may contain letters, digits and underscores only.", "`KeyName`只能包含字母、数字和下划线。";
    key_name_empty() => "`KeyName` must not be empty.", "`KeyName`不能为空。";
    key_name_taken(name) => "The key pair name `{name}` is already used.", "密钥对名称`{name}`已被使用。";
    key_pair_in_use(id) => "The key pair `{id}` is bound to an instance.", "密钥对`{id}`已绑定实例。";
    key_pair_quota() => "The key pair quota is used up.", "密钥对配额已用完。";
    limit_range() => "`Limit` must be between 0 and 100.", "`Limit`的取值范围为 0 到 100。";
    local_disk_no_resize() => "Instances with a local system disk cannot be resized.", "系统盘为本地盘的实例不能调整配置。";
    market_needs_spot() => "`InstanceMarketOptions` needs InstanceChargeType SPOTPAID.", "`InstanceMarketOptions`需要 InstanceChargeType 为 SPOTPAID。";
    min_count_range() => "`MinCount` must be between 1 and InstanceCount.", "`MinCount`的取值范围为 1 到 InstanceCount。";
    must_be_number(name) => "`{name}` must be a number.", "`{name}`必须是数字。";
    needs_dedicated(charge) => "`{charge}` needs a dedicated host or cluster, which cvm-sim does not model.", "`{charge}`需要专用宿主机或专用集群，cvm-sim 不模拟它们。";
    no_dedicated_clusters() => "cvm-sim has no dedicated clusters.", "cvm-sim 不模拟专用集群。";
    no_dedicated_hosts() => "cvm-sim has no dedicated hosts.", "cvm-sim 不模拟专用宿主机。";
    no_enis() => "cvm-sim has no elastic network interfaces.", "cvm-sim 不模拟弹性网卡。";
    no_jumbo_frames() => "The instance type does not support jumbo frames.", "该实例机型不支持巨型帧。";
    no_public_ip(id) => "The instance `{id}` has no public IP.", "实例`{id}`没有公网 IP。";
    no_spot_here() => "Spot instances are not sold in this region.", "本地域不售卖竞价实例。";
    no_stop_charging(id) => "The instance `{id}` does not support stopping without charges.", "实例`{id}`不支持关机不收费。";
    not_cdc_cache_status(bad, states) => "`{bad}` is not a CDC cache status ({states}).", "`{bad}`不是 CDC 镜像缓存状态（{states}）。";
    not_image_type(bad) => "`{bad}` is not an image type (PUBLIC_IMAGE, PRIVATE_IMAGE, SHARED_IMAGE).", "`{bad}`不是镜像类型（PUBLIC_IMAGE、PRIVATE_IMAGE、SHARED_IMAGE）。";
    not_ipv4(ip) => "`{ip}` is not an IPv4 address.", "`{ip}`不是 IPv4 地址。";
    not_prepaid(id) => "The instance `{id}` is not prepaid.", "实例`{id}`不是包年包月实例。";
    nothing_to_refund(id) => "The instance `{id}` is not prepaid: there is nothing to refund.", "实例`{id}`不是包年包月实例，没有可退还的费用。";
    offset_negative() => "`Offset` must not be negative.", "`Offset`不能为负数。";
    one_attribute() => "Only one attribute can be modified per request.", "每次请求只能修改一个属性。";
    one_bandwidth_instance() => "Only one instance per request when billed by bandwidth.", "按带宽计费时每次请求只能指定一台实例。";
    one_direction() => "Ingress and Egress rules cannot be created in one request.", "一次请求中只能创建单个方向的规则。";
    one_ip_per_instance() => "`PrivateIpAddresses` must list one address per instance.", "`PrivateIpAddresses`必须为每台实例列出一个地址。";
    one_login() => "Give only one of Password, KeyIds and KeepImageLogin.", "Password、KeyIds 和 KeepImageLogin 只能指定其中一个。";
    one_resize() => "Exactly one instance can be resized per request.", "每次请求只能调整一台实例的配置。";
    one_security_group() => "Exactly one security group per request.", "每次请求只能指定一个安全组。";
    only_get_post() => "Only GET and POST requests are supported.", "只支持 GET 和 POST 请求。";
    operation_in_progress(id) => "An operation on the instance `{id}` is still in progress.", "实例`{id}`上的操作仍在进行中。";
    order_direction() => "`OrderDirection` is ASC or DESC.", "`OrderDirection`的取值为 ASC 或 DESC。";
    order_field() => "`OrderField` is CreatedTime or UpdateTime.", "`OrderField`的取值为 CreatedTime 或 UpdateTime。";
    param_conflicts(key) => "The parameter `{key}` conflicts with another.", "参数`{key}`与其他参数冲突。";
    param_name_malformed(key) => "The parameter name `{key}` is malformed.", "参数名`{key}`格式错误。";
    param_twice(key) => "The parameter `{key}` is given twice.", "参数`{key}`重复提供。";
    password_too_weak() => "The password does not meet the complexity requirements.", "密码不符合复杂度要求。";
    period_window() => "The period must start today or later and end before the instance expires.", "时间段必须从今天或之后开始，并在实例到期前结束。";
    placement_group_not_found() => "The placement group does not exist.", "置放群组不存在。";
    post_needs_json() => "POST requests signed with TC3-HMAC-SHA256 must send Content-Type: application/json.", "使用 TC3-HMAC-SHA256 签名的 POST 请求必须发送 Content-Type: application/json。";
    prepaid_bandwidth_up() => "Prepaid bandwidth can only be raised.", "包年包月带宽只能调高。";
    product_not_found(product) => "The product `{product}` does not exist.", "产品`{product}`不存在。";
    public_ip_needs_bandwidth() => "A public IP needs a bandwidth above 0.", "分配公网 IP 需要带宽大于 0。";
    public_key_duplicate() => "This public key is already imported.", "该公钥已导入。";
    public_key_malformed() => "The public key is not an OpenSSH public key.", "公钥不是 OpenSSH 格式的公钥。";
    query_bad_escape() => "The query string has a malformed percent-escape.", "查询字符串中有格式错误的百分号转义。";
    query_malformed() => "Malformed query string.", "查询字符串格式错误。";
    query_not_utf8() => "The query string is not valid UTF-8.", "查询字符串不是有效的 UTF-8。";
    region_unsupported(r) => "The region `{r}` is not supported by this API.", "接口不支持地域`{r}`。";
    renewal_costs(cost) => "The renewal costs {cost:.2}, more than the balance.", "续费需要 {cost:.2}，超过账户余额。";
    request_too_large(limit) => "The request exceeds the size limit of {limit} bytes.", "请求包超过大小限制（{limit} 字节）。";
    rules_not_modelled(unsupported) => "`{unsupported}` rules are not modelled by this emulator.", "本模拟器不支持`{unsupported}`规则。";
    rules_per_direction(max) => "A direction holds at most {max} rules.", "每个方向最多 {max} 条规则。";
    rules_version(current, v) => "The rules are at version {current}, not {v}.", "安全组规则的版本为 {current}，而不是 {v}。";
    same_billing_model() => "All instances must have the same billing model.", "所有实例的计费模式必须相同。";
    same_network_billing() => "All instances must have the same network billing model.", "所有实例的网络计费模式必须相同。";
    same_type() => "The instance already has this type.", "实例已经是该机型。";
    same_zone() => "All instances must be in the same zone.", "所有实例必须位于同一可用区。";
    scheduled_termination(id) => "The instance `{id}` has a scheduled termination.", "实例`{id}`设置了定时销毁。";
    secret_id_not_found() => "The SecretId is not found, please ensure that your SecretId is correct.", "密钥不存在，请确认 SecretId 是否正确。";
    security_group_quota(quota) => "The quota of {quota} security groups in this region is used up.", "本地域 {quota} 个安全组的配额已用完。";
    sg_in_use(id, user) => "The security group `{id}` is bound to `{user}`; unbind it first.", "安全组`{id}`已绑定到`{user}`，请先解绑。";
    sg_per_instance() => "An instance can have at most 5 security groups.", "一台实例最多绑定 5 个安全组。";
    snapshot_not_found() => "The snapshot does not exist.", "快照不存在。";
    ssd_min_size() => "CLOUD_SSD data disks start at 20 GiB.", "CLOUD_SSD 数据盘最小为 20 GiB。";
    stop_charging_same_family() => "A stop-charging instance can only change within its family.", "关机不收费的实例只能在同一机型族内调整。";
    subnet_full() => "The subnet has too few free addresses.", "子网中可用的 IP 地址不足。";
    subnet_not_in_vpc() => "The subnet does not belong to the VPC.", "子网不属于该私有网络。";
    subnet_other_zone() => "The subnet is in another zone.", "子网位于其他可用区。";
    switch_costs(cost) => "The switch costs {cost:.2}, more than the balance.", "切换需要 {cost:.2}，超过账户余额。";
    system_disk_size(min) => "`SystemDisk.DiskSize` must be between {min} and 1024.", "`SystemDisk.DiskSize`的取值范围为 {min} 到 1024。";
    tag_key_repeated(key) => "The tag key `{key}` is repeated.", "标签键`{key}`重复。";
    tag_lengths() => "Tag keys are 1–127 characters and values at most 255.", "标签键长度为 1 到 127 个字符，标签值最多 255 个字符。";
    template_description_length() => "`LaunchTemplateVersionDescription` is at most 255 characters.", "`LaunchTemplateVersionDescription`最多 255 个字符。";
    template_name_length() => "`LaunchTemplateName` is 2-128 characters.", "`LaunchTemplateName`的长度为 2 到 128 个字符。";
    template_no_version(id, version) => "The launch template `{id}` has no version {version}.", "实例启动模板`{id}`没有版本 {version}。";
    template_not_found_any() => "The launch template does not exist.", "实例启动模板不存在。";
    template_quota(max) => "A region holds at most {max} launch templates.", "每个地域最多 {max} 个实例启动模板。";
    termination_protected(id) => "The instance `{id}` has termination protection.", "实例`{id}`开启了实例销毁保护。";
    timestamp_not_seconds() => "`X-TC-Timestamp` must be Unix seconds.", "`X-TC-Timestamp`必须是 Unix 时间戳（秒）。";
    token_invalid() => "The X-TC-Token is invalid or expired.", "X-TC-Token 错误或已过期。";
    token_missing() => "This temporary credential needs its X-TC-Token.", "临时证书缺少 X-TC-Token。";
    type_bandwidth_cap(t, max) => "{t} carries at most {max} Mbps.", "机型 {t} 的带宽上限为 {max} Mbps。";
    type_not_offered(t, zone) => "{t} is not offered in {zone}.", "{zone}不提供机型 {t}。";
    type_not_spot(t) => "{t} is not sold as spot.", "机型 {t} 不以竞价方式售卖。";
    type_sold_out(t, zone) => "{t} is sold out in {zone}.", "机型 {t} 在{zone}已售罄。";
    upgrade_costs(diff) => "The upgrade costs {diff:.2}, more than the balance.", "升级需要 {diff:.2}，超过账户余额。";
    user_data_format() => "`UserData` must be Base64 of at most 16 KB.", "`UserData`必须是不超过 16 KB 的 Base64 编码。";
    version_not_found(v) => "The API version `{v}` does not exist.", "接口版本`{v}`不存在。";
    vpc_no_ipv6() => "The VPC has no IPv6 block.", "私有网络没有 IPv6 网段。";
    vpc_no_subnet_here() => "The VPC has no subnet in this zone.", "私有网络在该可用区没有子网。";
    windows_no_key_pairs() => "Windows instances do not support key pairs.", "Windows 实例不支持密钥对。";
    windows_no_key_pairs_on(id) => "The instance `{id}` runs Windows, which takes no key pairs.", "实例`{id}`运行 Windows，不支持密钥对。";
    zone_mismatch(zone, region) => "The zone `{zone}` does not belong to region {region}.", "可用区`{zone}`不属于地域 {region}。";
    zone_not_in_region(z) => "The zone `{z}` is not in this region.", "可用区`{z}`不在本地域。";
    zone_sold_out(zone) => "The zone `{zone}` is sold out.", "可用区`{zone}`已售罄。";
    zone_sold_out_any() => "The zone is sold out.", "可用区已售罄。";
    zone_unsupported(zone) => "The zone `{zone}` is not supported.", "不支持可用区`{zone}`。";
    // STS and the tag service.
    token_expired() => "The temporary credential has expired: assume the role again.", "临时证书已过期，请重新申请。";
    session_name_invalid() => "RoleSessionName must be 2-128 characters of [\\w+=,.@_-].", "RoleSessionName 长度在 2 到 128 之间，只能包含字母、数字和 +=,.@_-。";
    duration_out_of_range(d, max) => "DurationSeconds {d} is outside 0-{max}.", "DurationSeconds {d} 超出 0 到 {max} 的范围。";
    role_arn_malformed(arn) => "The RoleArn `{arn}` is malformed.", "RoleArn`{arn}`格式错误。";
    role_not_found(arn) => "The role `{arn}` does not exist.", "角色`{arn}`不存在。";
    role_not_trusted(account, arn) => "The account {account} is not a carrier of the role `{arn}` and may not assume it.", "账号 {account} 不是角色`{arn}`的载体，无权扮演该角色。";
    tag_invalid(field, value, rule_en, rule_zh) => "{field} `{value}` {rule_en}.", "{field}`{value}`不合法：{rule_zh}。";
    resource_not_six_segment(resource) => "The resource `{resource}` is not a six-segment resource name.", "资源`{resource}`不是合法的资源六段式。";
    service_type_unsupported(service) => "The service `{service}` is not supported here.", "不支持的业务类型`{service}`。";
    region_invalid(region) => "The region `{region}` is invalid.", "地域`{region}`无效。";
    resource_prefix_unsupported(resource) => "The resource prefix in `{resource}` is not supported.", "资源`{resource}`的资源前缀不支持。";
    too_many_resources(max) => "At most {max} resources per request.", "单次请求最多 {max} 个资源。";
    too_many_tags(max) => "At most {max} tags per request.", "单次请求最多 {max} 个标签。";
    other_account_resource() => "The resource belongs to another account.", "资源不属于当前账号。";
    too_many_attached(max) => "A resource carries at most {max} tags.", "单个资源最多绑定 {max} 个标签。";
    delete_tags_invalid() => "Give ReplaceTags or DeleteTags (not empty, at most 10, no key in both).", "ReplaceTags 和 DeleteTags 必须存在其一，不能为空数组、不超过 10 个，且不能包含相同的标签键。";
}

#[cfg(test)]
mod tests {
    use super::*;

    fn has_cjk(s: &str) -> bool {
        s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    }

    /// Both languages are there by construction; this checks that each is the language it
    /// claims: an English message has no Chinese, a Chinese one has Chinese.
    #[test]
    fn every_entry_is_english_and_chinese() {
        let all = samples();
        assert!(all.len() > 150, "{}", all.len());
        let mut seen = std::collections::BTreeSet::new();
        for (name, t) in &all {
            assert!(seen.insert(name), "{name} twice");
            assert!(
                !t.en.trim().is_empty() && !has_cjk(&t.en),
                "{name}: {:?}",
                t.en
            );
            assert!(
                has_cjk(&t.zh) || t.zh.contains("DryRun"),
                "{name}: {:?}",
                t.zh
            );
            assert_ne!(t.en, t.zh, "{name}");
        }
    }

    #[test]
    fn shared_shapes_name_the_thing_in_each_language() {
        let t = malformed(Thing::Instance, &"ins-1");
        assert_eq!(t.get(Lang::En), "The instance id `ins-1` is malformed.");
        assert_eq!(t.get(Lang::Zh), "实例 ID`ins-1`格式错误。");
        let t = not_found(Thing::KeyPair, &"skey-1");
        assert_eq!(t.get(Lang::Zh), "密钥对`skey-1`不存在。");
        let t = invalid_value(&"StopType", not_one_of(&"X", &["SOFT", "HARD"]));
        assert_eq!(
            t.get(Lang::En),
            "The value of parameter `StopType` is invalid: `X` is not SOFT or HARD."
        );
        assert!(t.get(Lang::Zh).starts_with("参数`StopType`的取值错误"));
        let t = invalid_type(&"Limit", Type::Integer);
        assert_eq!(t.get(Lang::Zh), "参数`Limit`的类型错误，应为整数。");
    }
}
