"""Phrase banks for sample reviews in English and Simplified Chinese.

Aspect clauses are assembled from subjects, degree words, negation and adjectives, so that a
sentiment model has to cope with what real reviews do: "not bad", "不太好", "a bit slow",
"没有想象中好", contrast ("but", "但是", "就是"), idioms and emoji. In adjectives, ``{d}`` marks
where a degree word may go; an adjective without it is not gradable ("on time", "破损").
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Aspect:
    """One thing a review can praise or criticise, in both languages."""

    en_subjects: tuple[str, ...]
    en_noun: str
    en_verb: tuple[str, ...]  # affirmative first, then negated forms
    en_pos: tuple[str, ...]
    en_neg: tuple[str, ...]
    zh_subjects: tuple[str, ...]
    zh_pos: tuple[str, ...]
    zh_neg: tuple[str, ...]


ASPECTS: dict[str, Aspect] = {
    "quality": Aspect(
        ("the quality", "quality", "the build quality", "the workmanship"), "quality",
        ("is", "is not", "isn't"),
        ("{d}good", "{d}great", "{d}excellent", "{d}solid", "top-notch"),
        ("{d}poor", "{d}bad", "{d}disappointing", "{d}flimsy"),
        ("质量", "品质", "做工"), ("{d}好", "{d}不错", "{d}棒", "{d}扎实"), ("{d}差", "{d}粗糙", "{d}一般"),
    ),
    "price": Aspect(
        ("the price", "the value for money", "the price for what you get"), "price",
        ("is", "is not", "isn't"),
        ("{d}fair", "{d}reasonable", "{d}good", "unbeatable"),
        ("{d}high", "{d}steep", "a rip-off", "{d}overpriced"),
        ("价格", "价钱"), ("{d}实惠", "{d}划算", "{d}公道", "{d}便宜"), ("{d}贵", "{d}高", "{d}离谱"),
    ),
    "delivery": Aspect(
        ("delivery", "shipping", "the courier", "dispatch"), "delivery",
        ("was", "was not", "wasn't"),
        ("{d}fast", "{d}quick", "on time", "{d}speedy"),
        ("{d}slow", "late", "{d}delayed", "{d}chaotic"),
        ("物流", "快递", "发货", "送货"), ("{d}快", "{d}迅速", "{d}给力", "{d}及时"), ("{d}慢", "{d}拖拉", "{d}磨蹭"),
    ),
    "packaging": Aspect(
        ("the packaging", "packaging", "the box", "the wrapping"), "packaging",
        ("was", "was not", "wasn't"),
        ("{d}neat", "{d}secure", "{d}nice", "{d}protective"),
        ("damaged", "{d}flimsy", "crushed", "{d}sloppy"),
        ("包装", "外包装", "盒子"), ("{d}精美", "{d}严实", "{d}用心", "完好"), ("破损", "{d}简陋", "{d}随意", "压坏了"),
    ),
    "service": Aspect(
        ("customer service", "the seller", "support", "the shop's service"), "service",
        ("was", "was not", "wasn't"),
        ("{d}helpful", "{d}friendly", "{d}responsive", "{d}patient"),
        ("{d}unhelpful", "{d}rude", "slow to reply", "{d}dismissive"),
        ("客服", "卖家服务", "客服态度", "售后"), ("{d}热情", "{d}耐心", "{d}好", "{d}专业"), ("{d}差", "{d}冷淡", "{d}敷衍", "不回消息"),
    ),
    "size": Aspect(
        ("the size", "the fit", "sizing"), "fit",
        ("is", "is not", "isn't"),
        ("spot on", "{d}accurate", "true to size", "perfect"),
        ("{d}small", "{d}big", "{d}tight", "{d}off"),
        ("尺码", "大小", "版型"), ("{d}合适", "{d}标准", "刚刚好"), ("{d}偏小", "{d}偏大", "{d}紧"),
    ),
    "fabric": Aspect(
        ("the fabric", "the material", "it"), "fabric",
        ("feels", "doesn't feel", "does not feel"),
        ("{d}soft", "{d}comfortable", "{d}breathable", "{d}smooth"),
        ("{d}rough", "{d}thin", "{d}itchy", "{d}cheap"),
        ("面料", "手感", "材质"), ("{d}舒服", "{d}柔软", "{d}透气", "{d}顺滑"), ("{d}粗糙", "{d}硬", "{d}薄", "起球"),
    ),
    "taste": Aspect(
        ("it", "this one", "every piece"), "taste",
        ("tastes", "doesn't taste", "does not taste"),
        ("{d}fresh", "{d}delicious", "{d}authentic", "{d}fragrant"),
        ("{d}stale", "{d}bland", "{d}bitter", "{d}artificial"),
        ("味道", "口感", "香味"), ("{d}好", "{d}正宗", "{d}香", "{d}新鲜"), ("{d}怪", "{d}腻", "{d}苦", "{d}淡"),
    ),
    "skin": Aspect(
        ("it", "the texture", "the formula"), "texture",
        ("feels", "doesn't feel", "does not feel"),
        ("{d}gentle", "{d}light", "{d}moisturising", "{d}refreshing"),
        ("{d}sticky", "{d}greasy", "{d}harsh", "{d}drying"),
        ("用起来", "肤感", "质地"), ("{d}清爽", "{d}温和", "{d}滋润", "{d}水润"), ("{d}油腻", "{d}黏", "{d}刺激", "过敏了"),
    ),
    "function": Aspect(
        ("the battery", "the sound", "it", "the connection"), "performance",
        ("is", "is not", "isn't"),
        ("{d}reliable", "{d}powerful", "{d}clear", "{d}stable"),
        ("{d}weak", "{d}unreliable", "{d}noisy", "{d}laggy"),
        ("音质", "续航", "效果", "连接"), ("{d}好", "{d}稳定", "{d}清晰", "{d}给力"), ("{d}差", "{d}差劲", "{d}弱", "{d}卡"),
    ),
    "look": Aspect(
        ("the design", "the colour", "it"), "design",
        ("looks", "doesn't look", "does not look"),
        ("{d}cute", "{d}nice", "{d}beautiful", "{d}elegant"),
        ("{d}cheap", "{d}dull", "different from the photos", "{d}tacky"),
        ("颜色", "外观", "款式", "颜值"), ("{d}好看", "{d}漂亮", "{d}可爱", "{d}高级"), ("{d}难看", "和图片不一样", "{d}土", "有色差"),
    ),
    "sturdiness": Aspect(
        ("it", "the handle", "the material"), "build",
        ("feels", "doesn't feel", "does not feel"),
        ("{d}sturdy", "{d}solid", "{d}durable", "{d}well made"),
        ("{d}flimsy", "{d}fragile", "{d}wobbly", "{d}cheap"),
        ("用料", "质地", "做工"), ("{d}结实", "{d}厚实", "{d}耐用", "{d}扎实"), ("{d}单薄", "容易坏", "{d}松", "用了两天就坏了"),
    ),
}
GENERAL_ASPECTS = ("quality", "price", "delivery", "packaging", "service")
CATEGORY_ASPECTS: dict[str, tuple[str, ...]] = {
    "kitchen": ("sturdiness", "look"),
    "beauty": ("skin",),
    "snacks": ("taste",),
    "tea": ("taste",),
    "garden": ("sturdiness",),
    "toys": ("sturdiness", "look"),
    "apparel": ("size", "fabric", "look"),
    "electronics": ("function", "look"),
    "stationery": ("look", "quality"),
    "home_textiles": ("fabric", "look"),
}

EN_STRONG = ("very ", "really ", "super ", "extremely ", "incredibly ", "truly ")
EN_MILD = ("quite ", "pretty ", "fairly ", "reasonably ")
EN_SLIGHT = ("a bit ", "a little ", "slightly ", "somewhat ")
ZH_STRONG = ("非常", "特别", "超级", "很", "真的很", "相当")

EN_IDIOMS = {
    (1, True): ("Highly recommend!", "Would buy again.", "Worth every penny.", "Love it!", "Five stars.",
                "Exactly as described.", "Couldn't be happier.", "Will definitely order again."),
    (1, False): ("No problem at all.", "Can't complain.", "Does the job.", "Not bad.", "Happy enough.",
                 "It's fine for the price.", "No complaints."),
    (-1, False): ("Could be better.", "Expected more.", "Meh.", "Not sure I'd buy again.",
                  "A bit of a letdown."),
    (-1, True): ("Not worth it.", "Would not buy again.", "Waste of money.", "Very disappointed.",
                 "Not as described.", "Returned it.", "Avoid.", "Never again."),
}
ZH_IDIOMS = {
    (1, True): ("好评！", "物美价廉", "性价比很高", "还会回购", "下次还来", "五星好评", "强烈推荐", "和描述一致", "非常满意"),
    (1, False): ("还行吧", "中规中矩", "凑合用", "总体满意", "没什么问题", "对得起这个价"),
    (-1, False): ("不是很满意", "没有想象中好", "有待改进", "一般般吧", "有点失望"),
    (-1, True): ("差评", "不推荐", "再也不买了", "与描述不符", "不值这个价", "已退货", "很失望", "一分钱一分货"),
}
EN_OPENERS = ("Bought this as a gift.", "Second order from this shop.", "Got it on sale.",
              "Arrived yesterday.", "Used it for a week now.", "Ordered during the 11.11 sale.", "My third one.")
ZH_OPENERS = ("第二次买了，", "给家里人买的，", "活动时入手的，", "收到了，", "用了一周，", "双十一囤的，", "朋友推荐的，")
EMOJI = {1: ("😊", "👍", "❤️", "😍", "🎉", "👌"), -1: ("😡", "👎", "😞", "🙄", "😤")}

EDGE_CASES: tuple[tuple[str, str, str, str, int], ...] = (
    # (kind, text, lang, polarity, rating); they replace ordinary reviews so loaders and scorers meet them
    ("emoji_only", "👍👍👍", "und", "positive", 5),
    ("emoji_only", "😡😡", "und", "negative", 1),
    ("empty", ".", "und", "neutral", 3),
    ("empty", "ok", "en", "neutral", 3),
    ("html", "<b>great</b> quality, fast delivery<br>would buy again", "en", "positive", 5),
    ("newline", "Good product.\nFast delivery.\nWould buy again.", "en", "positive", 5),
    ("formula", "+1 would buy again", "en", "positive", 5),
    ("formula", "=) very happy with it", "en", "positive", 5),
    ("formula", "-_- broke after two days", "en", "negative", 1),
    ("traditional", "質量很好，物流也很快，非常滿意！", "zh-Hant", "positive", 5),
    ("traditional", "包裝破損了，客服態度也不好，不推薦。", "zh-Hant", "negative", 1),
    ("spanish", "Muy buena calidad y llegó rápido. ¡Recomendado!", "es", "positive", 5),
    ("japanese", "思ったより小さかったです。ちょっと残念。", "ja", "negative", 2),
    ("code_switch", "东西很好，delivery also fast 👍", "mixed", "positive", 5),
)
