//! The fixed "real world": regions, zones, public images, instance families and prices.
//! It does not depend on the seed: a zone that sells S5 sells it in every run.

use crate::rng::stable_hash;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

pub struct RegionInfo {
    pub id: &'static str,
    pub name_en: &'static str,
    pub name_zh: &'static str,
    /// City part of zone names.
    pub city_en: &'static str,
    pub city_zh: &'static str,
    /// (zone number, ZoneId, available)
    pub zones: &'static [(u8, u32, bool)],
    pub spot: bool,
}

/// Regions accepted by today's CVM APIs (reference §8.1) with their zones (§8.2).
/// ap-shanghai-fsi zone ids are not published; 700002.. is our own placeholder.
pub static REGIONS: &[RegionInfo] = &[
    RegionInfo {
        id: "ap-guangzhou",
        name_en: "South China (Guangzhou)",
        name_zh: "华南地区(广州)",
        city_en: "Guangzhou",
        city_zh: "广州",
        zones: &[
            (1, 100001, false),
            (2, 100002, false),
            (3, 100003, true),
            (4, 100004, true),
            (6, 100006, true),
            (7, 100007, true),
        ],
        spot: true,
    },
    RegionInfo {
        id: "ap-shanghai",
        name_en: "East China (Shanghai)",
        name_zh: "华东地区(上海)",
        city_en: "Shanghai",
        city_zh: "上海",
        zones: &[
            (2, 200002, true),
            (3, 200003, true),
            (4, 200004, true),
            (5, 200005, true),
            (8, 200008, true),
        ],
        spot: true,
    },
    RegionInfo {
        id: "ap-nanjing",
        name_en: "East China (Nanjing)",
        name_zh: "华东地区(南京)",
        city_en: "Nanjing",
        city_zh: "南京",
        zones: &[(1, 330001, true), (2, 330002, true), (3, 330003, true)],
        spot: true,
    },
    RegionInfo {
        id: "ap-beijing",
        name_en: "North China (Beijing)",
        name_zh: "华北地区(北京)",
        city_en: "Beijing",
        city_zh: "北京",
        zones: &[
            (1, 800001, false),
            (3, 800003, true),
            (4, 800004, true),
            (5, 800005, true),
            (6, 800006, true),
            (7, 800007, true),
        ],
        spot: true,
    },
    RegionInfo {
        id: "ap-chengdu",
        name_en: "Southwest China (Chengdu)",
        name_zh: "西南地区(成都)",
        city_en: "Chengdu",
        city_zh: "成都",
        zones: &[(1, 160001, true), (2, 160002, true)],
        spot: true,
    },
    RegionInfo {
        id: "ap-chongqing",
        name_en: "Southwest China (Chongqing)",
        name_zh: "西南地区(重庆)",
        city_en: "Chongqing",
        city_zh: "重庆",
        zones: &[(1, 190001, true)],
        spot: false,
    },
    RegionInfo {
        id: "ap-hongkong",
        name_en: "Hong Kong (China), Macao (China), and Taiwan (China) (Hong Kong (China))",
        name_zh: "港澳台地区(中国香港)",
        city_en: "Hong Kong",
        city_zh: "香港",
        zones: &[(1, 300001, false), (2, 300002, true), (3, 300003, true)],
        spot: true,
    },
    RegionInfo {
        id: "ap-shenzhen-fsi",
        name_en: "South China (Shenzhen Finance)",
        name_zh: "华南地区(深圳金融)",
        city_en: "Shenzhen Finance",
        city_zh: "深圳金融",
        zones: &[(1, 110001, true), (2, 110002, true), (3, 110003, false)],
        spot: false,
    },
    RegionInfo {
        id: "ap-shanghai-fsi",
        name_en: "East China (Shanghai Finance)",
        name_zh: "华东地区(上海金融)",
        city_en: "Shanghai Finance",
        city_zh: "上海金融",
        zones: &[(2, 700002, true), (3, 700003, true), (4, 700004, true)],
        spot: false,
    },
    RegionInfo {
        id: "ap-singapore",
        name_en: "Asia-Pacific Southeast (Singapore)",
        name_zh: "亚太东南(新加坡)",
        city_en: "Singapore",
        city_zh: "新加坡",
        zones: &[
            (1, 900001, true),
            (2, 900002, true),
            (3, 900003, true),
            (4, 900004, true),
        ],
        spot: true,
    },
    RegionInfo {
        id: "ap-jakarta",
        name_en: "Southeast Asia (Jakarta)",
        name_zh: "亚太东南(雅加达)",
        city_en: "Jakarta",
        city_zh: "雅加达",
        zones: &[(1, 720001, true), (2, 720002, true)],
        spot: true,
    },
    RegionInfo {
        id: "ap-bangkok",
        name_en: "Southeast Asia (Bangkok)",
        name_zh: "亚太东南(曼谷)",
        city_en: "Bangkok",
        city_zh: "曼谷",
        zones: &[(1, 230001, true), (2, 230002, true)],
        spot: true,
    },
    RegionInfo {
        id: "ap-seoul",
        name_en: "Northeast Asia (Seoul)",
        name_zh: "亚太东北(首尔)",
        city_en: "Seoul",
        city_zh: "首尔",
        zones: &[(1, 180001, true), (2, 180002, true)],
        spot: true,
    },
    RegionInfo {
        id: "ap-tokyo",
        name_en: "Northeast Asia (Tokyo)",
        name_zh: "亚太东北(东京)",
        city_en: "Tokyo",
        city_zh: "东京",
        zones: &[(1, 250001, true), (2, 250002, true)],
        spot: true,
    },
    RegionInfo {
        id: "na-siliconvalley",
        name_en: "West US (Silicon Valley)",
        name_zh: "美国西部(硅谷)",
        city_en: "Silicon Valley",
        city_zh: "硅谷",
        zones: &[(1, 150001, true), (2, 150002, true)],
        spot: true,
    },
    RegionInfo {
        id: "na-ashburn",
        name_en: "US East (Virginia)",
        name_zh: "美国东部(弗吉尼亚)",
        city_en: "Virginia",
        city_zh: "弗吉尼亚",
        zones: &[(1, 220001, true), (2, 220002, true)],
        spot: true,
    },
    RegionInfo {
        id: "eu-frankfurt",
        name_en: "Europe (Frankfurt)",
        name_zh: "欧洲地区(法兰克福)",
        city_en: "Frankfurt",
        city_zh: "法兰克福",
        zones: &[(1, 170001, true), (2, 170002, true)],
        spot: true,
    },
    RegionInfo {
        id: "sa-saopaulo",
        name_en: "South America (Sao Paulo)",
        name_zh: "南美地区(圣保罗)",
        city_en: "Sao Paulo",
        city_zh: "圣保罗",
        zones: &[(1, 740001, true)],
        spot: false,
    },
];

