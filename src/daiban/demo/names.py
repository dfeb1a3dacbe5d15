"""Word lists of the demo district: people, enterprises, departments and project names (pure data).

Every name is invented. Phones are 138-0000-xxxx numbers, stored as 11 digits (``1380000xxxx``), so nobody
mistakes demo data for real contacts.
"""

from __future__ import annotations

import random

ZONE = "京南经济技术开发区"
REGION_CODE = "110115"  # the 6-digit administrative division code used in USCCs and project codes

# ------------------------------------------------------------------------------------------ people

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN_CHARACTERS = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红玲建国志文辉力斌鹏宇浩凯健俊峰帆欣悦佳雪婷琳"
    "晨阳昊天博文瑞思远子涵梓轩嘉怡雨萱宏亮海波晓东春梅丹凤永红国栋立新卫东振华德胜建军少华晓光"
)

# ------------------------------------------------------------------------------------------ departments

# (full name, short name, kind). The approval departments carry the catalogue's names exactly
# (reference/catalogue.yaml), so approval cases match them; the rest are responsible units (责任单位).
DEPARTMENTS: tuple[tuple[str, str, str], ...] = (
    ("区发展和改革委员会", "发改委", "both"),
    ("市规划和自然资源委员会区分局", "规自分局", "approval"),
    ("区住房和城乡建设委员会", "住建委", "both"),
    ("市生态环境局区分局", "生态环境局", "approval"),
    ("区水务局", "水务局", "both"),
    ("区人民防空办公室", "人防办", "approval"),
    ("区政务服务管理局", "政务服务局", "approval"),
    ("区地震局", "地震局", "approval"),
    ("市文物局", "文物局", "approval"),
    ("区城市建设档案馆", "城建档案馆", "approval"),
    ("区不动产登记中心", "不动产登记中心", "approval"),
    ("区财政局", "财政局", "both"),
    ("区经济和信息化局", "经信局", "responsible"),
    ("区城市管理委员会", "城管委", "responsible"),
    ("区商务局", "商务局", "responsible"),
    ("区科学技术委员会", "科委", "responsible"),
    ("区教育委员会", "教委", "responsible"),
    ("区卫生健康委员会", "卫健委", "responsible"),
    ("区交通局", "交通局", "responsible"),
    ("区投资促进服务中心", "投促中心", "responsible"),
)

# ------------------------------------------------------------------------------------------ industries

# Industry codes → the Chinese label shown as the project's 产业领域.
INDUSTRIES: dict[str, str] = {
    "it": "新一代信息技术",
    "bio": "生物医药",
    "auto": "高端汽车",
    "robot": "机器人",
    "ic": "集成电路",
    "energy": "新能源",
    "materials": "新材料",
    "services": "现代服务业",
    "road": "市政道路",
    "school": "学校",
    "hospital": "医院",
    "housing": "保障房",
    "tunnel": "综合管廊",
    "water": "水务环保",
    "park": "公园绿化",
}
INDUSTRIAL = ("it", "bio", "auto", "robot", "ic", "energy", "materials")
PUBLIC = ("road", "school", "hospital", "housing", "tunnel", "water", "park")

# How a district's list is made up (most of it is government investment), by project count.
INDUSTRY_WEIGHTS: dict[str, int] = {
    "it": 9,
    "bio": 9,
    "auto": 6,
    "robot": 5,
    "ic": 6,
    "energy": 5,
    "materials": 4,
    "services": 8,
    "road": 20,
    "school": 10,
    "hospital": 6,
    "housing": 10,
    "tunnel": 4,
    "water": 6,
    "park": 5,
}

# Typical total investment (万元): (low, high) of a log-uniform draw; a few industrial giants are added apart.
INVESTMENT_RANGE: dict[str, tuple[int, int]] = {
    "it": (30_000, 600_000),
    "bio": (20_000, 400_000),
    "auto": (50_000, 1_200_000),
    "robot": (15_000, 300_000),
    "ic": (80_000, 3_000_000),
    "energy": (20_000, 500_000),
    "materials": (15_000, 250_000),
    "services": (30_000, 800_000),
    "road": (8_000, 250_000),
    "school": (15_000, 90_000),
    "hospital": (40_000, 400_000),
    "housing": (50_000, 900_000),
    "tunnel": (60_000, 500_000),
    "water": (10_000, 200_000),
    "park": (5_000, 80_000),
}

