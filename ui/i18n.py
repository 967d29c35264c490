"""The one translation table of PromoLens (English and Simplified Chinese).

Keys are dotted codes; the core returns codes (kinds, columns, problem reasons, notes, error codes)
and this table turns them into words. ``translate`` is pure so it can be tested without streamlit.
"""

from __future__ import annotations

from collections.abc import Mapping

LANGUAGES = {"en": "English", "zh": "简体中文"}

TEXT: dict[str, dict[str, str]] = {
    # App shell
    "app.title": {"en": "PromoLens", "zh": "PromoLens 促销透镜"},
    "app.tagline": {
        "en": "Promotion analytics for online shops: customers, offers, reviews and campaign effects.",
        "zh": "面向网店的促销分析：客户、优惠、评价与活动效果。",
    },
    "nav.home": {"en": "Home", "zh": "首页"},
    "nav.data": {"en": "Data", "zh": "数据"},
    "sidebar.language": {"en": "Language", "zh": "语言"},
    "sidebar.sample": {"en": "Use the sample shop's data", "zh": "使用示例店铺数据"},
    "sidebar.sample_help": {
        "en": "A fictional shop, so every page shows something before you upload. Your uploads replace it per table.",
        "zh": "一家虚构的店铺，上传前每个页面都有内容。上传的表会替换对应的示例表。",
    },
    "sidebar.loaded": {"en": "Loaded data", "zh": "已加载数据"},
    "sidebar.none": {"en": "No data yet: upload on the Data page.", "zh": "尚无数据：请在“数据”页上传。"},
    "sidebar.rows": {"en": "{rows:,} rows · {source}", "zh": "{rows:,} 行 · {source}"},
    "source.sample": {"en": "sample", "zh": "示例"},
    # Kinds
    "kind.orders": {"en": "Orders", "zh": "订单"},
    "kind.reviews": {"en": "Reviews", "zh": "评价"},
    "kind.campaign": {"en": "Campaign results", "zh": "活动结果"},
    "kind.ad_events": {"en": "Ad events", "zh": "广告日志"},
    "kind.items": {"en": "Item catalogue", "zh": "商品目录"},
    "kind_help.orders": {
        "en": "One row per order line: customer, date, item and amount (or quantity and unit price).",
        "zh": "每行一条订单明细：客户、日期、商品及金额（或数量和单价）。",
    },
    "kind_help.reviews": {"en": "One row per review: its text, optionally stars, customer, item and date.", "zh": "每行一条评价：评价内容，可选星级、客户、商品和日期。"},
    "kind_help.campaign": {
        "en": "One row per customer of a test: group (e.g. control / coupon) and outcome (converted and/or revenue).",
        "zh": "每行一位参与实验的客户：分组（如对照组/优惠券组）和结果（是否转化和/或收入）。",
    },
    "kind_help.ad_events": {"en": "One row per ad impression: clicked, and optionally converted, cost, revenue, time and features.", "zh": "每行一次广告曝光：是否点击，可选是否转化、花费、收入、时间和特征。"},
    "kind_help.items": {"en": "One row per item: id, and optionally name, category, price and description.", "zh": "每行一个商品：编号，可选名称、类目、价格和描述。"},
    # Canonical columns
    "column.order_id": {"en": "Order ID", "zh": "订单号"},
    "column.customer_id": {"en": "Customer ID", "zh": "客户ID"},
    "column.order_date": {"en": "Order date", "zh": "下单日期"},
    "column.item_id": {"en": "Item ID", "zh": "商品编号"},
    "column.item_name": {"en": "Item name", "zh": "商品名称"},
    "column.category": {"en": "Category", "zh": "类目"},
    "column.quantity": {"en": "Quantity", "zh": "数量"},
    "column.unit_price": {"en": "Unit price", "zh": "单价"},
    "column.amount": {"en": "Amount", "zh": "金额"},
    "column.channel": {"en": "Channel", "zh": "渠道"},
    "column.coupon_code": {"en": "Coupon code", "zh": "优惠码"},
    "column.country": {"en": "Country / region", "zh": "国家/地区"},
    "column.review_id": {"en": "Review ID", "zh": "评价ID"},
    "column.rating": {"en": "Rating (stars)", "zh": "评分（星级）"},
    "column.review_date": {"en": "Review date", "zh": "评价日期"},
    "column.text": {"en": "Review text", "zh": "评价内容"},
    "column.group": {"en": "Group / variant", "zh": "分组"},
    "column.converted": {"en": "Converted (yes/no)", "zh": "是否转化"},
    "column.revenue": {"en": "Revenue", "zh": "收入"},
    "column.impression_id": {"en": "Impression ID", "zh": "曝光ID"},
    "column.timestamp": {"en": "Time", "zh": "时间"},
    "column.clicked": {"en": "Clicked (yes/no)", "zh": "是否点击"},
    "column.cost": {"en": "Cost", "zh": "花费"},
    "column.price": {"en": "Price", "zh": "价格"},
    "column.description": {"en": "Description", "zh": "描述"},
    "column.is_return": {"en": "Return", "zh": "退货"},
    # Home
    "home.intro": {
        "en": "Start on **Data** to upload your exports, or explore the sample shop that is loaded now.",
        "zh": "在**数据**页上传您的导出文件，或先浏览已加载的示例店铺。",
    },
    "home.kpi.revenue": {"en": "Net revenue", "zh": "净销售额"},
    "home.kpi.orders": {"en": "Orders", "zh": "订单数"},
    "home.kpi.customers": {"en": "Customers", "zh": "客户数"},
    "home.kpi.aov": {"en": "Average order value", "zh": "客单价"},
    "home.kpi.return_rate": {"en": "Returned share of sales", "zh": "退货金额占比"},
    "home.kpi.reviews": {"en": "Reviews", "zh": "评价数"},
    "home.kpi.rating": {"en": "Average rating", "zh": "平均评分"},
    "home.kpi.campaign": {"en": "Customers in the test", "zh": "实验客户数"},
    "home.kpi.impressions": {"en": "Ad impressions", "zh": "广告曝光数"},
    "home.chart.title": {"en": "Net revenue by month", "zh": "月度净销售额"},
    "home.chart.month": {"en": "Month", "zh": "月份"},
    "home.chart.revenue": {"en": "Net revenue", "zh": "净销售额"},
    "home.chart.returns": {"en": "Returns", "zh": "退货"},
    "home.chart.customers": {"en": "Active customers", "zh": "活跃客户"},
    "home.period": {"en": "Data from {start} to {end}", "zh": "数据期间：{start} 至 {end}"},
    "home.no_orders": {"en": "No orders loaded: upload an orders export on the Data page.", "zh": "尚未加载订单：请在“数据”页上传订单导出文件。"},
    "home.capabilities": {"en": "What you can answer here", "zh": "在这里能回答的问题"},
    "home.capability.data": {"en": "**Data**: upload CSV/TSV/Excel exports, check the column mapping and every problem row.", "zh": "**数据**：上传 CSV/TSV/Excel 导出文件，核对列映射和每一条问题行。"},
    # Data page
    "data.title": {"en": "Data", "zh": "数据"},
    "data.intro": {
        "en": "Upload one or several exports per table (CSV, TSV or Excel; UTF-8, GBK or UTF-16). PromoLens recognises the columns, shows what it chose, and reports every row it could not use.",
        "zh": "每类表可上传一个或多个导出文件（CSV、TSV 或 Excel；UTF-8、GBK 或 UTF-16）。PromoLens 会识别列名，展示所选映射，并报告每一条无法使用的行。",
    },
    "data.upload": {"en": "Upload {kind} files", "zh": "上传{kind}文件"},
    "data.using_sample": {"en": "Showing the sample shop's {kind}. Upload a file to use your own.", "zh": "当前显示示例店铺的{kind}。上传文件即可使用您自己的数据。"},
    "data.not_loaded": {"en": "No {kind} loaded.", "zh": "尚未加载{kind}。"},
    "data.files": {"en": "Files in use: {names}", "zh": "使用中的文件：{names}"},
    "data.remove": {"en": "Remove uploaded {kind}", "zh": "移除已上传的{kind}"},
    "data.mapping": {"en": "Column mapping", "zh": "列映射"},
    "data.mapping_help": {
        "en": "Which column of your file holds each field. Change a choice if PromoLens guessed wrong; required fields are marked *.",
        "zh": "您文件中的哪一列对应每个字段。如识别有误可修改；带 * 的为必填字段。",
    },
    "data.mapping.none": {"en": "— not in file —", "zh": "— 文件中没有 —"},
    "data.mapping.reset": {"en": "Reset to automatic", "zh": "恢复自动识别"},
    "data.report": {"en": "Data report", "zh": "数据报告"},
    "data.read_as": {"en": "Read as {format}, encoding {encoding}, delimiter {delimiter}", "zh": "读取格式 {format}，编码 {encoding}，分隔符 {delimiter}"},
    "data.notes": {"en": "What PromoLens noticed", "zh": "PromoLens 注意到的情况"},
    "data.problems": {"en": "Problems by reason", "zh": "问题汇总（按原因）"},
    "data.no_problems": {"en": "No problem rows: every row was read.", "zh": "没有问题行：所有行均已读取。"},
    "data.download_problems": {"en": "Download problem rows (CSV)", "zh": "下载问题行（CSV）"},
    "data.download_clean": {"en": "Download the clean table (CSV)", "zh": "下载清洗后的表（CSV）"},
    "data.preview": {"en": "Preview (first {n} rows)", "zh": "预览（前 {n} 行）"},
    "data.formats": {"en": "Expected columns", "zh": "需要的列"},
    "data.required": {"en": "required", "zh": "必填"},
    "data.optional": {"en": "optional", "zh": "可选"},
    "data.delimiter.tab": {"en": "tab", "zh": "制表符"},
    "data.delimiter.comma": {"en": "comma", "zh": "逗号"},
    "data.delimiter.semicolon": {"en": "semicolon", "zh": "分号"},
    "data.delimiter.pipe": {"en": "pipe |", "zh": "竖线 |"},
    "data.field": {"en": "Field", "zh": "字段"},
    "data.header_examples": {"en": "Column names recognised (examples)", "zh": "可识别的列名（示例）"},
    "data.need": {"en": "Needed", "zh": "是否必填"},
    "data.error_title": {"en": "{name} could not be used", "zh": "{name} 无法使用"},
    # Report metrics and table headers
    "metric.rows_read": {"en": "Rows read", "zh": "读取行数"},
    "metric.rows_kept": {"en": "Rows kept", "zh": "保留行数"},
    "metric.rows_dropped": {"en": "Rows dropped", "zh": "丢弃行数"},
    "metric.values_emptied": {"en": "Values emptied", "zh": "置空的值"},
    "metric.first_date": {"en": "First date", "zh": "最早日期"},
    "metric.last_date": {"en": "Last date", "zh": "最晚日期"},
    "metric.customers": {"en": "Customers", "zh": "客户数"},
    "metric.items": {"en": "Items", "zh": "商品数"},
    "metric.rows_without_customer": {"en": "Rows without customer", "zh": "无客户ID的行"},
    "metric.returns": {"en": "Return lines", "zh": "退货行"},
    "problem.reason": {"en": "Reason", "zh": "原因"},
    "problem.row": {"en": "Row", "zh": "行号"},
    "problem.column": {"en": "Column", "zh": "列"},
    "problem.action": {"en": "What happened", "zh": "处理方式"},
    "problem.rows": {"en": "Rows", "zh": "行数"},
    "problem.example_row": {"en": "First row", "zh": "首个行号"},
    "problem.example_value": {"en": "Example value", "zh": "示例值"},
    "reason.not_a_number": {"en": "not a number", "zh": "不是数字"},
    "reason.not_a_date": {"en": "not a date", "zh": "不是日期"},
    "reason.not_yes_no": {"en": "not yes/no", "zh": "不是是/否"},
    "reason.invalid": {"en": "invalid value", "zh": "无效值"},
    "reason.missing_value": {"en": "required value missing", "zh": "缺少必填值"},
    "reason.wrong_field_count": {"en": "wrong number of fields", "zh": "字段数不对"},
    "reason.out_of_range": {"en": "outside the allowed range", "zh": "超出允许范围"},
    "action.dropped": {"en": "row dropped", "zh": "整行丢弃"},
    "action.set_empty": {"en": "value emptied, row kept", "zh": "值置空，保留该行"},
    "note.empty_rows_skipped": {"en": "{count:,} empty rows skipped.", "zh": "跳过 {count:,} 个空行。"},
    "note.comma_decimal": {"en": "{column}: comma read as the decimal mark (1.234,50 = 1234.50).", "zh": "{column}：逗号按小数点读取（1.234,50 = 1234.50）。"},
    "note.ambiguous_month_first": {"en": "{column}: dates like 03/05 could be either order; read as month/day.", "zh": "{column}：03/05 这类日期有歧义，按“月/日”读取。"},
    "note.excel_serial": {"en": "{column}: numbers read as Excel date serials.", "zh": "{column}：数字按 Excel 日期序号读取。"},
    "note.unix_seconds": {"en": "{column}: numbers read as Unix time (seconds).", "zh": "{column}：数字按 Unix 时间（秒）读取。"},
    "note.unix_ms": {"en": "{column}: numbers read as Unix time (milliseconds).", "zh": "{column}：数字按 Unix 时间（毫秒）读取。"},
    "note.amount_derived": {"en": "Amount computed as quantity × unit price for {count:,} rows.", "zh": "{count:,} 行的金额按 数量 × 单价 计算。"},
    "note.amount_filled": {"en": "{count:,} blank amounts filled with quantity × unit price.", "zh": "{count:,} 个空金额以 数量 × 单价 补齐。"},
    "note.returns_marked": {"en": "{count:,} lines are returns or cancellations: they reduce revenue and are not purchases.", "zh": "{count:,} 行为退货或取消：计入收入扣减，不算作购买。"},
    "note.rows_without_customer": {"en": "{count:,} rows have no customer ID: kept for sales totals, left out of customer analysis.", "zh": "{count:,} 行没有客户ID：计入销售总额，不参与客户分析。"},
    "note.future_dates": {"en": "{count:,} rows are dated in the future.", "zh": "{count:,} 行的日期在未来。"},
    "note.undecodable_characters": {"en": "{count:,} characters could not be decoded and were replaced by �.", "zh": "{count:,} 个字符无法解码，已替换为 �。"},
    "note.duplicate_header_renamed": {"en": "Repeated column name kept as {column}.", "zh": "重复的列名已保留为 {column}。"},
    # Errors (codes from promo_core.errors)
    "error.generic": {"en": "Something in this file could not be used.", "zh": "该文件中有内容无法使用。"},
    "error.empty": {"en": "The file is empty. Export the table again and upload the file.", "zh": "文件是空的。请重新导出表格后上传。"},
    "error.header_only": {"en": "The file has a header but no data rows (columns: {columns}). Export the rows too.", "zh": "文件只有表头、没有数据行（列：{columns}）。请连同数据行一起导出。"},
    "error.binary": {"en": "This looks like a {kind} file, not a table. Upload a CSV, TSV or XLSX export (unpack archives first).", "zh": "这看起来是 {kind} 文件，不是表格。请上传 CSV、TSV 或 XLSX 导出文件（压缩包请先解压）。"},
    "error.old_excel": {"en": "This is an old Excel .xls file. Save it as .xlsx or CSV and upload again.", "zh": "这是旧版 Excel .xls 文件。请另存为 .xlsx 或 CSV 后重新上传。"},
    "error.xlsx_bomb": {"en": "The Excel file unpacks to an implausible size and was not opened. Save it again as CSV.", "zh": "该 Excel 文件解压后体积异常，未打开。请另存为 CSV。"},
    "error.too_large": {"en": "The file is {size_mb} MB, above the {limit_mb} MB limit. Split it or filter it to the period you need.", "zh": "文件大小 {size_mb} MB，超过 {limit_mb} MB 上限。请拆分或只导出需要的时间段。"},
    "error.too_many_columns": {"en": "The file has {count} columns; at most {limit} are read. Remove unused columns.", "zh": "文件有 {count} 列，最多读取 {limit} 列。请删除不用的列。"},
    "error.too_many_rows": {"en": "The file has {count:,} rows; at most {limit:,} are read. Filter it first.", "zh": "文件有 {count:,} 行，最多读取 {limit:,} 行。请先筛选。"},
    "error.cell_too_long": {"en": "Column {column!r}, row {row}: a cell is longer than {limit:,} characters. Shorten or remove it.", "zh": "列 {column!r} 第 {row} 行：单元格超过 {limit:,} 个字符。请缩短或删除。"},
    "error.unparseable": {"en": "The file could not be parsed as a table. Check that it is a CSV, TSV or XLSX export.", "zh": "无法将文件解析为表格。请确认它是 CSV、TSV 或 XLSX 导出文件。"},
    "error.missing_columns": {
        "en": "The {kind} table needs {missing}, which PromoLens did not recognise. Columns in the file: {found}. {hints} Choose the matching column in the mapping below, or rename it in the file.",
        "zh": "{kind}表需要“{missing}”，但未能识别。文件中的列：{found}。{hints}请在下方的列映射中选择对应的列，或在文件中改名。",
    },
    "error.column_unusable": {
        "en": "Column {column!r} was used as {canonical}, but none of its values can be read ({examples}). Choose another column for {canonical} in the mapping, or fix the file.",
        "zh": "列 {column!r} 被用作 {canonical}，但其中没有可读取的值（{examples}）。请在映射中为 {canonical} 选择其他列，或修正文件。",
    },
    "error.column_empty": {
        "en": "No row has a usable {canonical} in column {column!r}. Choose another column for {canonical} in the mapping, or fill it in the file.",
        "zh": "列 {column!r} 中没有任何一行有可用的 {canonical}。请在映射中为 {canonical} 选择其他列，或在文件中补全。",
    },
    "error.part.or": {"en": " or ", "zh": " 或 "},
    "error.part.and": {"en": " and ", "zh": " 和 "},
    "error.part.maybe": {"en": "For {column}, maybe: {headers}.", "zh": "{column} 可能是：{headers}。"},
    "error.mapped_column_missing": {"en": "The mapping uses column {column!r}, which is not in the file. Columns found: {found}.", "zh": "映射使用了列 {column!r}，但文件中没有该列。文件中的列：{found}。"},
    "error.excel_too_many_rows": {"en": "{count:,} rows do not fit in one Excel sheet. Export CSV instead.", "zh": "{count:,} 行超出单个 Excel 工作表的容量。请改为导出 CSV。"},
    "error.excel_cell_too_long": {"en": "Column {column!r}, row {row}: a cell is too long for Excel. Export CSV instead.", "zh": "列 {column!r} 第 {row} 行：单元格超出 Excel 上限。请改为导出 CSV。"},
}


def translate(key: str, lang: str, **params: object) -> str:
    """The text for ``key`` in ``lang`` (English when missing), formatted with ``params``."""
    entry = TEXT.get(key)
    if entry is None:
        return key
    template = entry.get(lang) or entry["en"]
    try:
        return template.format(**params)
    except (KeyError, ValueError, IndexError):
        return template


def has_key(key: str) -> bool:
    """Whether the table knows ``key``."""
    return key in TEXT


def error_text(code: str, message: str, details: Mapping[str, object], lang: str) -> str:
    """A core error in the user's language; the core's own (English) message when no entry fits."""
    entry = TEXT.get(f"error.{code}")
    if entry is None or lang not in entry:
        return message
    try:
        return entry[lang].format(**details)
    except (KeyError, ValueError, IndexError):
        return message