pub fn region(id: &str) -> Option<&'static RegionInfo> {
    REGIONS.iter().find(|r| r.id == id)
}

pub struct ZoneInfo {
    pub region: &'static RegionInfo,
    pub zone: String,
    pub number: u8,
    pub zone_id: u32,
    pub available: bool,
}

impl ZoneInfo {
    pub fn name(&self, lang: Lang) -> String {
        const NUM: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
        match lang {
            Lang::En => format!("{} Zone {}", self.region.city_en, self.number),
            Lang::Zh => format!(
                "{}{}区",
                self.region.city_zh,
                NUM.get(self.number as usize).copied().unwrap_or("")
            ),
        }
    }
}

pub fn zones(region: &'static RegionInfo) -> Vec<ZoneInfo> {
    region
        .zones
        .iter()
        .map(|&(n, id, available)| ZoneInfo {
            region,
            zone: format!("{}-{n}", region.id),
            number: n,
            zone_id: id,
            available,
        })
        .collect()
}

/// Finds a zone anywhere, so a zone of another region can be told apart from a bogus one.
pub fn find_zone(zone: &str) -> Option<ZoneInfo> {
    REGIONS.iter().flat_map(zones).find(|z| z.zone == zone)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arch {
    X86,
    Arm,
}

impl Arch {
    pub fn as_str(self) -> &'static str {
        match self {
            Arch::X86 => "x86_64",
            Arch::Arm => "arm",
        }
    }
}

pub struct Image {
    pub id: &'static str,
    pub name: &'static str,
    pub os_name: &'static str,
    pub platform: &'static str,
    pub arch: Arch,
    pub size: i64,
    pub windows: bool,
    pub login_user: &'static str,
    pub created: &'static str,
}

