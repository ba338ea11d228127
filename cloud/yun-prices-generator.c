/* yun-prices-generator.c: products, merchants' offers and price history
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "yun-prices-generator.h"

#include "yun-cloud-db.h"
#include "yun-cloud-random.h"

#include <math.h>

/* Money is in fen (hundredths of a yuan), as integers. */
const char yun_prices_schema[] =
  "CREATE TABLE IF NOT EXISTS categories ("
  "  id TEXT PRIMARY KEY, name TEXT NOT NULL, position INTEGER NOT NULL);"
  "CREATE TABLE IF NOT EXISTS merchants ("
  "  id TEXT PRIMARY KEY, name TEXT NOT NULL, city TEXT NOT NULL, rating REAL NOT NULL);"
  "CREATE TABLE IF NOT EXISTS products ("
  "  n INTEGER PRIMARY KEY,"
  "  id TEXT NOT NULL UNIQUE,"
  "  name TEXT NOT NULL,"
  "  brand TEXT NOT NULL,"
  "  category TEXT NOT NULL REFERENCES categories (id),"
  "  description TEXT NOT NULL);"
  "CREATE VIRTUAL TABLE IF NOT EXISTS products_fts USING fts5 ("
  "  name, brand, category, description,"
  "  content = 'products', content_rowid = 'n',"
  "  tokenize = 'unicode61 remove_diacritics 2');"
  "CREATE TRIGGER IF NOT EXISTS products_fts_insert AFTER INSERT ON products BEGIN"
  "  INSERT INTO products_fts (rowid, name, brand, category, description)"
  "  VALUES (new.n, new.name, new.brand, new.category, new.description);"
  "END;"
  "CREATE TABLE IF NOT EXISTS offers ("
  "  product TEXT NOT NULL REFERENCES products (id),"
  "  merchant TEXT NOT NULL REFERENCES merchants (id),"
  "  price INTEGER NOT NULL CHECK (price > 0),"
  "  shipping INTEGER NOT NULL CHECK (shipping >= 0),"
  "  in_stock INTEGER NOT NULL,"
  "  updated INTEGER NOT NULL,"
  "  PRIMARY KEY (product, merchant));"
  /* One row per product: the best total of each day from `first` (a
   * date, YYYY-MM-DD) on, as a JSON array of fen, oldest first. */
  "CREATE TABLE IF NOT EXISTS history ("
  "  product TEXT PRIMARY KEY REFERENCES products (id),"
  "  first TEXT NOT NULL,"
  "  bests TEXT NOT NULL);"
  "CREATE TABLE IF NOT EXISTS alerts ("
  "  user TEXT NOT NULL,"
  "  product TEXT NOT NULL REFERENCES products (id),"
  "  below INTEGER NOT NULL CHECK (below > 0),"
  "  created INTEGER NOT NULL,"
  "  PRIMARY KEY (user, product));";

typedef struct {
  const char *id;
  const char *name;
  const char *brands[6];
  const char *series[6];
  const char *variants[4];
  double min_price;
  double max_price;
  const char *description;
} ProductCategory;

static const ProductCategory product_categories[] = {
  { "phones", "Phones",
    { "Huaxing", "Mizhi", "Oupo", "Vivant", "Honora", "Meizhen" },
    { "Note 13", "P70", "Reno 11", "X100", "Magic 6", "Nova 12" },
    { "128 GB", "256 GB", "512 GB", "Pro 256 GB" },
    900, 7999, "A phone with a bright OLED screen, a fast charger and a camera for night shots." },
  { "laptops", "Laptops",
    { "Lenvia", "Huaxing", "Asura", "Mizhi", "Honora", "Delta" },
    { "ThinkBook 14", "MateBook D 16", "VivoBook 15", "RedmiBook Pro", "MagicBook X", "Inspira 14" },
    { "i5 16 GB", "i7 16 GB", "Ryzen 7 32 GB", "Ultra 5 16 GB" },
    2999, 12999, "A light laptop with a full-day battery and a sharp 2.5K display." },
  { "headphones", "Headphones",
    { "Sonique", "Edifield", "Huaxing", "Mizhi", "Bosun", "Soundcore" },
    { "FreeBuds 5", "Buds 4 Pro", "W820NB", "QuietSound 45", "Liberty 4", "AirDots 3" },
    { "White", "Black", "Blue", "Noise Cancelling" },
    99, 2499, "Wireless earphones with active noise cancelling and a compact charging case." },
  { "cameras", "Cameras",
    { "Canonet", "Nikora", "Fujimo", "Sonique", "Skyfly", "Insta" },
    { "R50", "Z30", "X-S20", "ZV-E10", "Mini 4", "Action 4" },
    { "Body", "Kit 18-45", "Kit 15-45", "Vlog Kit" },
    1499, 9999, "A compact camera for travel and video, with a flip screen and good autofocus." },
  { "tvs", "Televisions",
    { "Haixin", "TCK", "Mizhi", "Skyway", "Changhong", "Sonique" },
    { "E7K", "Q10K", "A Pro", "G7E", "D6", "X90L" },
    { "55 inch", "65 inch", "75 inch", "85 inch" },
    1999, 15999, "A 4K television with local dimming, 120 Hz and a remote you can talk to." },
  { "kitchen", "Kitchen appliances",
    { "Midea", "Supor", "Joyoung", "Bear", "Gree", "Fotile" },
    { "Rice Cooker IH", "Soymilk Maker", "Air Fryer 5L", "Steam Oven", "Kettle Pro", "Blender Max" },
    { "3 L", "4 L", "5 L", "Smart" },
    99, 3999, "Cooks rice, porridge and soup on a timer, so dinner waits for you." },
  { "watches", "Watches & bands",
    { "Huaxing", "Mizhi", "Amazfit", "Honora", "Oupo", "Vivant" },
    { "Watch GT 4", "Band 8", "Balance", "Watch 4", "Watch X", "Band Pro" },
    { "41 mm", "46 mm", "Sport", "Classic" },
    199, 3499, "Tracks sleep, steps and heart rate for two weeks on one charge." },
  { "gaming", "Gaming",
    { "Nintendo", "Sonique", "Mizhi", "Flydigi", "Beitong", "Ayaneo" },
    { "Switch OLED", "PlayStation 5", "Game Controller", "Apex 4", "Handheld 2S", "Arcade Stick" },
    { "Standard", "Bundle", "Digital", "Limited" },
    149, 4999, "For long evenings: fast loading, good controllers, and games for the whole family." },
};

