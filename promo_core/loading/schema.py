"""The canonical tables: which columns each kind of upload has, their types and the names they go by.

Synonyms cover English and Chinese headers and the exports marketers actually have: Shopify,
Taobao/Tmall-style Chinese back offices and the UCI "Online Retail" files (InvoiceNo, StockCode,
CustomerID). Matching ignores case, spacing and punctuation, so only distinct spellings are listed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from promo_core.errors import SchemaError

ValueType = Literal["id", "text", "category", "number", "date", "bool"]

KINDS = ("orders", "reviews", "campaign", "ad_events", "items")


@dataclass(frozen=True)
class ColumnSpec:
    """One canonical column: its type, whether a row without it is dropped, and its synonyms."""

    name: str
    type: ValueType
    synonyms: tuple[str, ...] = ()
    required: bool = False
    drop_if_missing: bool = False


@dataclass(frozen=True)
class TableSpec:
    """A kind of table. ``any_of`` lists alternatives of which at least one must be fully mapped."""

    kind: str
    columns: tuple[ColumnSpec, ...]
    any_of: tuple[tuple[tuple[str, ...], ...], ...] = ()

    def column(self, name: str) -> ColumnSpec:
        """The spec of one canonical column."""
        for spec in self.columns:
            if spec.name == name:
                return spec
        raise KeyError(name)

    @property
    def names(self) -> tuple[str, ...]:
        """Canonical column names in display order."""
        return tuple(spec.name for spec in self.columns)


_CUSTOMER = ColumnSpec(
    "customer_id",
    "id",
    (
        "customer_id", "customerid", "customer", "customer no", "customer number", "client_id",
        "user_id", "userid", "user", "member_id", "memberid", "buyer_id", "buyer", "account_id",
        "email", "customer email",
        "会员id", "会员编号", "会员号", "会员", "用户id", "用户编号", "用户", "客户id", "客户编号",
        "客户", "顾客id", "顾客", "买家id", "买家", "买家会员名", "买家昵称", "买家账号",
    ),
    required=True,
)
_ITEM = ColumnSpec(
    "item_id",
    "id",
    (
        "item_id", "itemid", "sku", "stockcode", "stock_code", "product_id", "productid",
        "product_code", "article", "article_no", "lineitem sku", "variant sku", "asin",
        "商品id", "商品编号", "商品编码", "商家编码", "货号", "宝贝id", "sku编码", "sku编号", "产品编号",
        "产品id",
    ),
)
_ITEM_NAME = ColumnSpec(
    "item_name",
    "text",
    (
        "item_name", "product_name", "product", "description", "lineitem name", "title",
        "product title", "item", "商品名称", "商品名", "商品标题", "宝贝标题", "宝贝名称", "产品名称",
        "品名",
    ),
)
_CATEGORY = ColumnSpec(
    "category",
    "category",
    ("category", "product_type", "product category", "type", "类目", "品类", "商品类目", "分类", "类别"),
)
_REVENUE_SYNONYMS = (
    "revenue", "sales", "sales_amount", "gmv", "收入", "销售额", "营收", "成交金额", "消费金额",
)


def _outcome_revenue() -> ColumnSpec:
    return ColumnSpec("revenue", "number", _REVENUE_SYNONYMS + ("order_value", "spend", "金额"))


ORDERS = TableSpec(
    "orders",
    (
        ColumnSpec(
            "order_id",
            "id",
            (
                "order_id", "orderid", "order", "order number", "order no", "invoiceno", "invoice",
                "invoice_no", "transaction_id", "name", "订单编号", "订单号", "订单id", "主订单编号",
                "子订单编号", "交易号",
            ),
        ),
        _CUSTOMER,
        ColumnSpec(
            "order_date",
            "date",
            (
                "order_date", "date", "invoicedate", "invoice_date", "order date", "created_at",
                "created at", "paid at", "order_time", "purchase_date", "transaction_date",
                "timestamp", "datetime", "time", "下单时间", "订单创建时间", "创建时间", "订单日期",
                "下单日期", "付款时间", "支付时间", "成交时间", "日期", "时间",
            ),
            required=True,
            drop_if_missing=True,
        ),
        replace(_ITEM, required=True, drop_if_missing=True),
        _ITEM_NAME,
        _CATEGORY,
        ColumnSpec(
            "quantity",
            "number",
            (
                "quantity", "qty", "units", "lineitem quantity", "count", "数量", "购买数量",
                "宝贝总数量", "商品数量", "件数", "销量",
            ),
        ),
        ColumnSpec(
            "unit_price",
            "number",
            (
                "unit_price", "unitprice", "price", "lineitem price", "item_price", "单价",
                "商品单价", "价格", "售价", "商品价格",
            ),
        ),
        ColumnSpec(
            "amount",
            "number",
            _REVENUE_SYNONYMS
            + (
                "amount", "total", "line_total", "subtotal", "value", "net_sales",
                "金额", "实付金额", "买家实际支付金额", "订单金额", "总金额", "实收金额", "支付金额",
                "应付金额", "小计",
            ),
            drop_if_missing=True,
        ),
        ColumnSpec("channel", "category", ("channel", "source", "sales channel", "渠道", "来源", "订单来源", "销售渠道")),
        ColumnSpec(
            "coupon_code",
            "text",
            ("coupon_code", "coupon", "discount code", "promo_code", "voucher", "优惠券", "优惠码", "优惠券码", "优惠券编号"),
        ),
        ColumnSpec(
            "country",
            "category",
            ("country", "region", "shipping country", "province", "国家", "地区", "省份", "收货地区"),
        ),
    ),
    any_of=((("amount",), ("quantity", "unit_price")),),
)

REVIEWS = TableSpec(
    "reviews",
    (
        ColumnSpec("review_id", "id", ("review_id", "reviewid", "id", "评价id", "评论id", "评价编号")),
        replace(_CUSTOMER, required=False),
        _ITEM,
        ColumnSpec(
            "rating",
            "number",
            ("rating", "stars", "star", "star_rating", "score", "review_rating", "评分", "星级", "打分", "评价星级", "分数"),
        ),
        ColumnSpec(
            "review_date",
            "date",
            ("review_date", "date", "created_at", "review_time", "time", "评价时间", "评论时间", "评价日期", "日期", "时间"),
        ),
        ColumnSpec(
            "text",
            "text",
            (
                "text", "review", "review_text", "review_body", "body", "comment", "comments", "content",
                "feedback", "评价内容", "评论内容", "评价", "评论", "内容", "评语", "买家评价",
            ),
            required=True,
            drop_if_missing=True,
        ),
    ),
)

CAMPAIGN = TableSpec(
    "campaign",
    (
        _CUSTOMER,
        ColumnSpec(
            "group",
            "category",
            (
                "group", "variant", "arm", "treatment", "test_group", "experiment_group", "cohort",
                "bucket", "分组", "组别", "实验组", "组",
            ),
            required=True,
            drop_if_missing=True,
        ),
        ColumnSpec(
            "converted",
            "bool",
            ("converted", "conversion", "purchased", "purchase", "bought", "是否转化", "转化", "是否购买", "购买"),
        ),
        _outcome_revenue(),
    ),
    any_of=((("converted",), ("revenue",)),),
)

AD_EVENTS = TableSpec(
    "ad_events",
    (
        ColumnSpec("impression_id", "id", ("impression_id", "impressionid", "id", "event_id", "曝光id", "展示id")),
        ColumnSpec("timestamp", "date", ("timestamp", "time", "datetime", "event_time", "date", "hour", "时间", "日期", "曝光时间")),
        ColumnSpec(
            "clicked",
            "bool",
            ("clicked", "click", "is_click", "clicks", "点击", "是否点击"),
            required=True,
            drop_if_missing=True,
        ),
        ColumnSpec("converted", "bool", ("converted", "conversion", "is_conversion", "转化", "是否转化")),
        ColumnSpec("cost", "number", ("cost", "spend", "ad_spend", "花费", "消耗", "成本", "费用")),
        _outcome_revenue(),
    ),
)

ITEMS = TableSpec(
    "items",
    (
        replace(_ITEM, required=True, drop_if_missing=True),
        replace(_ITEM_NAME, synonyms=tuple(s for s in _ITEM_NAME.synonyms if s != "description")),
        _CATEGORY,
        ColumnSpec("price", "number", ("price", "unit_price", "list_price", "价格", "单价", "售价", "商品价格")),
        ColumnSpec("description", "text", ("description", "details", "body", "描述", "商品描述", "详情")),
    ),
)

# Customers who must not be contacted: read like any upload (encodings, headers, limits), but kept
# beside the coupon list rather than on the Data page, so it is not one of KINDS.
OPT_OUTS = TableSpec("opt_outs", (replace(_CUSTOMER, drop_if_missing=True),))

SPECS: dict[str, TableSpec] = {
    spec.kind: spec for spec in (ORDERS, REVIEWS, CAMPAIGN, AD_EVENTS, ITEMS, OPT_OUTS)
}


def table_spec(kind: str) -> TableSpec:
    """The spec of a kind, or a clear error listing the kinds there are."""
    try:
        return SPECS[kind]
    except KeyError:
        raise SchemaError(
            f"Unknown table kind {kind!r}; use one of {', '.join(KINDS)}.", code="unknown_kind", kind=kind
        ) from None