/// Public images (the same ids in every region, as Tencent's official images are).
/// Ids from the docs where known (reference §8.4), made up in the same shape otherwise.
pub static IMAGES: &[Image] = &[
    Image {
        id: "img-6n21msk1",
        name: "TencentOS Server 4 for x86_64",
        os_name: "TencentOS Server 4 for x86_64",
        platform: "TencentOS",
        arch: Arch::X86,
        size: 20,
        windows: false,
        login_user: "root",
        created: "2024-11-20T08:00:00Z",
    },
    Image {
        id: "img-7rqxtnh9",
        name: "TencentOS Server 3.3 (TK4)",
        os_name: "TencentOS Server 3.3 (TK4)",
        platform: "TencentOS",
        arch: Arch::X86,
        size: 20,
        windows: false,
        login_user: "root",
        created: "2024-06-12T08:00:00Z",
    },
    Image {
        id: "img-9a0eg8mt",
        name: "TencentOS Server 3.1 for ARM64 (TK4)",
        os_name: "TencentOS Server 3.1 for ARM64 (TK4)",
        platform: "TencentOS",
        arch: Arch::Arm,
        size: 20,
        windows: false,
        login_user: "root",
        created: "2023-03-02T08:00:00Z",
    },
    Image {
        id: "img-j5e5hadz",
        name: "OpenCloudOS Server 9",
        os_name: "OpenCloudOS Server 9",
        platform: "OpenCloudOS",
        arch: Arch::X86,
        size: 20,
        windows: false,
        login_user: "root",
        created: "2024-03-18T08:00:00Z",
    },
    Image {
        id: "img-ocs9arm1",
        name: "OpenCloudOS Server 9 for ARM64",
        os_name: "OpenCloudOS Server 9 for ARM64",
        platform: "OpenCloudOS",
        arch: Arch::Arm,
        size: 20,
        windows: false,
        login_user: "root",
        created: "2024-03-18T08:00:00Z",
    },
    Image {
        id: "img-487zeit5",
        name: "Ubuntu Server 22.04 LTS 64bit",
        os_name: "Ubuntu Server 22.04 LTS 64bit",
        platform: "Ubuntu",
        arch: Arch::X86,
        size: 20,
        windows: false,
        login_user: "ubuntu",
        created: "2022-05-10T08:00:00Z",
    },
    Image {
        id: "img-mmytdhbn",
        name: "Ubuntu Server 24.04 LTS 64bit",
        os_name: "Ubuntu Server 24.04 LTS 64bit",
        platform: "Ubuntu",
        arch: Arch::X86,
        size: 20,
        windows: false,
        login_user: "ubuntu",
        created: "2024-05-08T08:00:00Z",
    },
    Image {
        id: "img-pmqg1cw7",
        name: "Ubuntu Server 20.04 LTS 64bit",
        os_name: "Ubuntu Server 20.04 LTS 64bit",
        platform: "Ubuntu",
        arch: Arch::X86,
        size: 20,
        windows: false,
        login_user: "ubuntu",
        created: "2020-05-12T08:00:00Z",
    },
    Image {
        id: "img-u22arm64",
        name: "Ubuntu Server 22.04 LTS 64bit for ARM64",
        os_name: "Ubuntu Server 22.04 LTS 64bit for ARM64",
        platform: "Ubuntu",
        arch: Arch::Arm,
        size: 20,
        windows: false,
        login_user: "ubuntu",
        created: "2022-06-01T08:00:00Z",
    },
    Image {
        id: "img-deb12x64",
        name: "Debian 12.0 64bit",
        os_name: "Debian 12.0 64bit",
        platform: "Debian",
        arch: Arch::X86,
        size: 20,
        windows: false,
        login_user: "root",
        created: "2023-07-01T08:00:00Z",
    },
    Image {
        id: "img-9qabwvbn",
        name: "CentOS 7.6 64位",
        os_name: "CentOS 7.6 64bit",
        platform: "CentOS",
        arch: Arch::X86,
        size: 50,
        windows: false,
        login_user: "root",
        created: "2019-02-20T08:00:00Z",
    },
    Image {
        id: "img-l8og963d",
        name: "CentOS 7.9 64位",
        os_name: "CentOS 7.9 64bit",
        platform: "CentOS",
        arch: Arch::X86,
        size: 20,
        windows: false,
        login_user: "root",
        created: "2020-12-01T08:00:00Z",
    },
    Image {
        id: "img-19mu3fy3",
        name: "CentOS 8.0 64位",
        os_name: "CentOS 8.0 64bit",
        platform: "CentOS",
        arch: Arch::X86,
        size: 20,
        windows: false,
        login_user: "root",
        created: "2019-11-01T08:00:00Z",
    },
    Image {
        id: "img-rocky92x",
        name: "Rocky Linux 9.2 64bit",
        os_name: "Rocky Linux 9.2 64bit",
        platform: "Rocky Linux",
        arch: Arch::X86,
        size: 20,
        windows: false,
        login_user: "root",
        created: "2023-06-01T08:00:00Z",
    },
    Image {
        id: "img-w2022dcn",
        name: "Windows Server 2022 数据中心版 64位中文版",
        os_name: "Windows Server 2022 DataCenter 64bit CN",
        platform: "Windows",
        arch: Arch::X86,
        size: 50,
        windows: true,
        login_user: "Administrator",
        created: "2022-01-10T08:00:00Z",
    },
    Image {
        id: "img-w2019den",
        name: "Windows Server 2019 数据中心版 64位英文版",
        os_name: "Windows Server 2019 DataCenter 64bit EN",
        platform: "Windows",
        arch: Arch::X86,
        size: 50,
        windows: true,
        login_user: "Administrator",
        created: "2019-06-10T08:00:00Z",
    },
];