static const struct {
  const char *name;
  const char *city;
} merchants[] = {
  { "Jade Electronics", "Hangzhou" }, { "West Lake Digital", "Hangzhou" },
  { "Canal Mart", "Hangzhou" }, { "Qiantang Appliances", "Hangzhou" },
  { "Silk Road Online", "Xi'an" }, { "Dragon Well Trading", "Hangzhou" },
  { "Hubin Digital Plaza", "Hangzhou" }, { "Sunrise 3C", "Shenzhen" },
  { "Panda Direct", "Chengdu" }, { "Orchid Home", "Suzhou" }, { "Peak Outlet", "Ningbo" },
  { "Lantern Mall", "Guangzhou" }, { "Yangtze Supply", "Wuhan" },
  { "Pearl River Electronics", "Guangzhou" }, { "Northern Star Retail", "Beijing" },
  { "Blue Whale Store", "Qingdao" }, { "Golden Harvest", "Nanjing" },
  { "Tiantang Shop", "Hangzhou" }, { "Wulin Plaza Online", "Hangzhou" },
  { "Red Lantern Digital", "Shanghai" }, { "Kite Express", "Weifang" },
  { "Harbor Goods", "Xiamen" }, { "Bamboo Bazaar", "Anji" }, { "Ninebridge Trading", "Shanghai" },
  { "Crane Direct", "Hangzhou" }, { "Huaqiang Parts", "Shenzhen" },
};

static const int shipping_choices[] = { 0, 0, 0, 0, 0, 0, 600, 800, 1000, 1200, 1500, 2000 };

/* A price as shops write them: whole yuan ending in 9 above 100 yuan. */
static gint64
shop_price (double yuan)
{
  if (yuan >= 100)
    return ((gint64) (yuan / 10) * 10 + 9) * 100;
  return (gint64) lround (yuan * 10) * 10;
}

static gboolean
insert_history (GRand         *rand,
                sqlite3_stmt  *stmt,
                const char    *product,
                gint64         best_now,
                const char    *first,
                GError       **error)
{
  g_autoptr(GString) bests = g_string_new ("[");
  double level = best_now * g_rand_double_range (rand, 1.02, 1.25);

  /* Walk from the oldest day to today: prices were higher and drift down
   * to the current best, with sales days in between. */
  for (int day = YUN_PRICES_GENERATOR_DAYS - 1; day >= 0; day--) {
    double target = best_now + (level - best_now) * day / YUN_PRICES_GENERATOR_DAYS;
    gint64 best;

    level = level * 0.98 + target * 0.02 + level * g_rand_double_range (rand, -0.012, 0.012);
    best = day == 0 ? best_now : (gint64) lround (level);
    if (day > 0 && g_rand_int_range (rand, 0, 30) == 0)
      best = (gint64) lround (best * 0.88);
    g_string_append_printf (bests, "%s%" G_GINT64_FORMAT, day == YUN_PRICES_GENERATOR_DAYS - 1
                                                            ? "" : ",", MAX (best, 100));
  }
  g_string_append_c (bests, ']');

  sqlite3_bind_text (stmt, 1, product, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, first, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, bests->str, -1, SQLITE_TRANSIENT);
  return yun_cloud_db_step_done (stmt, error);
}

/**
 * yun_prices_generator_fill:
 * @db: a database with yun_prices_schema
 * @user_data: unused
 * @error: return location for a #GError
 *
 * Adds merchants, %YUN_PRICES_GENERATOR_PRODUCTS products with offers
 * from many of them, and each product's daily best price up to today.
 *
 * Returns: %TRUE on success
 */