# Project name endings per industry; "{x}" is replaced by a brand, a road or a place.
PROJECT_TEMPLATES: dict[str, tuple[str, ...]] = {
    "it": (
        "{x}人工智能算力中心项目",
        "{x}智能终端生产基地",
        "{x}工业互联网创新中心",
        "{x}服务器整机智能制造基地",
        "{x}新型显示模组生产线项目",
        "{x}5G通信设备研发生产基地",
        "{x}数据中心二期工程",
        "{x}软件与信息服务产业园",
    ),
    "bio": (
        "{x}创新药产业化基地",
        "{x}生物药生产基地项目",
        "{x}高端医疗器械产业化项目",
        "{x}细胞与基因治疗CDMO平台",
        "{x}疫苗研发生产基地",
        "{x}体外诊断试剂生产线项目",
        "{x}医药研发中心及中试基地",
        "{x}合成生物制造基地",
    ),
    "auto": (
        "{x}新能源整车智能制造基地",
        "{x}动力电池系统生产线项目",
        "{x}汽车电子产业园",
        "{x}智能网联汽车测试基地",
        "{x}电驱动系统生产基地",
        "{x}汽车零部件智能工厂",
    ),
    "robot": (
        "{x}人形机器人整机制造基地",
        "{x}工业机器人产业化项目",
        "{x}精密减速器生产线项目",
        "{x}服务机器人研发生产基地",
        "{x}具身智能创新中心",
        "{x}伺服电机及控制器生产项目",
    ),
    "ic": (
        "{x}12英寸集成电路生产线项目",
        "{x}集成电路装备产业化基地",
        "{x}半导体材料生产项目",
        "{x}先进封装测试基地",
        "{x}光刻胶及配套试剂生产线",
        "{x}芯片设计产业园",
    ),
    "energy": (
        "{x}氢能产业园",
        "{x}储能电池生产基地",
        "{x}光伏组件智能工厂",
        "{x}燃料电池系统生产线项目",
        "{x}新能源汽车充换电站网络建设项目",
        "{x}智慧能源站项目",
    ),
    "materials": (
        "{x}高性能复合材料生产线项目",
        "{x}电子特种气体生产项目",
        "{x}碳纤维制品智能工厂",
        "{x}特种陶瓷材料产业化项目",
        "{x}石墨烯新材料研发生产基地",
    ),
    "services": (
        "{x}总部大厦项目",
        "{x}科技服务中心",
        "{x}国际会展中心",
        "{x}商业综合体项目",
        "{x}人才公寓项目",
        "{x}智慧物流园",
        "{x}研发中试基地",
    ),
    "road": (
        "{x}（{y}至{z}）道路工程",
        "{x}道路及市政配套工程",
        "{x}改造提升工程",
        "{x}跨河桥梁工程",
        "{x}（{y}至{z}）大修工程",
    ),
    "school": (
        "{x}学校新建工程",
        "{x}第二小学建设项目",
        "{x}中学扩建工程",
        "{x}幼儿园新建工程",
        "{x}九年一贯制学校项目",
    ),
    "hospital": (
        "{x}医院迁建工程",
        "{x}医院二期工程",
        "{x}社区卫生服务中心建设项目",
        "{x}妇幼保健院新建工程",
    ),
    "housing": (
        "{x}保障性租赁住房项目",
        "{x}公共租赁住房项目",
        "{x}安置房项目（{y}地块）",
        "{x}共有产权房项目",
    ),
    "tunnel": ("{x}综合管廊工程", "{x}综合管廊（二期）工程"),
    "water": (
        "{x}再生水厂扩建工程",
        "{x}雨水泵站及管网工程",
        "{x}河道综合治理工程",
        "{x}污水管网完善工程",
    ),
    "park": ("{x}公园建设工程", "{x}绿道及口袋公园工程", "{x}生态廊道建设工程"),
}

