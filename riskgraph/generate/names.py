"""Chinese names: people, places, companies and addresses (all fictitious)."""

from __future__ import annotations

import random
from itertools import accumulate

# Surnames with approximate population shares (per mille), most common first.
_SURNAMES = (
    "王72 李72 张68 刘54 陈45 杨31 黄22 赵22 吴20 周20 徐16 孙15 马14 朱13 胡13 郭12 何12 "
    "高10 林10 罗9 郑9 梁9 谢8 宋8 唐8 许7 韩7 冯7 邓7 曹7 彭6 曾6 肖6 田6 董6 袁5 潘5 于5 "
    "蒋5 蔡5 余5 杜5 叶5 程5 苏4 魏4 吕4 丁4 任4 沈4 姚4 卢4 姜4 崔4 钟4 谭3 陆3 汪3 范3 "
    "金3 石3 廖3 贾3 夏3 韦3 付3 方3 白3 邹3 孟3 熊3 秦3 邱3 江3 尹3 薛2 闫2 段2 雷2 侯2 "
    "龙2 史2 陶2 黎2 贺2 顾2 毛2 郝2 龚2 邵2 万2 钱2 严2 覃1 武1 戴1 莫1 孔1 向1 汤1 常1 "
    "温1 康1 施1 文1 牛1 樊1 葛1 邢1 安1 齐1 易1 乔1 伍1 庞1 颜1 倪1 庄1 聂1 章1 鲁1 岳1 "
    "翟1 殷1 詹1 申1 欧1 耿1 关1 兰1 焦1 俞1 左1 柳1 甘1 祝1 包1 宁1 尚1 符1 舒1 阮1 柯1 "
    "纪1 梅1 童1 凌1 毕1 单1 季1 裴1 霍1 涂1 成1 苗1 谷1 盛1 曲1 翁1 冉1 骆1 蓝1 路1 游1 "
    "辛1 靳1 欧阳1 司马1 上官1 诸葛1"
).split()
SURNAMES = [s.rstrip("0123456789") for s in _SURNAMES]
_SURNAME_CUM = list(accumulate(int(s[len(n):]) for s, n in zip(_SURNAMES, SURNAMES)))

MALE_CHARS = ("伟 强 磊 军 勇 杰 涛 斌 超 明 刚 平 辉 鹏 华 飞 鑫 波 宁 浩 凯 健 俊 帆 帅 旭 宇 林 "
              "峰 建 国 庆 文 武 志 海 东 红 兵 春 亮 新 卫 忠 诚 家 成 永 祥 德 胜 昌 龙 达 博 "
              "晨 轩 睿 泽 然 航 阳 昊 一 子 天 思 远 俊 嘉 铭 立 荣 贵 福 生 金 山 全 江 河").split()
FEMALE_CHARS = ("芳 娜 敏 静 丽 艳 娟 霞 秀 玲 燕 英 华 慧 梅 琳 红 兰 婷 雪 琴 云 莉 萍 倩 洁 颖 "
                "佳 欣 怡 悦 雨 涵 梓 晶 晴 月 玉 珍 凤 春 桂 翠 淑 素 爱 美 彩 丹 宁 露 瑶 璐 "
                "思 诗 梦 可 晓 文 馨 婉 妍 菲 蕾 薇 岚 琪 瑾 萱 若").split()

PLACE_FIRST = ("临 安 清 平 永 长 新 宁 东 西 南 北 福 兴 昌 泰 和 德 丰 庆 瑞 金 石 云 青 "
               "白 高 上 武 江 湖 桃 梅 乐 广 鹤 凤 龙 宜 遂 崇 玉 峡 吉 万 宝 靖 黎 彭").split()
PLACE_SECOND = ("川 阳 江 山 丰 源 城 宁 安 溪 水 湖 岭 陵 口 泉 林 都 化 康 丘 河 峰 坪 "
                "州 塘 田 原 渡 浦 关 桥 沙 谷 乡 洲 平 昌 远 春 华").split()
STREETS = ("人民路 解放路 建设路 中山路 新华路 胜利路 和平路 文化路 迎宾大道 滨江路 学府路 "
           "青年路 朝阳路 光明路 幸福路 长安街 府前街 环城东路 环城西路 环城南路 环城北路 "
           "工业大道 民主路 复兴路 振兴路 东风路 红旗路 北京路 南京路 广场路 新城大道 "
           "开发区大道 科技路 创业路 兴业路 通衢路 花园路 育才路 桂花路 樟树路").split()