pub fn image(id: &str) -> Option<&'static Image> {
    IMAGES.iter().find(|i| i.id == id)
}

#[derive(Debug)]
pub struct Family {
    pub name: &'static str,
    pub type_en: &'static str,
    pub type_zh: &'static str,
    pub cpu_type: &'static str,
    pub frequency: &'static str,
    pub arch: Arch,
    /// Price per vCPU and per GiB per month (CNY), before the family factor.
    pub factor: f64,
    pub gpu_type: &'static str,
    /// One GPU per this many vCPUs (at least one); 0 for a family without GPUs.
    pub vcpus_per_gpu: i64,
    pub spot: bool,
    /// Size names; a name gives its shape (see `size_shape`).
    pub sizes: &'static [&'static str],
}

/// vCPUs and GiB of a size name, by Tencent's naming: `SMALL` 1 vCPU, `MEDIUM` 2, `LARGE`
/// 4, `nXLARGE` 4n; the number after it is the memory in GiB (`2XLARGE32`: 8 vCPU, 32 GiB).
pub fn size_shape(size: &str) -> Option<(i64, i64)> {
    let digits = |s: &str| s.bytes().take_while(u8::is_ascii_digit).count();
    let n = digits(size);
    let times: i64 = if n == 0 { 1 } else { size[..n].parse().ok()? };
    let rest = &size[n..];
    let (cpu, memory) = [("XLARGE", 4), ("LARGE", 4), ("MEDIUM", 2), ("SMALL", 1)]
        .iter()
        .find_map(|(word, cpu)| rest.strip_prefix(word).map(|m| (cpu, m)))?;
    if n > 0 && !rest.starts_with("XLARGE") || memory.is_empty() || digits(memory) != memory.len() {
        return None;
    }
    Some((times * cpu, memory.parse().ok()?))
}

