/* yun-groupbuy-generator.c: group-buying deals
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "yun-groupbuy-generator.h"

#include "yun-cloud-db.h"
#include "yun-cloud-random.h"

#include <math.h>

/* A deal sells at most `stock` places; `joined` always equals the number
 * of its buyers, and the CHECK keeps it within the stock whatever
 * happens.  Money is in fen. */
const char yun_groupbuy_schema[] =
  "CREATE TABLE IF NOT EXISTS categories ("
  "  id TEXT PRIMARY KEY, name TEXT NOT NULL, position INTEGER NOT NULL);"
  "CREATE TABLE IF NOT EXISTS deals ("
  "  id TEXT PRIMARY KEY,"
  "  title TEXT NOT NULL,"
  "  merchant TEXT NOT NULL,"
  "  category TEXT NOT NULL REFERENCES categories (id),"
  "  description TEXT NOT NULL,"
  "  price INTEGER NOT NULL CHECK (price > 0),"
  "  original INTEGER NOT NULL,"
  "  threshold INTEGER NOT NULL CHECK (threshold > 0),"
  "  stock INTEGER NOT NULL CHECK (stock >= threshold),"
  "  joined INTEGER NOT NULL DEFAULT 0 CHECK (joined >= 0 AND joined <= stock),"
  "  deadline INTEGER NOT NULL,"
  "  unlocked_at INTEGER);"
  "CREATE INDEX IF NOT EXISTS deals_by_deadline ON deals (deadline);"
  "CREATE TABLE IF NOT EXISTS buyers ("
  "  deal TEXT NOT NULL REFERENCES deals (id),"
  "  user TEXT NOT NULL,"
  "  joined_at INTEGER NOT NULL,"
  "  PRIMARY KEY (deal, user));";

typedef struct {
  const char *title;
  const char *description;
  double price;
} DealKind;

typedef struct {
  const char *id;
  const char *name;
  const char *merchants[4];
  DealKind kinds[6];
} DealCategory;

static const DealCategory deal_categories[] = {
  { "food", "Food & drink",
    { "Dragon Well Tea Co.", "Zhiweiguan", "Lakeside Crab House", "Old Hangzhou Kitchen" },
    { { "Longjing tea, 250 g gift tin", "First-picking West Lake Longjing from Meijiawu.", 168 },
      { "Hairy crab voucher, six crabs", "Yangcheng Lake hairy crabs, delivered fresh in autumn.", 298 },
      { "Dongpo pork dinner for two", "Four dishes, soup and rice at a lakeside restaurant.", 188 },
      { "Pastry box, 12 pieces", "Osmanthus cakes and crisp sesame pastries, baked this morning.", 58 },
      { "Hotpot for four", "Split pot, beef, lamb, vegetables and drinks.", 258 },
      { "Afternoon tea for two", "Tea, cakes and a view over the water.", 98 } } },
  { "trips", "Trips & outings",
    { "West Lake Boats", "Hangzhou Walks", "Anji Bamboo Resort", "Qiandao Lake Tours" },
    { { "West Lake boat tour for two", "An hour on a rowing boat to the Three Pools.", 120 },
      { "Lingyin Temple guided walk", "A morning with a guide through the temple and the caves.", 80 },
      { "Hot spring day pass", "Pools, sauna and lunch in the hills of Anji.", 168 },
      { "Qiandao Lake day trip", "Bus, boat and lunch on the Thousand Island Lake.", 238 },
      { "Bamboo forest bike ride", "Bikes, helmets and a guide for a half day in Anji.", 99 },
      { "Xixi Wetland night tour", "Boat ride by lantern light with tea.", 128 } } },
  { "goods", "Goods",
    { "Silk City Store", "Bamboo Home", "Qiantang Appliances", "Canal Mart" },
    { { "Hand-painted silk scarf", "Mulberry silk from Hangzhou, 90 × 90 cm.", 199 },
      { "Bamboo pillow set", "Two cool pillows for summer nights.", 79 },
      { "Air fryer, 5 L", "Crisp without oil; a recipe book included.", 269 },
      { "Tea set, celadon", "Longquan celadon pot and six cups.", 329 },
      { "Rice cooker, 4 L", "Induction heating, timer, porridge mode.", 399 },
      { "Umbrella, oiled paper", "Made by hand in Fuyang, for sun and rain.", 89 } } },
  { "services", "Services",
    { "Lotus Salon", "Sparkle Car Wash", "Moments Photo Studio", "Clean Home" },
    { { "Haircut, wash and style", "With a senior stylist, any weekday.", 68 },
      { "Three car washes", "Inside and out, valid for three months.", 99 },
      { "Family photo session", "One hour, two outfits, ten edited photos.", 399 },
      { "Home cleaning, 3 hours", "Two cleaners, products included.", 159 },
      { "Phone screen repair", "Original-grade screen, fitted while you wait.", 299 },
      { "Laundry, 10 items", "Washed, ironed and delivered.", 49 } } },
  { "fitness", "Fitness & beauty",
    { "Lakeside Gym", "Zen Yoga", "Harmony Spa", "Summit Climbing" },
    { { "Ten gym visits", "Any time, with showers and lockers.", 199 },
      { "Yoga, eight classes", "Beginner or intermediate classes in Binjiang.", 299 },
      { "Foot massage, 60 minutes", "With herbal soak and tea.", 88 },
      { "Climbing day pass", "Shoes and chalk included.", 78 },
      { "Swimming, 20 visits", "Heated indoor pool, valid for six months.", 260 },
      { "Facial treatment", "Ninety minutes with a consultation.", 168 } } },
};