# Government project units (项目单位): the zone's platform companies and public bodies.
# (name, USCC registration type: "91" company / "12" public institution / "11" government organ)
PUBLIC_OWNERS: dict[str, tuple[tuple[str, str], ...]] = {
    "road": (("京南开发区市政建设发展有限公司", "91"), ("京南开发区交通建设投资有限公司", "91")),
    "school": (("区教育委员会", "11"), ("京南开发区教育设施建设管理中心", "12")),
    "hospital": (("区卫生健康委员会", "11"), ("京南开发区医疗设施建设管理中心", "12")),
    "housing": (("京南开发区住房保障投资有限公司", "91"), ("京南开发区城市更新集团有限公司", "91")),
    "tunnel": (("京南开发区市政建设发展有限公司", "91"),),
    "water": (("京南开发区水务投资建设有限公司", "91"), ("区水务局", "11")),
    "park": (("京南开发区园林绿化建设中心", "12"), ("京南开发区城市运营服务有限公司", "91")),
}

# Which department is responsible (责任单位) for a project, by industry.
RESPONSIBLE: dict[str, str] = {
    "it": "区经济和信息化局",
    "bio": "区科学技术委员会",
    "auto": "区经济和信息化局",
    "robot": "区经济和信息化局",
    "ic": "区经济和信息化局",
    "energy": "区发展和改革委员会",
    "materials": "区经济和信息化局",
    "services": "区商务局",
    "road": "区交通局",
    "school": "区教育委员会",
    "hospital": "区卫生健康委员会",
    "housing": "区住房和城乡建设委员会",
    "tunnel": "区城市管理委员会",
    "water": "区水务局",
    "park": "区城市管理委员会",
}

# ------------------------------------------------------------------------------------------ enterprises

BRAND_FIRST = "华中京芯智博泰瑞康源创达恒远益科信联微思凯宇星辰海天金鼎盛昊安航睿云启明德诺正和润新"
BRAND_SECOND = "通讯维光迅捷合致锐晟弘峰越驰拓翔盈嘉腾禾岳澜铂曜川衡朗灏祥鸿"
# Industry words of an enterprise name.
ENTERPRISE_WORDS: dict[str, tuple[str, ...]] = {
    "it": ("信息技术", "智能科技", "数据科技", "通信技术", "电子科技"),
    "bio": ("生物科技", "医药", "生物制药", "医疗器械", "基因科技"),
    "auto": ("汽车", "新能源汽车", "汽车电子", "智能驾驶科技"),
    "robot": ("机器人", "智能装备", "精密传动", "自动化科技"),
    "ic": ("半导体", "微电子", "集成电路", "芯片科技"),
    "energy": ("新能源", "氢能科技", "储能技术", "能源科技"),
    "materials": ("新材料", "特种材料", "复合材料", "先进材料"),
    "services": ("置业", "商业管理", "科技服务", "供应链管理", "投资发展"),
}
ENTERPRISE_FORMS = ("有限公司", "股份有限公司", "科技有限公司")

# ------------------------------------------------------------------------------------------ places

ROADS = (
    "科创一街",
    "科创三街",
    "科创五街",
    "科创七街",
    "科创九街",
    "科创十一街",
    "科创十三街",
    "经海路",
    "兴业路",
    "融智路",
    "明德路",
    "博兴路",
    "同济路",
    "宏达路",
    "康定街",
    "永昌南路",
    "兴盛街",
    "凉水河路",
    "泰河路",
    "锦绣街",
    "隆盛大街",
    "运河东路",
    "金桥路",
    "通惠干渠路",
)
PLACES = (
    "亦城",
    "河西",
    "路东",
    "马驹桥",
    "瀛海",
    "旧宫",
    "台湖",
    "次渠",
    "鹿圈",
    "长子营",
    "青云店",
    "凉水河",
    "南海子",
    "博兴",
    "泰河",
    "林肯公园",
)
LAND_PARCELS = ("X01", "X02", "X05", "Y03", "Y07", "Z12", "Z15", "B21")

# ------------------------------------------------------------------------------------------ generators


def person_names(rng: random.Random, count: int) -> list[str]:
    """``count`` distinct Chinese names (surname + one or two given characters)."""
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < count:
        given = "".join(rng.choice(GIVEN_CHARACTERS) for _ in range(rng.choice((1, 2, 2, 2))))
        name = rng.choice(SURNAMES) + given
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


def brand(rng: random.Random) -> str:
    """A two-character brand such as 华芯 or 博锐."""
    return rng.choice(BRAND_FIRST) + rng.choice(BRAND_SECOND)


def demo_phone(serial: int) -> str:
    """The fake mobile number 138-0000-xxxx (stored without dashes); ``serial`` 0..9999."""
    return f"1380000{serial % 10_000:04d}"