pub static FAMILIES: &[Family] = &[
    Family {
        name: "S5",
        type_en: "Standard S5",
        type_zh: "标准型S5",
        cpu_type: "Intel Xeon Cascade Lake 8255C",
        frequency: "2.5/3.1GHz",
        arch: Arch::X86,
        factor: 1.0,
        gpu_type: "",
        vcpus_per_gpu: 0,
        spot: true,
        sizes: &[
            "SMALL1",
            "SMALL2",
            "SMALL4",
            "MEDIUM2",
            "MEDIUM4",
            "MEDIUM8",
            "LARGE8",
            "LARGE16",
            "2XLARGE16",
            "2XLARGE32",
            "4XLARGE32",
            "4XLARGE64",
            "8XLARGE64",
            "12XLARGE96",
            "16XLARGE256",
        ],
    },
    Family {
        name: "S6",
        type_en: "Standard S6",
        type_zh: "标准型S6",
        cpu_type: "Intel Xeon Ice Lake 8374C",
        frequency: "2.7/3.3GHz",
        arch: Arch::X86,
        factor: 1.05,
        gpu_type: "",
        vcpus_per_gpu: 0,
        spot: true,
        sizes: &[
            "MEDIUM4",
            "MEDIUM8",
            "LARGE8",
            "LARGE16",
            "2XLARGE16",
            "2XLARGE32",
            "4XLARGE64",
            "8XLARGE128",
        ],
    },
    Family {
        name: "SA2",
        type_en: "Standard SA2",
        type_zh: "标准型SA2",
        cpu_type: "AMD EPYC ROME 7K62",
        frequency: "2.6/3.3GHz",
        arch: Arch::X86,
        factor: 0.8,
        gpu_type: "",
        vcpus_per_gpu: 0,
        spot: true,
        sizes: &[
            "SMALL1",
            "SMALL2",
            "SMALL4",
            "MEDIUM4",
            "MEDIUM8",
            "LARGE8",
            "LARGE16",
            "2XLARGE16",
            "2XLARGE32",
            "4XLARGE64",
            "32XLARGE256",
        ],
    },
    Family {
        name: "SA3",
        type_en: "Standard SA3",
        type_zh: "标准型SA3",
        cpu_type: "AMD EPYC Milan 7K83",
        frequency: "2.55/3.5GHz",
        arch: Arch::X86,
        factor: 0.85,
        gpu_type: "",
        vcpus_per_gpu: 0,
        spot: true,
        sizes: &[
            "MEDIUM4",
            "MEDIUM8",
            "LARGE8",
            "LARGE16",
            "2XLARGE16",
            "2XLARGE32",
            "4XLARGE64",
        ],
    },
    Family {
        name: "SA5",
        type_en: "Standard SA5",
        type_zh: "标准型SA5",
        cpu_type: "AMD EPYC Bergamo 9754",
        frequency: "2.25/3.1GHz",
        arch: Arch::X86,
        factor: 0.9,
        gpu_type: "",
        vcpus_per_gpu: 0,
        spot: true,
        sizes: &["MEDIUM2", "MEDIUM4", "LARGE8", "LARGE16", "2XLARGE32"],
    },
    Family {
        name: "M5",
        type_en: "Memory Optimized M5",
        type_zh: "内存型M5",
        cpu_type: "Intel Xeon Cascade Lake 8255C",
        frequency: "2.5/3.1GHz",
        arch: Arch::X86,
        factor: 1.1,
        gpu_type: "",
        vcpus_per_gpu: 0,
        spot: true,
        sizes: &["MEDIUM16", "LARGE32", "2XLARGE64", "4XLARGE128"],
    },
    Family {
        name: "C5",
        type_en: "Compute Optimized C5",
        type_zh: "计算型C5",
        cpu_type: "Intel Xeon Cascade Lake 6231C",
        frequency: "3.4/3.9GHz",
        arch: Arch::X86,
        factor: 1.3,
        gpu_type: "",
        vcpus_per_gpu: 0,
        spot: false,
        sizes: &["LARGE8", "2XLARGE16", "4XLARGE32"],
    },
    Family {
        name: "SR1",
        type_en: "Standard ARM SR1",
        type_zh: "标准型SR1",
        cpu_type: "Ampere Altra",
        frequency: "2.8/3.0GHz",
        arch: Arch::Arm,
        factor: 0.7,
        gpu_type: "",
        vcpus_per_gpu: 0,
        spot: false,
        sizes: &["MEDIUM4", "LARGE8", "2XLARGE16"],
    },
    Family {
        name: "GN7",
        type_en: "GPU Compute GN7",
        type_zh: "GPU计算型GN7",
        cpu_type: "Intel Xeon Cascade Lake 8255C",
        frequency: "2.5/3.1GHz",
        arch: Arch::X86,
        factor: 1.0,
        gpu_type: "NVIDIA T4",
        vcpus_per_gpu: 20,
        spot: false,
        sizes: &["2XLARGE32", "5XLARGE80", "10XLARGE160", "20XLARGE320"],
    },
];

#[derive(Clone, Debug)]
pub struct InstanceType {
    pub name: String,
    pub family: &'static Family,
    pub cpu: i64,
    pub memory: i64,
    pub gpu: i64,
}

impl InstanceType {
    /// Largest public bandwidth (Mbps) the type can carry.
    pub fn max_bandwidth(&self) -> i64 {
        match self.cpu {
            1 => 50,
            2 => 100,
            _ => 200,
        }
    }
    /// List price per month (CNY).
    pub fn monthly(&self) -> f64 {
        round2(
            (self.cpu as f64 * 40.0 + self.memory as f64 * 12.0 + self.gpu as f64 * 1800.0)
                * self.family.factor,
        )
    }
    /// Postpaid list price per hour (CNY), first tier (0–96 h).
    pub fn hourly(&self) -> f64 {
        round2((self.monthly() / 720.0 * 2.2).max(0.01))
    }
}