/**
 * yun_groupbuy_generator_fill:
 * @db: a database with yun_groupbuy_schema
 * @user_data: unused
 * @error: return location for a #GError
 *
 * Adds %YUN_GROUPBUY_GENERATOR_DEALS deals around now: most open, some
 * already unlocked, a few sold out or ended, with their buyers.
 *
 * Returns: %TRUE on success
 */
gboolean
yun_groupbuy_generator_fill (sqlite3   *db,
                             gpointer   user_data,
                             GError   **error)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (YUN_GROUPBUY_GENERATOR_SEED);
  g_autoptr(sqlite3_stmt) insert_category = NULL;
  g_autoptr(sqlite3_stmt) insert_deal = NULL;
  g_autoptr(sqlite3_stmt) insert_buyer = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  insert_category = yun_cloud_db_prepare (db, "INSERT INTO categories VALUES (?, ?, ?)", error);
  insert_deal = yun_cloud_db_prepare (db,
                                      "INSERT INTO deals VALUES"
                                      " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                      error);
  insert_buyer = yun_cloud_db_prepare (db, "INSERT INTO buyers VALUES (?, ?, ?)", error);
  if (insert_category == NULL || insert_deal == NULL || insert_buyer == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (deal_categories); i++) {
    sqlite3_bind_text (insert_category, 1, deal_categories[i].id, -1, SQLITE_STATIC);
    sqlite3_bind_text (insert_category, 2, deal_categories[i].name, -1, SQLITE_STATIC);
    sqlite3_bind_int (insert_category, 3, i);
    if (!yun_cloud_db_step_done (insert_category, error))
      return FALSE;
  }

  for (guint i = 0; i < YUN_GROUPBUY_GENERATOR_DEALS; i++) {
    const DealCategory *category = &YUN_CLOUD_PICK (rand, deal_categories);
    const DealKind *kind = &category->kinds[g_rand_int_range (rand, 0, 6)];
    g_autofree char *id = g_strdup_printf ("deal-%03u", i + 1);
    int threshold = (int) yun_cloud_random_log_range (rand, 5, 200);
    int stock = (int) (threshold * g_rand_double_range (rand, 1.2, 4.0)) + 1;
    double fill = g_rand_double_range (rand, 0.05, 1.4);
    int joined = MIN (stock, (int) (threshold * fill));
    /* One deal in eight has ended; the others end within a week. */
    gint64 deadline = g_rand_int_range (rand, 0, 8) == 0
                        ? now - g_rand_int_range (rand, 3600, 3 * 86400)
                        : now + g_rand_int_range (rand, 1800, 7 * 86400);
    double discount = g_rand_double_range (rand, 0.45, 0.8);
    gint64 original = (gint64) lround (kind->price * 100);
    gint64 price = (gint64) lround (kind->price * discount) * 100;

    /* A few sell out. */
    if (g_rand_int_range (rand, 0, 10) == 0)
      joined = stock;

    sqlite3_bind_text (insert_deal, 1, id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (insert_deal, 2, kind->title, -1, SQLITE_STATIC);
    sqlite3_bind_text (insert_deal, 3, category->merchants[g_rand_int_range (rand, 0, 4)], -1,
                       SQLITE_STATIC);
    sqlite3_bind_text (insert_deal, 4, category->id, -1, SQLITE_STATIC);
    sqlite3_bind_text (insert_deal, 5, kind->description, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (insert_deal, 6, MAX (price, 100));
    sqlite3_bind_int64 (insert_deal, 7, original);
    sqlite3_bind_int (insert_deal, 8, threshold);
    sqlite3_bind_int (insert_deal, 9, stock);
    sqlite3_bind_int (insert_deal, 10, joined);
    sqlite3_bind_int64 (insert_deal, 11, deadline);
    if (joined >= threshold)
      sqlite3_bind_int64 (insert_deal, 12, now - g_rand_int_range (rand, 60, 86400));
    else
      sqlite3_bind_null (insert_deal, 12);
    if (!yun_cloud_db_step_done (insert_deal, error))
      return FALSE;

    /* The buyers so far, each once. */
    for (int b = 0; b < joined; b++) {
      g_autofree char *user = g_strdup_printf ("buyer-%05d", b + 1);

      sqlite3_bind_text (insert_buyer, 1, id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (insert_buyer, 2, user, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (insert_buyer, 3, now - g_rand_int_range (rand, 60, 3 * 86400));
      if (!yun_cloud_db_step_done (insert_buyer, error))
        return FALSE;
    }
  }

  return TRUE;
}
