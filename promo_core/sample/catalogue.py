"""The sample shop's catalogue: bilingual product names, categories, prices and latent traits.

Each item carries hidden traits that the other generators use as planted truth: a popularity weight
(what a popularity recommender can learn), a taste vector (what a personalised recommender can
learn), and a quality score (what drives review sentiment and returns).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from promo_core.sample.labels import ids, labels

TASTE_DIMS = 8


@dataclass(frozen=True)
class Category:
    """A department of the shop.

    ``replenish``: share of lines that repeat a staple item for customers who prefer it;
    ``return_rate``: relative chance that a line of it is returned (apparel 3x, snacks 0.3x).
    """

    code: str
    name_zh: str
    replenish: float
    return_rate: float
    variants: tuple[tuple[str, str, float], ...]
    products: tuple[tuple[str, str, float, str], ...]  # (English, Chinese, base price, description)


CATEGORIES: tuple[Category, ...] = (
    Category("kitchen", "厨房用品", 0.08, 1.0,
        (("standard", "标准款", 1.0), ("large", "大号", 1.3), ("gift set", "礼盒装", 1.6)), (
        ("Bamboo cutting board", "竹制砧板", 18.9, "Reversible board that is gentle on knife edges."),
        ("Cast iron skillet", "铸铁煎锅", 34.5, "Pre-seasoned pan for searing and baking."),
        ("Stainless steel kettle", "不锈钢烧水壶", 29.9, "Fast-boil kettle with auto shut-off."),
        ("Silicone spatula set", "硅胶锅铲套装", 12.5, "Heat-resistant spatulas that do not scratch pans."),
        ("Ceramic rice bowl", "陶瓷饭碗", 6.8, "Glazed everyday bowl, dishwasher safe."),
        ("Chef's knife", "主厨刀", 45.0, "High-carbon steel blade for everyday prep."),
        ("Glass food container", "玻璃保鲜盒", 15.9, "Airtight lid; oven and microwave safe."),
        ("Pour-over coffee dripper", "手冲咖啡滤杯", 16.5, "Ceramic dripper for a clean, bright cup."),
        ("Non-stick wok", "不粘炒锅", 39.9, "Deep wok with a durable non-stick coating."),
        ("Wooden chopsticks", "木筷子", 8.9, "Natural wood chopsticks, set of ten."),
        ("Insulated lunch box", "保温饭盒", 22.0, "Keeps food warm for up to six hours."),
        ("Spice grinder", "香料研磨器", 19.5, "Adjustable ceramic burr for pepper and spices."),
    )),
    Category("beauty", "美妆个护", 0.35, 0.8,
        (("travel size", "旅行装", 0.6), ("regular", "标准装", 1.0), ("value pack", "超值装", 1.7)), (
        ("Hydrating face serum", "补水精华液", 28.0, "Hyaluronic serum for daily hydration."),
        ("Sunscreen SPF50", "防晒霜SPF50", 16.9, "Light, non-greasy broad-spectrum sunscreen."),
        ("Sheet face masks", "补水面膜", 12.9, "Soothing sheet masks, ten per box."),
        ("Lip balm", "润唇膏", 4.5, "Nourishing balm with shea butter."),
        ("Cleansing foam", "洁面泡沫", 11.8, "Gentle foaming cleanser for all skin types."),
        ("Hand cream", "护手霜", 7.9, "Fast-absorbing cream with a light scent."),
        ("Sulphate-free shampoo", "无硅油洗发水", 13.5, "Mild shampoo for daily use."),
        ("Body lotion", "身体乳", 15.0, "Rich lotion for dry skin."),
        ("Eye cream", "眼霜", 24.9, "Light cream for the delicate eye area."),
        ("Micellar makeup remover", "卸妆水", 10.9, "Lifts makeup without rubbing."),
        ("Floral perfume", "花香香水", 49.0, "Eau de parfum with jasmine and peony."),
        ("Nail polish", "指甲油", 5.9, "Quick-dry, long-lasting colour."),
    )),
    Category("snacks", "休闲零食", 0.40, 0.3,
        (("single pack", "单包", 1.0), ("family pack", "家庭装", 2.4), ("box of 12", "12包整箱", 5.5)), (
        ("Dried mango slices", "芒果干", 6.5, "Chewy dried mango with no added sugar."),
        ("Roasted almonds", "烤杏仁", 9.9, "Lightly salted roasted almonds."),
        ("Seaweed snacks", "海苔脆片", 4.8, "Crispy roasted seaweed sheets."),
        ("Spicy beef jerky", "麻辣牛肉干", 11.5, "Sichuan-style beef jerky with chilli."),
        ("Sesame crackers", "芝麻薄脆", 3.9, "Thin and crunchy sesame crackers."),
        ("Dark chocolate bar", "黑巧克力", 4.2, "70% cocoa dark chocolate."),
        ("Daily mixed nuts", "每日坚果", 14.9, "Single portions of mixed nuts and berries."),
        ("Pineapple cakes", "凤梨酥", 12.8, "Buttery pastry with pineapple filling."),
        ("Rice crackers", "米饼", 3.5, "Baked rice crackers, lightly sweet."),
        ("Sunflower seeds", "香瓜子", 3.2, "Roasted sunflower seeds."),
        ("Red bean mochi", "红豆麻薯", 7.9, "Soft mochi with red bean filling."),
        ("Prawn crackers", "虾片", 2.9, "Light and airy prawn crackers."),
    )),
    Category("tea", "茶叶", 0.45, 0.3,
        (("50 g", "50克", 0.55), ("100 g tin", "100克罐装", 1.0), ("20 tea bags", "袋泡茶20包", 0.8)), (
        ("Longjing green tea", "龙井绿茶", 24.0, "Pan-fired green tea from Hangzhou."),
        ("Tieguanyin oolong", "铁观音乌龙茶", 22.0, "Floral, lightly roasted oolong."),
        ("Pu-erh tea cake", "普洱茶饼", 36.0, "Aged pu-erh pressed into a cake."),
        ("Jasmine green tea", "茉莉花茶", 14.5, "Green tea scented with jasmine blossoms."),
        ("Earl Grey", "伯爵红茶", 12.0, "Black tea with bergamot."),
        ("Keemun black tea", "祁门红茶", 19.9, "Malty black tea from Anhui."),
        ("Chrysanthemum tea", "菊花茶", 8.5, "Caffeine-free dried chrysanthemum flowers."),
        ("White peony tea", "白牡丹白茶", 26.0, "Delicate white tea with a honey note."),
        ("Matcha powder", "抹茶粉", 18.0, "Stone-ground matcha for lattes and baking."),
        ("Da Hong Pao rock oolong", "大红袍", 32.0, "Roasted rock oolong with a toasty finish."),
        ("Ginger brown sugar tea", "红糖姜茶", 7.5, "Warming ginger and brown sugar infusion."),
        ("Roasted barley tea", "大麦茶", 5.9, "Nutty barley tea, caffeine free."),
    )),
    Category("garden", "园艺", 0.08, 0.8,
        (("small", "小号", 0.8), ("medium", "中号", 1.0), ("large", "大号", 1.4)), (
        ("Ceramic plant pot", "陶瓷花盆", 14.0, "Glazed pot with a drainage hole."),
        ("Pruning shears", "修枝剪", 18.5, "Bypass shears with a safety lock."),
        ("Watering can", "浇水壶", 12.9, "Long-spout can for indoor plants."),
        ("Succulent soil mix", "多肉营养土", 6.9, "Fast-draining mix for cacti and succulents."),
        ("Solar garden lights", "太阳能花园灯", 25.0, "Path lights that charge by day."),
        ("Tomato seed kit", "番茄种子套装", 5.5, "Heirloom seeds with starter pots."),
        ("Gardening gloves", "园艺手套", 7.5, "Breathable gloves with grip palms."),
        ("Hanging planter", "吊篮花盆", 11.0, "Macrame hanger for trailing plants."),
        ("Hose spray nozzle", "水管喷头", 9.9, "Seven spray patterns, thumb control."),
        ("Bird feeder", "喂鸟器", 16.0, "Weatherproof feeder for small birds."),
        ("Raised garden bed", "种植箱", 48.0, "Cedar bed for vegetables and herbs."),
        ("Herb growing kit", "香草种植套装", 15.9, "Basil, mint and parsley for the windowsill."),
    )),
    Category("toys", "玩具", 0.05, 0.9,
        (("classic", "经典款", 1.0), ("deluxe", "豪华版", 1.5), ("mini", "迷你款", 0.6)), (
        ("Wooden building blocks", "木制积木", 26.0, "Smooth beech blocks in bright colours."),
        ("Plush panda", "熊猫毛绒玩具", 15.9, "Soft panda that is safe from birth."),
        ("Jigsaw puzzle 1000 pieces", "1000片拼图", 13.5, "Landscape puzzle for the whole family."),
        ("Remote control car", "遥控车", 35.0, "Rechargeable off-road car."),
        ("Magnetic tiles", "磁力片", 39.0, "Build 3D shapes with magnetic tiles."),
        ("Stunt kite", "风筝", 11.0, "Easy-flying kite with a long tail."),
        ("Family board game", "家庭桌游", 24.9, "Strategy game for two to six players."),
        ("Bubble machine", "泡泡机", 14.5, "Hundreds of bubbles a minute."),
        ("Toy kitchen set", "过家家厨房玩具", 29.0, "Pretend-play pots, pans and food."),
        ("Speed cube", "魔方", 6.9, "Smooth-turning 3x3 puzzle cube."),
        ("Dinosaur figures", "恐龙模型", 17.5, "Twelve detailed dinosaur figures."),
        ("Magnetic drawing board", "儿童画板", 12.0, "Mess-free drawing board for kids."),
    )),
    Category("apparel", "服饰", 0.10, 3.0,
        (("black", "黑色", 1.0), ("white", "白色", 1.0), ("navy", "藏青色", 1.0)), (
        ("Cotton T-shirt", "纯棉T恤", 15.9, "Soft crew-neck tee in combed cotton."),
        ("Linen shirt", "亚麻衬衫", 32.0, "Breathable linen shirt for summer."),
        ("Denim jacket", "牛仔夹克", 55.0, "Classic jacket in washed denim."),
        ("Wool scarf", "羊毛围巾", 24.0, "Warm merino scarf."),
        ("Running shorts", "跑步短裤", 18.0, "Lightweight shorts with a zip pocket."),
        ("Hooded sweatshirt", "连帽卫衣", 36.0, "Brushed-fleece hoodie."),
        ("Silk pyjamas", "真丝睡衣", 68.0, "Mulberry silk two-piece set."),
        ("Ankle socks 5 pairs", "短袜5双装", 9.9, "Cotton-rich everyday socks."),
        ("Down vest", "羽绒马甲", 49.0, "Packable down vest."),
        ("Pleated skirt", "百褶裙", 29.9, "Midi skirt with soft pleats."),
        ("Canvas sneakers", "帆布鞋", 34.0, "Low-top canvas shoes."),
        ("Baseball cap", "棒球帽", 12.5, "Adjustable cotton cap."),
    )),
    Category("electronics", "数码电子", 0.05, 1.5,
        (("white", "白色", 1.0), ("black", "黑色", 1.0), ("pro", "升级版", 1.35)), (
        ("Wireless earbuds", "无线蓝牙耳机", 45.0, "Noise-reducing earbuds with a charging case."),
        ("Power bank 10000 mAh", "10000毫安充电宝", 21.0, "Slim power bank with fast charging."),
        ("USB-C charging cable", "USB-C充电线", 6.9, "Braided one-metre cable."),
        ("Bluetooth speaker", "蓝牙音箱", 32.0, "Water-resistant portable speaker."),
        ("Smart watch band", "智能手表表带", 9.9, "Silicone replacement band."),
        ("Phone stand", "手机支架", 8.5, "Adjustable aluminium stand."),
        ("Mechanical keyboard", "机械键盘", 59.0, "Compact keyboard with tactile switches."),
        ("Wireless mouse", "无线鼠标", 16.9, "Silent clicks, long battery life."),
        ("LED desk lamp", "LED台灯", 27.5, "Dimmable lamp with warm and cool light."),
        ("Smart plug", "智能插座", 11.9, "Schedule and switch appliances from the app."),
        ("1080p webcam", "1080p摄像头", 34.9, "Full-HD webcam with a privacy cover."),
        ("Portable fan", "便携风扇", 13.9, "Rechargeable handheld fan."),
    )),
    Category("stationery", "文具", 0.15, 0.5,
        (("standard", "标准装", 1.0), ("pack of 3", "3件装", 2.6), ("gift box", "礼盒装", 1.8)), (
        ("Gel pens", "中性笔", 5.9, "Smooth 0.5 mm gel pens."),
        ("Dotted notebook A5", "A5点阵笔记本", 8.9, "100 gsm paper that resists bleed-through."),
        ("Fountain pen", "钢笔", 22.0, "Fine nib with a converter."),
        ("Washi tape set", "和纸胶带套装", 7.5, "Decorative tapes for journals."),
        ("Sticky notes", "便利贴", 3.5, "Repositionable notes in pastel colours."),
        ("Desk organiser", "桌面收纳盒", 14.9, "Keeps pens and cables tidy."),
        ("Watercolour set", "水彩颜料套装", 19.0, "24 pans with a travel brush."),
        ("Mechanical pencil", "自动铅笔", 4.8, "0.5 mm pencil with an eraser."),
        ("Highlighters", "荧光笔", 5.5, "Chisel-tip highlighters in six colours."),
        ("Leather planner", "皮面手账本", 26.0, "Undated planner with a leather cover."),
        ("Calligraphy brush", "毛笔", 9.9, "Wolf-hair brush for Chinese calligraphy."),
        ("Paper clips", "回形针", 1.9, "Box of 200 coated clips."),
    )),
    Category("home_textiles", "家纺", 0.05, 1.2,
        (("grey", "灰色", 1.0), ("beige", "米色", 1.0), ("king size", "加大号", 1.35)), (
        ("Cotton bed sheet set", "纯棉床单套装", 39.0, "Percale sheets with pillowcases."),
        ("Down pillow", "羽绒枕", 29.0, "Medium-firm pillow with a cotton shell."),
        ("Bath towel", "浴巾", 12.9, "Thick, absorbent terry towel."),
        ("Weighted blanket", "重力毯", 69.0, "Calming blanket with glass beads."),
        ("Blackout curtains", "遮光窗帘", 34.0, "Thermal curtains that block light."),
        ("Knitted throw", "针织沙发毯", 24.0, "Chunky knit throw for the sofa."),
        ("Memory foam pillow", "记忆棉枕头", 32.0, "Contoured pillow for neck support."),
        ("Cushion cover", "抱枕套", 8.9, "Linen-look cover with a hidden zip."),
        ("Silk pillowcase", "真丝枕套", 22.0, "Smooth on hair and skin."),
        ("Bath mat", "浴室地垫", 11.5, "Quick-dry diatomite-look mat."),
        ("Duvet cover", "被套", 36.0, "Washed-cotton cover with buttons."),
        ("Table runner", "桌旗", 10.9, "Woven runner for the dining table."),
    )),
)
CATEGORY_CODES = tuple(c.code for c in CATEGORIES)


@dataclass(frozen=True, eq=False)
class Catalogue:
    """Items sorted by category (so a category is a contiguous index range) plus hidden traits.

    Row ``i`` of ``items`` is item index ``i`` of every array; sort by ``item_id`` only to publish.
    """

    items: pd.DataFrame
    category: np.ndarray
    price: np.ndarray
    popularity: np.ndarray
    taste: np.ndarray
    quality: np.ndarray

    @property
    def bounds(self) -> np.ndarray:
        """Index where each category starts, plus the end: items of c are ``bounds[c]:bounds[c+1]``."""
        return np.searchsorted(self.category, np.arange(len(CATEGORIES) + 1))

    def truth(self) -> pd.DataFrame:
        """Hidden item traits for ``truth/items.csv``."""
        return pd.DataFrame({
            "item_id": self.items["item_id"],
            "category": labels(CATEGORY_CODES, self.category),
            "popularity": np.round(self.popularity, 4),
            "quality": np.round(self.quality, 4),
            "replenish_rate": [CATEGORIES[c].replenish for c in self.category],
        }).sort_values("item_id", ignore_index=True)


def build_catalogue(n_items: int, rng: np.random.Generator) -> Catalogue:
    """``n_items`` items spread evenly over the categories; beyond 36 per category, names get 'v2'...

    Names are product + variant, so 240 items read like a real shop; large benchmark catalogues reuse
    them with a model number, because only the ids need to be unique there.
    """
    if n_items < len(CATEGORIES):
        raise ValueError(f"n_items must be at least {len(CATEGORIES)}, got {n_items}")
    per_cat = np.full(len(CATEGORIES), n_items // len(CATEGORIES))
    per_cat[: n_items % len(CATEGORIES)] += 1
    rows = []
    for code, (cat, m) in enumerate(zip(CATEGORIES, per_cat)):
        combos = [(p, v) for v in range(len(cat.variants)) for p in range(len(cat.products))]
        order = rng.permutation(len(combos))
        for k in range(m):
            p, v = combos[order[k % len(combos)]]
            en, zh, base, desc = cat.products[p]
            v_en, v_zh, mult = cat.variants[v]
            model = "" if k < len(combos) else f" v{k // len(combos) + 1}"
            rows.append((code, f"{en} ({v_en}){model}", f"{zh} {v_zh}{model}", base * mult, desc))
    category = np.array([r[0] for r in rows])
    raw_price = np.array([r[3] for r in rows]) * rng.lognormal(0.0, 0.08, n_items)
    price = np.round(np.maximum(np.round(raw_price, 1) - 0.01, 0.99), 2)
    width = max(4, len(str(n_items)))
    items = pd.DataFrame({
        "item_id": ids("SKU", rng.permutation(n_items) + 1, width),
        "item_name": [r[1] for r in rows],
        "item_name_zh": [r[2] for r in rows],
        "category": labels(CATEGORY_CODES, category),
        "category_zh": labels([c.name_zh for c in CATEGORIES], category),
        "price": price,
        "description": [r[4] for r in rows],
    })
    return Catalogue(
        items=items,
        category=category,
        price=price,
        popularity=rng.normal(0.0, 0.8, n_items),
        taste=rng.normal(0.0, 1.0, (n_items, TASTE_DIMS)) / np.sqrt(TASTE_DIMS),
        quality=rng.normal(0.0, 1.0, n_items),
    )