pub fn instance_types() -> Vec<InstanceType> {
    FAMILIES
        .iter()
        .flat_map(|f| {
            f.sizes.iter().filter_map(move |size| {
                let (cpu, memory) = size_shape(size)?;
                Some(InstanceType {
                    name: format!("{}.{size}", f.name),
                    family: f,
                    cpu,
                    memory,
                    gpu: if f.vcpus_per_gpu > 0 {
                        (cpu / f.vcpus_per_gpu).max(1)
                    } else {
                        0
                    },
                })
            })
        })
        .collect()
}

pub fn instance_type(name: &str) -> Option<InstanceType> {
    instance_types().into_iter().find(|t| t.name == name)
}

/// Stock of a type in a zone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stock {
    /// Not offered in this zone at all.
    NotOffered,
    Sell,
    SoldOut,
}

pub fn stock(zone: &ZoneInfo, t: &InstanceType) -> Stock {
    let h = stable_hash(&[&zone.zone, &t.name]);
    let fam = stable_hash(&[&zone.zone, t.family.name]);
    // GPU and ARM families exist in about a third of the zones; everything else almost everywhere.
    let offered = match t.family.name {
        "GN7" | "SR1" => fam.is_multiple_of(3) || zone.number == 3,
        _ => !fam.is_multiple_of(11),
    };
    if !offered {
        Stock::NotOffered
    } else if !zone.available || h.is_multiple_of(10) {
        Stock::SoldOut
    } else {
        Stock::Sell
    }
}

pub fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Prepaid discount (percent of list) for a period in months: 1 year 83, 2 years 70, 3 years 50, 5 years 30.
pub fn prepaid_discount(period: i64) -> f64 {
    match period {
        p if p >= 60 => 30.0,
        p if p >= 36 => 50.0,
        p if p >= 24 => 70.0,
        p if p >= 12 => 83.0,
        _ => 100.0,
    }
}

pub const VALID_PERIODS: &[i64] = &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 24, 36, 48, 60];

/// Spot price per hour: a fixed 20 % of the postpaid list price.
pub fn spot_hourly(t: &InstanceType) -> f64 {
    round2((t.hourly() * 0.2).max(0.01))
}

/// Disk price per GiB per month.
pub fn disk_monthly_per_gb(disk_type: &str) -> f64 {
    match disk_type {
        "CLOUD_BASIC" => 0.3,
        "CLOUD_PREMIUM" => 0.35,
        "CLOUD_BSSD" => 0.5,
        "CLOUD_SSD" => 1.0,
        "CLOUD_HSSD" => 1.2,
        "CLOUD_TSSD" => 2.0,
        _ => 0.0,
    }
}

