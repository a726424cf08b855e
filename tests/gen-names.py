#!/usr/bin/env python3
"""Company names and the ways they are written, for similar-name search.

Writes a tab-separated file (standard output, or --out) of

    P <tab> <company> <tab> <name>            a pledge whose pledgor is <name>
    Q <tab> <company> <tab> <variant> <tab> <name>
                                              a search for <company>

for --companies companies (default 5000), deterministic for a --seed.  A
company is a province, a trade name (字号, two characters, unique), an
industry and a legal form: "福建省闽江食品有限公司".  Each company has
  - one pledge under its registered name (half of them as written in its
    own records, the others in one of the variants below), and for one in
    five a second pledge of a branch ("...有限公司福州分公司");
  - a negative: another company of the same province and industry with
    another trade name, sharing one character with it ("福建省闽海食品有限公司"),
    with a pledge and no search (its pledge must not be found for the
    company; its company is "<company>-neg");
  - 10 searches, one per variant:
      short     the province without its suffix     福建闽江食品有限公司
      bare      no place                            闽江食品有限公司
      city      a city (or a county) with 市        福州市闽江食品有限公司
      citynosfx a city (or a county) without 市     福州闽江食品有限公司
      form      another legal form                  福建省闽江食品有限责任公司
      trad      traditional characters              福建省閩江食品有限公司
      bracket   the place in full-width brackets    闽江食品（福建）有限公司
      fullwidth full-width spaces and punctuation   福建省　闽江食品·有限公司
      both      province, city and another form     福建省福州市闽江食品股份有限公司
      branch    a branch's name (finds the head office)
Standard library only; run with /usr/bin/python3.
"""
import argparse
import random
import sys

TRADE_CHARS = '闽江华兴鑫源恒丰宏达金利永泰瑞祥东方天成富盛嘉禾长青凯旋佳美盛世新宇博远鸿运晨光银河海洋汇通中联德胜万隆泰和广源锦绣龙腾凤凰星辉阳光顺达利民康乐福寿安泰昌盛荣发兴业开元同创启航聚能智联卓越腾飞云峰青山绿水蓝天白鹭翔宇飞鹏骏马金鹰银燕春晖秋实冬雪夏荷梅兰竹菊松柏桂林樱花丰泽润达宝丰豪庭名门世纪环球亿达众诚信达合众协力永丰百川千帆万顺'
INDUSTRIES = ['食品', '机械制造', '电子科技', '建筑工程', '纺织', '贸易', '医药', '化工', '物流', '软件开发', '新能源科技', '农业发展', '环保科技', '汽车配件', '家具', '服装', '印刷', '包装材料', '文化传媒', '投资管理', '餐饮管理', '建材', '五金', '水产', '茶业', '陶瓷', '光电', '生物科技', '信息技术', '进出口贸易', '电器', '塑胶', '钢铁', '实业', '网络科技', '装饰工程', '运输', '电力设备', '仪器仪表', '酒业']
REGIONS = {'福建省': (['福州', '厦门', '泉州', '漳州', '莆田', '三明', '南平', '龙岩', '宁德'], ['福清', '长乐', '闽侯', '连江', '南安', '惠安', '安溪', '永春']), '浙江省': (['杭州', '宁波', '温州', '嘉兴', '湖州', '绍兴', '金华', '台州'], ['慈溪', '余姚', '乐清', '瑞安', '诸暨', '海宁']), '江苏省': (['南京', '苏州', '无锡', '常州', '南通', '徐州', '扬州'], ['昆山', '江阴', '张家港', '常熟', '宜兴']), '广东省': (['广州', '深圳', '珠海', '佛山', '东莞', '汕头', '惠州'], ['顺德', '南海', '番禺', '增城', '普宁']), '山东省': (['济南', '青岛', '烟台', '潍坊', '临沂', '淄博'], ['寿光', '龙口', '胶州', '即墨', '诸城']), '河南省': (['郑州', '洛阳', '新乡', '南阳', '许昌'], ['巩义', '新郑', '登封', '偃师']), '湖北省': (['武汉', '宜昌', '襄阳', '荆州'], ['宜都', '枣阳', '仙桃', '汉川']), '四川省': (['成都', '绵阳', '德阳', '宜宾', '南充'], ['都江堰', '彭州', '邛崃', '江油']), '广西壮族自治区': (['南宁', '柳州', '桂林', '梧州'], ['北流', '桂平', '岑溪']), '湖南省': (['长沙', '株洲', '湘潭', '衡阳', '岳阳'], ['浏阳', '醴陵', '湘乡', '耒阳']), '安徽省': (['合肥', '芜湖', '蚌埠', '安庆'], ['巢湖', '桐城', '宁国', '天长'])}
TRADITIONAL = {'万': '萬', '业': '業', '东': '東', '丰': '豐', '临': '臨', '乐': '樂', '乡': '鄉', '云': '雲', '产': '產', '亿': '億', '仪': '儀', '众': '眾', '传': '傳', '余': '餘', '兰': '蘭', '兴': '興', '农': '農', '凤': '鳳', '凯': '凱', '创': '創', '制': '製', '区': '區', '医': '醫', '华': '華', '协': '協', '厦': '廈', '县': '縣', '发': '發', '台': '臺', '启': '啟', '团': '團', '国': '國', '壮': '壯', '备': '備', '头': '頭', '宁': '寧', '宝': '寶', '实': '實', '宾': '賓', '寿': '壽', '岛': '島', '岩': '巖', '广': '廣', '庆': '慶', '开': '開', '张': '張', '扬': '揚', '无': '無', '晖': '暉', '术': '術', '机': '機', '樱': '櫻', '汇': '匯', '汉': '漢', '泽': '澤', '济': '濟', '浏': '瀏', '润': '潤', '温': '溫', '烟': '煙', '环': '環', '电': '電', '筑': '築', '纪': '紀', '纺': '紡', '织': '織', '绍': '紹', '络': '絡', '绵': '綿', '绿': '綠', '网': '網', '联': '聯', '胜': '勝', '胶': '膠', '腾': '騰', '芜': '蕪', '苏': '蘇', '荣': '榮', '药': '藥', '蓝': '藍', '装': '裝', '许': '許', '设': '設', '诚': '誠', '责': '責', '贸': '貿', '资': '資', '车': '車', '软': '軟', '辉': '輝', '输': '輸', '达': '達', '运': '運', '进': '進', '远': '遠', '连': '連', '郑': '鄭', '钢': '鋼', '铁': '鐵', '银': '銀', '锡': '錫', '锦': '錦', '长': '長', '门': '門', '闽': '閩', '阳': '陽', '阴': '陰', '顺': '順', '飞': '飛', '饮': '飲', '饰': '飾', '马': '馬', '骏': '駿', '鸿': '鴻', '鹏': '鵬', '龙': '龍'}