gboolean
yun_prices_generator_fill (sqlite3   *db,
                           gpointer   user_data,
                           GError   **error)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (YUN_PRICES_GENERATOR_SEED);
  g_autoptr(sqlite3_stmt) insert_category = NULL;
  g_autoptr(sqlite3_stmt) insert_merchant = NULL;
  g_autoptr(sqlite3_stmt) insert_product = NULL;
  g_autoptr(sqlite3_stmt) insert_offer = NULL;
  g_autoptr(sqlite3_stmt) insert_history_stmt = NULL;
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GDateTime) today = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) first_day = g_date_time_add_days (today, 1 - YUN_PRICES_GENERATOR_DAYS);
  g_autofree char *first_date = g_date_time_format (first_day, "%Y-%m-%d");
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  insert_category = yun_cloud_db_prepare (db, "INSERT INTO categories VALUES (?, ?, ?)", error);
  insert_merchant = yun_cloud_db_prepare (db, "INSERT INTO merchants VALUES (?, ?, ?, ?)", error);
  insert_product = yun_cloud_db_prepare (db,
                                         "INSERT INTO products (id, name, brand, category,"
                                         " description) VALUES (?, ?, ?, ?, ?)",
                                         error);
  insert_offer = yun_cloud_db_prepare (db, "INSERT INTO offers VALUES (?, ?, ?, ?, ?, ?)", error);
  insert_history_stmt = yun_cloud_db_prepare (db, "INSERT INTO history VALUES (?, ?, ?)", error);
  if (insert_category == NULL || insert_merchant == NULL || insert_product == NULL ||
      insert_offer == NULL || insert_history_stmt == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (product_categories); i++) {
    sqlite3_bind_text (insert_category, 1, product_categories[i].id, -1, SQLITE_STATIC);
    sqlite3_bind_text (insert_category, 2, product_categories[i].name, -1, SQLITE_STATIC);
    sqlite3_bind_int (insert_category, 3, i);
    if (!yun_cloud_db_step_done (insert_category, error))
      return FALSE;
  }

  for (guint i = 0; i < G_N_ELEMENTS (merchants); i++) {
    g_autofree char *id = yun_cloud_random_slug (merchants[i].name);

    sqlite3_bind_text (insert_merchant, 1, id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (insert_merchant, 2, merchants[i].name, -1, SQLITE_STATIC);
    sqlite3_bind_text (insert_merchant, 3, merchants[i].city, -1, SQLITE_STATIC);
    sqlite3_bind_double (insert_merchant, 4,
                         round (g_rand_double_range (rand, 3.6, 5.0) * 10) / 10);
    if (!yun_cloud_db_step_done (insert_merchant, error))
      return FALSE;
  }

  for (guint i = 0; i < YUN_PRICES_GENERATOR_PRODUCTS; i++) {
    const ProductCategory *category = &YUN_CLOUD_PICK (rand, product_categories);
    const char *brand = category->brands[g_rand_int_range (rand, 0, 6)];
    g_autofree char *name = g_strdup_printf ("%s %s %s", brand,
                                             category->series[g_rand_int_range (rand, 0, 6)],
                                             category->variants[g_rand_int_range (rand, 0, 4)]);
    g_autofree char *id = yun_cloud_random_slug (name);
    double base = yun_cloud_random_log_range (rand, category->min_price, category->max_price);
    guint n_offers = g_rand_int_range (rand, 4, 15);
    guint first = g_rand_int_range (rand, 0, G_N_ELEMENTS (merchants));
    gint64 best = G_MAXINT64;

    /* The same model twice is the same product. */
    if (g_hash_table_contains (ids, id))
      continue;
    g_hash_table_add (ids, g_strdup (id));

    sqlite3_bind_text (insert_product, 1, id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (insert_product, 2, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (insert_product, 3, brand, -1, SQLITE_STATIC);
    sqlite3_bind_text (insert_product, 4, category->id, -1, SQLITE_STATIC);
    sqlite3_bind_text (insert_product, 5, category->description, -1, SQLITE_STATIC);
    if (!yun_cloud_db_step_done (insert_product, error))
      return FALSE;

    for (guint o = 0; o < n_offers; o++) {
      g_autofree char *merchant = yun_cloud_random_slug (
        merchants[(first + o) % G_N_ELEMENTS (merchants)].name);
      gint64 price = shop_price (base * g_rand_double_range (rand, 0.9, 1.15));
      gint64 shipping = YUN_CLOUD_PICK (rand, shipping_choices);
      gboolean in_stock = g_rand_int_range (rand, 0, 10) != 0;

      if (in_stock)
        best = MIN (best, price + shipping);
      sqlite3_bind_text (insert_offer, 1, id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (insert_offer, 2, merchant, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (insert_offer, 3, price);
      sqlite3_bind_int64 (insert_offer, 4, shipping);
      sqlite3_bind_int (insert_offer, 5, in_stock);
      sqlite3_bind_int64 (insert_offer, 6, now - g_rand_int_range (rand, 0, 86400));
      if (!yun_cloud_db_step_done (insert_offer, error))
        return FALSE;
    }

    if (best == G_MAXINT64)
      best = shop_price (base);
    if (!insert_history (rand, insert_history_stmt, id, best, first_date, error))
      return FALSE;
  }

  return TRUE;
}