pub const SYSTEM_DISK_TYPES: &[&str] = &[
    "LOCAL_BASIC",
    "LOCAL_SSD",
    "CLOUD_BASIC",
    "CLOUD_SSD",
    "CLOUD_PREMIUM",
    "CLOUD_BSSD",
    "CLOUD_HSSD",
    "CLOUD_TSSD",
];
pub const DATA_DISK_TYPES: &[&str] = &[
    "LOCAL_BASIC",
    "LOCAL_SSD",
    "LOCAL_NVME",
    "LOCAL_PRO",
    "CLOUD_BASIC",
    "CLOUD_SSD",
    "CLOUD_PREMIUM",
    "CLOUD_BSSD",
    "CLOUD_HSSD",
    "CLOUD_TSSD",
];
pub const INTERNET_CHARGE_TYPES: &[&str] = &[
    "BANDWIDTH_PREPAID",
    "TRAFFIC_POSTPAID_BY_HOUR",
    "BANDWIDTH_POSTPAID_BY_HOUR",
    "BANDWIDTH_PACKAGE",
];
pub const RENEW_FLAGS: &[&str] = &[
    "NOTIFY_AND_AUTO_RENEW",
    "NOTIFY_AND_MANUAL_RENEW",
    "DISABLE_NOTIFY_AND_MANUAL_RENEW",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalog_shapes() {
        assert!(REGIONS.len() >= 18);
        let gz = region("ap-guangzhou").unwrap();
        let z = &zones(gz)[2];
        assert_eq!(z.zone, "ap-guangzhou-3");
        assert_eq!(z.zone_id, 100003);
        assert_eq!(z.name(Lang::En), "Guangzhou Zone 3");
        assert_eq!(z.name(Lang::Zh), "广州三区");
        let t = instance_type("S5.MEDIUM4").unwrap();
        assert_eq!((t.cpu, t.memory), (2, 4));
        assert_eq!(instance_type("GN7.2XLARGE32").unwrap().gpu, 1);
        // Sold-out zones sell nothing.
        assert!(
            instance_types()
                .iter()
                .all(|t| stock(&zones(gz)[0], t) != Stock::Sell)
        );
        // Every available zone sells at least something.
        for r in REGIONS {
            for z in zones(r).iter().filter(|z| z.available) {
                assert!(
                    instance_types().iter().any(|t| stock(z, t) == Stock::Sell),
                    "{}",
                    z.zone
                );
            }
        }
    }

    /// Every type's vCPUs, GiB and GPUs, as the catalog listed them before shapes were read
    /// from the size names.
    #[test]
    fn size_names_give_the_listed_shapes() {
        let listed = "S5.SMALL1:1/1/0 S5.SMALL2:1/2/0 S5.SMALL4:1/4/0 S5.MEDIUM2:2/2/0 S5.MEDIUM4:2/4/0 S5.MEDIUM8:2/8/0 S5.LARGE8:4/8/0 S5.LARGE16:4/16/0 S5.2XLARGE16:8/16/0 S5.2XLARGE32:8/32/0 S5.4XLARGE32:16/32/0 S5.4XLARGE64:16/64/0 S5.8XLARGE64:32/64/0 S5.12XLARGE96:48/96/0 S5.16XLARGE256:64/256/0 S6.MEDIUM4:2/4/0 S6.MEDIUM8:2/8/0 S6.LARGE8:4/8/0 S6.LARGE16:4/16/0 S6.2XLARGE16:8/16/0 S6.2XLARGE32:8/32/0 S6.4XLARGE64:16/64/0 S6.8XLARGE128:32/128/0 SA2.SMALL1:1/1/0 SA2.SMALL2:1/2/0 SA2.SMALL4:1/4/0 SA2.MEDIUM4:2/4/0 SA2.MEDIUM8:2/8/0 SA2.LARGE8:4/8/0 SA2.LARGE16:4/16/0 SA2.2XLARGE16:8/16/0 SA2.2XLARGE32:8/32/0 SA2.4XLARGE64:16/64/0 SA2.32XLARGE256:128/256/0 SA3.MEDIUM4:2/4/0 SA3.MEDIUM8:2/8/0 SA3.LARGE8:4/8/0 SA3.LARGE16:4/16/0 SA3.2XLARGE16:8/16/0 SA3.2XLARGE32:8/32/0 SA3.4XLARGE64:16/64/0 SA5.MEDIUM2:2/2/0 SA5.MEDIUM4:2/4/0 SA5.LARGE8:4/8/0 SA5.LARGE16:4/16/0 SA5.2XLARGE32:8/32/0 M5.MEDIUM16:2/16/0 M5.LARGE32:4/32/0 M5.2XLARGE64:8/64/0 M5.4XLARGE128:16/128/0 C5.LARGE8:4/8/0 C5.2XLARGE16:8/16/0 C5.4XLARGE32:16/32/0 SR1.MEDIUM4:2/4/0 SR1.LARGE8:4/8/0 SR1.2XLARGE16:8/16/0 GN7.2XLARGE32:8/32/1 GN7.5XLARGE80:20/80/1 GN7.10XLARGE160:40/160/2 GN7.20XLARGE320:80/320/4";
        let types = instance_types();
        assert_eq!(types.len(), listed.split(' ').count());
        for (t, want) in types.iter().zip(listed.split(' ')) {
            let got = format!("{}:{}/{}/{}", t.name, t.cpu, t.memory, t.gpu);
            assert_eq!(got, want);
        }
        assert_eq!(size_shape("XLARGE8"), Some((4, 8)));
        for bad in ["", "2LARGE8", "MEDIUM", "HUGE4", "LARGE8X", "2XLARGE"] {
            assert_eq!(size_shape(bad), None, "{bad}");
        }
    }
}