# Every other place the library knows (lib/base/names.c): no trade name is one.
OTHER_PLACES = '北京 天津 上海 重庆 河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 广东 海南 四川 贵州 云南 陕西 甘肃 青海 台湾 内蒙古 广西 西藏 宁夏 新疆 香港 澳门 石家庄 唐山 秦皇岛 邯郸 邢台 保定 张家口 承德 沧州 廊坊 衡水 太原 大同 阳泉 长治 晋城 朔州 晋中 运城 忻州 临汾 吕梁 呼和浩特 包头 乌海 鄂尔多斯 赤峰 通辽 呼伦贝尔 沈阳 大连 鞍山 抚顺 本溪 丹东 锦州 营口 阜新 辽阳 盘锦 铁岭 葫芦岛 长春 四平 辽源 通化 白山 松原 白城 延边 哈尔滨 齐齐哈尔 鸡西 鹤岗 双鸭山 大庆 伊春 佳木斯 七台河 牡丹江 黑河 绥化 南京 无锡 徐州 常州 苏州 南通 连云港 淮安 盐城 扬州 镇江 泰州 宿迁 杭州 宁波 温州 嘉兴 湖州 绍兴 金华 衢州 舟山 台州 丽水 义乌 合肥 芜湖 蚌埠 淮南 马鞍山 淮北 铜陵 安庆 黄山 滁州 阜阳 宿州 六安 亳州 池州 宣城 福州 厦门 莆田 三明 泉州 漳州 南平 龙岩 宁德 晋江 石狮 南昌 景德镇 萍乡 九江 新余 鹰潭 赣州 吉安 宜春 抚州 上饶 济南 青岛 淄博 枣庄 东营 烟台 潍坊 济宁 泰安 威海 日照 临沂 德州 聊城 滨州 菏泽 郑州 开封 洛阳 平顶山 安阳 鹤壁 新乡 焦作 濮阳 许昌 漯河 三门峡 南阳 商丘 信阳 周口 驻马店 武汉 黄石 十堰 宜昌 襄阳 鄂州 荆门 孝感 荆州 黄冈 咸宁 随州 长沙 株洲 湘潭 衡阳 邵阳 岳阳 常德 张家界 益阳 郴州 永州 怀化 娄底 广州 韶关 深圳 珠海 汕头 佛山 江门 湛江 茂名 肇庆 惠州 梅州 汕尾 河源 阳江 清远 东莞 中山 潮州 揭阳 云浮 南宁 柳州 桂林 梧州 北海 防城港 钦州 贵港 玉林 百色 贺州 河池 来宾 崇左 海口 三亚 成都 自贡 攀枝花 泸州 德阳 绵阳 广元 遂宁 内江 乐山 南充 眉山 宜宾 广安 达州 雅安 巴中 资阳 贵阳 六盘水 遵义 安顺 毕节 铜仁 昆明 曲靖 玉溪 保山 昭通 丽江 普洱 临沧 大理 拉萨 西安 铜川 宝鸡 咸阳 渭南 延安 汉中 榆林 安康 商洛 兰州 嘉峪关 金昌 白银 天水 武威 张掖 平凉 酒泉 庆阳 定西 陇南 西宁 银川 石嘴山 吴忠 固原 中卫 乌鲁木齐 克拉玛依 吐鲁番 哈密'