COMMUNITIES = ("阳光花园 锦绣家园 翠苑小区 金色华庭 滨江名都 御景苑 新城首府 碧桂园 "
               "紫荆园 东方明珠 幸福里 书香门第 江南世家 恒大绿洲 丽景湾 香樟苑 康乐新村 "
               "教师新村 电力小区 财政小区 和园 润园 嘉园 观澜府 星河湾").split()
TRADE_NAMES = ("宏达 鑫源 华泰 恒信 瑞丰 兴隆 金鼎 永盛 泰和 中宏 博远 盛世 天成 汇通 "
               "建晟 昌盛 弘毅 恒通 华兴 新锐 万达 广厦 中联 鼎盛 宏图 富源 锦程 东升 "
               "正诚 安泰 嘉禾 佳信 明泰 荣达 润泽 骏驰 立信 同创 宇通 顺发 长青 德丰").split()
INDUSTRY_WORDS = {
    "A": ("农业开发", "生态农业", "种养殖", "林业发展"),
    "B": ("矿业", "石材开采", "砂石"),
    "C": ("机械制造", "新材料", "食品", "建材", "电子科技", "塑业"),
    "D": ("新能源", "电力工程", "燃气", "热力"),
    "E": ("建筑工程", "建设", "路桥工程", "市政工程", "水利水电工程", "装饰工程"),
    "F": ("商贸", "贸易", "物资", "医药连锁"),
    "G": ("物流", "运输", "客运", "仓储"),
    "H": ("酒店管理", "餐饮管理", "宾馆"),
    "I": ("信息技术", "网络科技", "软件", "数据科技"),
    "J": ("投资", "小额贷款", "融资担保"),
    "K": ("房地产开发", "置业", "物业管理"),
    "L": ("商务咨询", "企业管理", "广告", "劳务派遣"),
    "M": ("工程咨询", "规划设计", "检测技术", "勘察设计"),
    "N": ("环境工程", "园林绿化", "环保科技", "水务工程"),
    "O": ("家政服务", "汽车维修", "保洁服务"),
    "P": ("教育咨询", "培训学校", "文化教育"),
    "Q": ("医疗器械", "健康管理", "养老服务"),
    "R": ("文化传媒", "体育发展", "影视"),
}
COUNTRIES = ("美国 加拿大 澳大利亚 英国 新西兰 日本 新加坡 德国 法国 泰国 马来西亚 韩国 "
             "意大利 西班牙 越南").split()
HMT = ("香港", "澳门", "台湾")


def surname(rng: random.Random) -> str:
    x = rng.random() * _SURNAME_CUM[-1]
    lo, hi = 0, len(_SURNAME_CUM) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if _SURNAME_CUM[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return SURNAMES[lo]


def given_name(rng: random.Random, gender: str) -> str:
    chars = MALE_CHARS if gender == "M" else FEMALE_CHARS
    if rng.random() < 0.25:
        return rng.choice(chars)
    return rng.choice(chars) + rng.choice(chars)


def place_names(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    """`count` distinct two-character place names not yet in `taken`."""
    pool = [a + b for a in PLACE_FIRST for b in PLACE_SECOND if a != b]
    rng.shuffle(pool)
    out = []
    for name in pool:
        if name not in taken:
            taken.add(name)
            out.append(name)
            if len(out) == count:
                return out
    raise ValueError("ran out of place names")


def company_name(rng: random.Random, place: str, industry: str) -> str:
    word = rng.choice(INDUSTRY_WORDS[industry])
    suffix = "有限公司" if rng.random() < 0.8 else rng.choice(("有限责任公司", "股份有限公司"))
    return f"{place}{rng.choice(TRADE_NAMES)}{word}{suffix}"


def home_address(rng: random.Random, region_name: str) -> str:
    return (f"{region_name}{rng.choice(COMMUNITIES)}{rng.randint(1, 30)}栋"
            f"{rng.randint(1, 4)}单元{rng.randint(1, 28)}{rng.randint(1, 4):02d}室")
