extension ConsoleText {
    /// Words of the products, prices, categories, promotions and coupons screens.
    static let catalogArea: Entries = catalogWords.merging(marketingWords) { first, _ in first }

    /// Products, prices, shelf, images and categories (`cat_…`), and the form fields
    /// (`field_…`, the labels a refused value is named by).
    static let catalogWords: Entries = [
        "cat_search": ("搜索", "Search"),
        "cat_search_hint": ("编码、名称或条码", "code, name or barcode"),
        "cat_category": ("分类", "Category"),
        "cat_categories": ("商品分类", "Categories"),
        "cat_count": ("商品数", "Products"),
        "cat_product": ("商品", "Product"),
        "cat_name": ("名称", "Name"),
        "cat_skus": ("规格（SKU）", "SKUs"),
        "cat_price": ("售价", "Price"),
        "cat_on_shelf": ("上架", "On the shelf"),
        "cat_stock": ("库存（全部仓库）", "Stock (all warehouses)"),
        "cat_scheduled_tag": ("有定时调价", "price change scheduled"),
        "cat_brand": ("品牌", "Brand"),
        "cat_specs": ("规格", "Specs"),
        "cat_barcode": ("条码", "Barcode"),
        "cat_pending": ("待生效价格", "Scheduled prices"),
        "cat_on": ("在售", "on"),
        "cat_off": ("已下架", "off"),
        "cat_all_on": ("全部上架", "Put every SKU on the shelf"),
        "cat_all_off": ("全部下架", "Take every SKU off the shelf"),
        "cat_put_on": ("上架", "Put on"),
        "cat_take_off": ("下架", "Take off"),
        "cat_new_price": ("新价格（元）", "New price (yuan)"),
        "cat_effective_at": ("生效时间", "Effective from"),
        "cat_effective_hint": ("留空表示立即生效", "empty: now"),
        "cat_set_price": ("改价", "Set price"),
        "cat_price_hint": (
            "新价格以元填写；生效时间留空即立即生效，填写则到点生效（按总部时区），门店即使晚同步也按当时有效的价格收款。",
            "Prices in yuan. Leave the time empty to change it now; with a time (head office's time zone) it applies from then, and a store that learns of it late still charges the price in effect at each moment."
        ),
        "cat_no_price_permission": (
            "你的角色不能改价（需要 change_prices 权限）。", "Your role may not change prices (change_prices)."
        ),
        "cat_images": ("商品图片", "Images"),
        "cat_images_hint": ("图片网址，每行一个（https://）", "Image URLs, one per line (https://)"),
        "cat_save_images": ("保存图片", "Save images"),
        "cat_new_product": ("新增商品", "Add a product"),
        "cat_add_product": ("添加商品", "Add the product"),
        "cat_specs_hint": (
            "有规格时按每种组合生成一个 SKU，编码为 商品编码-规格值（如 TSHIRT-M-red），价格相同，之后可逐个改价。",
            "With specs, one SKU per combination, coded PRODUCT-VALUE-… (TSHIRT-M-red), each at this price; change them one by one later."
        ),
        "cat_products_in": ("商品数", "Products"),
        "cat_retired": ("已停用", "retired"),
        "cat_in_use": ("使用中", "in use"),
        "cat_save": ("保存", "Save"),
        "cat_retire": ("停用", "Retire"),
        "cat_add_category": ("添加分类", "Add a category"),
        "field_sku": ("商品编码", "Code"),
        "field_product": ("商品", "Product"),
        "field_name": ("名称", "Name"),
        "field_price": ("价格", "Price"),
        "field_at": ("生效时间", "Effective from"),
        "field_category": ("分类", "Category"),
        "field_brand": ("品牌", "Brand"),
        "field_barcode": ("条码", "Barcode"),
        "field_specs": ("规格（每行一个，如 size=S,M,L）", "Specs (one per line, size=S,M,L)"),
        "field_image": ("图片网址", "Image URL"),
        "field_images": ("图片网址", "Image URLs"),
        "field_on": ("上下架", "Shelf"),
        "field_path": ("分类路径", "Path"),
        "field_rename": ("新名称", "New name"),
        "field_parent": ("移到上级分类", "Move under"),
    ]
}
