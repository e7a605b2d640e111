import pytest

from archive.ingest.attribution import attribute, split_signature
from archive.ingest.units import Registry, discover


@pytest.fixture(scope="module")
def registry():
    return Registry.load()


@pytest.mark.parametrize("inner, signed_section, expected", [
    ("宁夏能源 刘和", False, ("宁夏能源", "刘和")),
    ("宁夏能源刘和", False, ("宁夏能源", "刘和")),             # no space between unit and name
    ("抚顺铝业团委", False, ("抚顺铝业", None)),               # a unit's body, not a person
    ("广西华昇红色诗词诵读者张成、曹勋昶、蓝莹尹", False, ("广西华昇", "张成、曹勋昶、蓝莹尹")),
    ("党群工作部", False, ("党群工作部", None)),
    ("华北铝业 王五", False, ("华北铝业", "王五")),             # a unit the registry does not know
    ("华北铝业", False, ("华北铝业", None)),                   # unit-shaped
    ("宏达能源", True, ("宏达能源", None)),                    # unknown credit in a section of signed items
    ("人民网", False, (None, None)),                          # a source
    ("2017年10月18日习近平在中国共产党第十九次全国代表大会上的报告", False, (None, None)),
    ("2020年1月8日，习近平在“不忘初心、牢记使命”主题教育总结大会上的讲话", True, (None, None)),
    ("", False, (None, None)),
])
def test_split_signature(registry, inner, signed_section, expected):
    assert split_signature(inner, registry, signed_section) == expected


def test_quote_source(registry):
    att = attribute("要弘扬劳模精神。（新华网）", registry)
    assert (att.source, att.author, att.units) == ("新华网", None, [])


def test_signed_reflection(registry):
    att = attribute("要以实干担当践行对党的忠诚。（中铝山东 黄海）", registry)
    assert (att.source, att.unit, att.author, att.units) == (None, "中铝山东", "黄海", ["中铝山东"])


@pytest.mark.parametrize("text, expected", [
    ("抚顺铝业、广西华昇、遵义铝业组织党员观看红色电影。", ["抚顺铝业", "广西华昇", "遵义铝业"]),
    ("中铝矿业生产指挥保障中心党委为病危职工捐款51680元。", ["中铝矿业"]),         # sub-unit not a unit
    ("广西分公司企业管理部党支部组织党员讲课。", ["广西分公司"]),                  # registry sub-unit skipped
    ("华北铝业开展技能比武。宏达能源组织党员赴纪念馆。", ["华北铝业", "宏达能源"]),  # discovery
    ("党员干部开展志愿服务。我们组织学习。", []),                                # people, not units
    ("中铝山西新材料为病困职工捐款12200元。", ["中铝山西新材料"]),                # longest name wins
    ("辽宁轻合金对厂区排水渠道进行清淤。", ["辽宁轻合金"]),                       # 厂 inside 厂区 is no suffix
    ("企业文化部以“清单式”方式推进重点工作。", ["企业文化部"]),                    # 企业… is a unit's name
])
def test_activity_units(registry, text, expected):
    assert attribute(text, registry).units == expected


def test_credit_naming_the_opening_unit(registry):
    att = attribute("天津国贸16个项目被评为省级技术创新优秀项目。（天津国贸）", registry)
    assert (att.source, att.unit, att.units) == (None, "天津国贸", ["天津国贸"])


def test_discover_ignores_known(registry):
    assert discover("中州铝业组织学习。青岛研究院举办讲座。", registry) == ["青岛研究院"]


def test_registry_aliases(registry):
    assert "云南文山铝业有限公司" in registry.names_for("云铝文山")
    assert registry.canonical_name("云南文山铝业有限公司") == "云铝文山"


# --- units the registry lacks (issue: real backlogs) ---------------------------------------------

@pytest.mark.parametrize("inner, signed_section, expected", [
    ("包头铝业王建国", False, ("包头铝业", "王建国")),                     # registered unit, no space
    ("中铝东南铜业司马青", False, ("中铝东南铜业", "司马青")),               # compound surname, unit-shaped
    ("中铝视拓智能科技有限公司杨桂兰", False, ("中铝视拓智能科技有限公司", "杨桂兰")),  # legal name
    ("中铝上海碳素上官婉清", False, ("中铝上海碳素", "上官婉清")),           # 上官 before 官
    ("山东华宇上官婉清", True, ("山东华宇", "上官婉清")),                   # unknown, in a signed section
    ("中铝稀土（江苏）有限公司李秀英", False, ("中铝稀土（江苏）有限公司", "李秀英")),
    ("中铝广西有色稀土开发有限公司", False, ("中铝广西有色稀土开发有限公司", None)),  # a credit, no source
    ("学习强国", False, (None, None)),                                     # 强 is a surname, 学习 no unit
    ("新华社", False, (None, None)),
])
def test_signatures_without_a_space(registry, inner, signed_section, expected):
    assert split_signature(inner, registry, signed_section) == expected


@pytest.mark.parametrize("text, expected", [
    # long legal names opening activity sentences, whole and as printed
    ("中铝材料应用研究院有限公司以“清单式”方式推进重点工作。", ["中铝材料应用研究院有限公司"]),
    ("中铝沈阳有色金属加工有限公司组织党员赴革命纪念馆。", ["中铝沈阳有色金属加工有限公司"]),
    ("中铝稀土（江苏）有限公司组织职工观看红色电影。", ["中铝稀土（江苏）有限公司"]),
    # units inside a sentence, after a comma
    ("华中铜业为病困职工捐款54800元，中铝青岛轻金属组织QC小组活动成果发布。", ["华中铜业", "中铝青岛轻金属"]),
    ("捐款7万元，科技发展部为病困职工捐款。", ["科技发展部"]),
    # lists before a unit
    ("云铝阳宗海、中铝洛阳铜加工有限公司组织党员学习。", ["云铝阳宗海", "中铝洛阳铜加工有限公司"]),
    # precision: words of a sentence are no unit
    ("当时的厂址还是一片荒滩。有的车间把废旧的阳极回收利用。", []),
    ("太原等地的兄弟厂矿先后支援了技术骨干。", []),
    ("活动结束后，大家纷纷表示要学以致用。", []),
    ("女工陈国栋所在的班组连续2年没有出过一次质量事故。", []),  # a scanned book: 所在 is no 所
    ("工人们自己动手，脱坯烧砖。老工人王德明回忆说。", []),
    ("中铝郑州研究所组织技术攻关。", ["中铝郑州研究所"]),  # ...but a 研究所 is a unit
])
def test_units_the_registry_lacks(registry, text, expected):
    assert attribute(text, registry).units == expected


def test_a_short_name_inside_a_longer_found_one_gives_way(registry):
    local = registry.copy()
    local.add("中铝洛阳铜加工")
    text = "中铝铝箔组织QC小组活动，中铝洛阳铜加工有限公司组织党员赴革命纪念馆。"
    assert attribute(text, local).units == ["中铝铝箔", "中铝洛阳铜加工有限公司"]


def test_table_units_come_from_the_unit_column(registry):
    from archive.ingest.attribution import table_units
    text = "序号\t单位\t活动\t人数\n1\t中铝昆明铜业有限公司\t主题党日\t35\n2\t华西铝业\t技能比武\t12"
    assert table_units(text, registry) == ["中铝昆明铜业有限公司", "华西铝业"]
    assert table_units("活动\t人数\n主题党日\t35", registry) == []