FORMS = ["有限公司", "有限责任公司", "股份有限公司", "集团有限公司"]
VARIANTS = ["short", "bare", "city", "citynosfx", "form", "trad", "bracket", "fullwidth",
            "both", "branch"]


def short_province(p):
    for sfx in ("壮族自治区", "省"):
        if p.endswith(sfx):
            return p[: -len(sfx)]
    return p


def traditional(s):
    return "".join(TRADITIONAL.get(c, c) for c in s)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--companies", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    chars = list(dict.fromkeys(TRADE_CHARS))
    provinces = sorted(REGIONS)
    used = set()
    # a trade name may not be the name of a place (county or above)
    places = {short_province(p) for p in provinces} | set(OTHER_PLACES.split())
    for cities, counties in REGIONS.values():
        places.update(cities, counties)

    def trade_name(share=None):
        while True:
            if share:
                other = rng.choice(chars)
                t = share + other if rng.random() < 0.5 else other + share
            else:
                t = rng.choice(chars) + rng.choice(chars)
            if t[0] != t[1] and t not in used and t not in places:
                used.add(t)
                return t

    if a.companies * 2 > len(chars) * (len(chars) - 1) * 2 // 3:  # room for random draws
        sys.exit("too many companies for the trade names")
    out = open(a.out, "w", encoding="utf-8") if a.out else sys.stdout
    for i in range(a.companies):
        prov = rng.choice(provinces)
        cities, counties = REGIONS[prov]
        ind = rng.choice(INDUSTRIES)
        form = rng.choice(FORMS[:2]) if rng.random() < 0.8 else rng.choice(FORMS)
        trade = trade_name()
        core = trade + ind
        name = prov + core + form
        city = rng.choice(cities) if rng.random() < 0.7 else rng.choice(counties)
        other_form = rng.choice([f for f in FORMS if f != form])
        v = {
            "short": short_province(prov) + core + form,
            "bare": core + form,
            "city": city + "市" + core + form,
            "citynosfx": city + core + form,
            "form": prov + core + other_form,
            "trad": traditional(name),
            "bracket": core + "（" + short_province(prov) + "）" + form,
            "fullwidth": prov + "\u3000" + core + "·" + form + rng.choice(["", "。", "．"]),
            "both": prov + city + "市" + core + other_form,
            "branch": name + rng.choice(cities) + "分公司",
        }
        company = "c%d" % i
        stored = name if rng.random() < 0.5 else v[rng.choice(VARIANTS[:-1])]
        print("P\t%s\t%s" % (company, stored), file=out)
        if rng.random() < 0.2:
            head = stored if rng.random() < 0.5 else name
            print("P\t%s\t%s%s分公司" % (company, head, rng.choice(cities)), file=out)
        neg = prov + trade_name(share=rng.choice(trade)) + ind + form
        print("P\t%s-neg\t%s" % (company, neg), file=out)
        for k in VARIANTS:
            print("Q\t%s\t%s\t%s" % (company, k, v[k]), file=out)
    if a.out:
        out.close()


if __name__ == "__main__":
    main()
