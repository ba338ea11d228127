/* yun-local-generator.c: places around the default city, with reviews
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "yun-local-generator.h"

#include "yun-catalog-generator.h"
#include "yun-cloud-db.h"
#include "yun-cloud-random.h"

#include <math.h>

const char yun_local_schema[] =
  "CREATE TABLE IF NOT EXISTS categories ("
  "  id TEXT PRIMARY KEY, name TEXT NOT NULL, position INTEGER NOT NULL);"
  "CREATE TABLE IF NOT EXISTS places ("
  "  id TEXT PRIMARY KEY,"
  "  name TEXT NOT NULL,"
  "  category TEXT NOT NULL REFERENCES categories (id),"
  "  district TEXT NOT NULL,"
  "  address TEXT NOT NULL,"
  "  lat REAL NOT NULL,"
  "  lon REAL NOT NULL,"
  "  price_level INTEGER NOT NULL,"
  "  cost INTEGER NOT NULL,"
  "  phone TEXT NOT NULL,"
  "  hours TEXT NOT NULL,"
  "  description TEXT NOT NULL,"
  "  photos INTEGER NOT NULL,"
  "  ratings_count INTEGER NOT NULL,"
  "  ratings_sum INTEGER NOT NULL);"
  "CREATE INDEX IF NOT EXISTS places_by_lat ON places (lat);"
  "CREATE TABLE IF NOT EXISTS photos ("
  "  id TEXT PRIMARY KEY,"
  "  type TEXT NOT NULL,"
  "  size INTEGER NOT NULL,"
  "  user TEXT NOT NULL,"
  "  created INTEGER NOT NULL);"
  "CREATE INDEX IF NOT EXISTS photos_by_user ON photos (user);"
  "CREATE TABLE IF NOT EXISTS reviews ("
  "  place TEXT NOT NULL REFERENCES places (id) ON DELETE CASCADE,"
  "  user TEXT NOT NULL,"
  "  rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),"
  "  text TEXT NOT NULL,"
  "  photo TEXT REFERENCES photos (id),"
  "  created INTEGER NOT NULL,"
  "  updated INTEGER NOT NULL,"
  "  PRIMARY KEY (place, user));"
  "CREATE INDEX IF NOT EXISTS reviews_by_time ON reviews (place, updated DESC);";

typedef struct {
  const char *name;
  double lat;
  double lon;
  const char *streets[6];
} District;

static const District districts[] = {
  { "Shangcheng", 30.2425, 120.1690,
    { "Hefang Street", "Yan'an Road", "Jiefang Road", "Zhongshan Middle Road", "Qingchun Road",
      "Nanshan Road" } },
  { "Xihu", 30.2660, 120.1300,
    { "Beishan Road", "Longjing Road", "Wensan Road", "Tianmushan Road", "Hangda Road",
      "Shuguang Road" } },
  { "Gongshu", 30.3190, 120.1420,
    { "Moganshan Road", "Daguan Road", "Xiaohe Road", "Hushu South Road", "Lishui Road",
      "Shenban Road" } },
  { "Binjiang", 30.2080, 120.2110,
    { "Jiangnan Avenue", "Binsheng Road", "Wangshang Road", "Changhe Road", "Jianghong Road",
      "Xixing Road" } },
  { "Shangcheng (Qianjiang New Town)", 30.2470, 120.2090,
    { "Fuchun Road", "Xintang Road", "Minxin Road", "Jiefang East Road", "Qianjiang Road",
      "Wangjiang East Road" } },
  { "Xiaoshan", 30.1850, 120.2640,
    { "Shixin Road", "Renmin Road", "Tiyu Road", "Jincheng Road", "Beigan Road",
      "Chengxiang Road" } },
};

typedef struct {
  const char *id;
  const char *name;
  const char *firsts[10];
  const char *seconds[5];
  const char *hours;
  int min_cost;
  int max_cost;
  const char *descriptions[3];
} PlaceCategory;

static const PlaceCategory place_categories[] = {
  { "restaurants", "Restaurants",
    { "West Lake", "Jade Garden", "Old Hangzhou", "Lotus Pond", "Grandma's", "Su Causeway",
      "Golden Carp", "Bamboo House", "Peach Blossom", "Imperial Well" },
    { "Restaurant", "Kitchen", "Family Kitchen", "Dining Hall", "Bistro" },
    "11:00–14:00, 17:00–21:30", 60, 260,
    { "Hangzhou classics: Dongpo pork, West Lake vinegar fish and beggar's chicken.",
      "Home-style Zhejiang cooking in a quiet courtyard.",
      "Seasonal dishes with vegetables from the hills around the lake." } },
  { "teahouses", "Tea houses",
    { "Longjing", "Dragon Well", "Nine Creeks", "Misty Rain", "Meijiawu", "Hupao",
      "Plum Blossom", "Cloud Pavilion", "Orchid", "Tiger Spring" },
    { "Tea House", "Teahouse", "Tea Garden", "Tea Pavilion", "Tea Room" },
    "09:00–22:00", 40, 180,
    { "Fresh Longjing from the hills behind the lake, brewed at your table.",
      "A quiet tea room with a view over the water.",
      "Tea and small snacks, with a tea master who explains each leaf." } },
  { "cafes", "Cafés",
    { "Canal", "Ginkgo", "Slow Hours", "Paper Crane", "Morning Dew", "Blue Door", "Lane 37",
      "Little Fox", "Ferry", "Window Seat" },
    { "Café", "Coffee", "Coffee Roasters", "Espresso Bar", "Coffee & Books" },
    "08:00–20:00", 25, 70,
    { "Single-origin coffee roasted on site, and good cakes.",
      "A small café with plenty of sockets and a quiet upstairs.",
      "Coffee, books and a cat that ignores everyone." } },
  { "noodles", "Noodles",
    { "Pian'erchuan", "Kuiyuan", "Shrimp & Eel", "Wonton", "Uncle Zhang's", "Lanzhou",
      "Old Street", "Night Market", "Bridge", "Morning" },
    { "Noodles", "Noodle House", "Noodle Bar", "Wonton House", "Noodle Shop" },
    "06:30–21:00", 15, 45,
    { "Pian'erchuan noodles with pickled greens, bamboo shoots and pork.",
      "Hand-pulled noodles in a rich beef broth.",
      "Shrimp and eel noodles, a Hangzhou favourite since the 1860s." } },
  { "hotpot", "Hotpot",
    { "Chongqing", "Spicy Bridge", "Mala", "Red Lantern", "Nine Grid", "Copper Pot",
      "Riverside", "Sichuan Hill", "Ember", "Pepper Tree" },
    { "Hotpot", "Hot Pot", "Hotpot Garden", "Hotpot House", "Hotpot Bar" },
    "11:00–02:00", 90, 200,
    { "Numbing Sichuan broth, or a mild mushroom one for the timid.",
      "Hand-cut beef and homemade meatballs, open late.",
      "Split pots, so everyone at the table gets what they like." } },
  { "bakeries", "Bakeries",
    { "Golden Crust", "Osmanthus", "Sweet Lotus", "Crane", "Butter & Bean", "Moon Cake",
      "Rice Field", "Honey Pine", "Snow Pear", "Oven" },
    { "Bakery", "Patisserie", "Bakehouse", "Bakery & Café", "Pastry Shop" },
    "07:30–21:00", 20, 80,
    { "Osmanthus cakes and egg tarts fresh every hour.",
      "French pastry with local fruit.",
      "Mooncakes all year, and the best pork floss buns in the district." } },
  { "bars", "Bars",
    { "Hidden", "Lantern", "Canal Side", "Rooftop", "Velvet", "Jazz", "Moonlight", "Tide",
      "Willow", "Brass" },
    { "Bar", "Lounge", "Taproom", "Cocktail Bar", "Wine Bar" },
    "18:00–02:00", 80, 220,
    { "Craft beer from Zhejiang breweries on twelve taps.",
      "Cocktails with tea and osmanthus, and live jazz on Fridays.",
      "A rooftop with a view of the light show over the river." } },
  { "hotels", "Hotels",
    { "Lakeview", "West Lake", "Grand Canal", "Hubin", "Orchid", "Bamboo Grove", "Qiantang",
      "Lingyin", "Silk Road", "Courtyard" },
    { "Hotel", "Inn", "Boutique Hotel", "Guesthouse", "Hotel & Spa" },
    "Open 24 hours", 280, 1600,
    { "Quiet rooms a short walk from the lake.",
      "A renovated courtyard house with twelve rooms.",
      "Business hotel close to the metro, with breakfast included." } },
  { "shops", "Shops & markets",
    { "Wulin", "Hubin", "Xiaohe", "Qingchun", "Silk City", "Canal", "Binjiang", "Sijiqing",
      "Hefang", "Wushan" },
    { "Market", "Mall", "Silk Market", "Plaza", "Night Market" },
    "10:00–22:00", 50, 500,
    { "Silk, tea and souvenirs at fair prices if you bargain.",
      "A modern mall with a cinema and a food court.",
      "Street food and crafts until late in the evening." } },
  { "fitness", "Fitness",
    { "Lakeside", "Power", "Lotus", "Zen", "Iron Crane", "Summit", "Pulse", "Harmony",
      "Tide", "Bamboo" },
    { "Gym", "Fitness", "Yoga Studio", "Climbing Gym", "Boxing Club" },
    "06:00–23:00", 40, 150,
    { "Day passes, classes every hour and clean showers.",
      "Yoga and tai chi classes in a bright studio.",
      "Bouldering walls for beginners and experts." } },
};

typedef struct {
  const char *name;
  double lat;
  double lon;
  const char *district;
  const char *address;
} Sight;

/* Real sights of Hangzhou, at their approximate positions. */
static const Sight sights[] = {
  { "Broken Bridge", 30.2590, 120.1515, "Xihu", "Beishan Road" },
  { "Leifeng Pagoda", 30.2310, 120.1485, "Xihu", "15 Nanshan Road" },
  { "Su Causeway", 30.2445, 120.1390, "Xihu", "Su Causeway" },
  { "Bai Causeway", 30.2590, 120.1455, "Xihu", "Bai Causeway" },
  { "Lingyin Temple", 30.2420, 120.1010, "Xihu", "1 Fayun Lane" },
  { "Six Harmonies Pagoda", 30.2000, 120.1280, "Xihu", "16 Zhijiang Road" },
  { "Xixi Wetland", 30.2720, 120.0610, "Xihu", "518 Tianmushan Road" },
  { "Hefang Street", 30.2420, 120.1690, "Shangcheng", "Hefang Street" },
  { "Grand Canal Museum", 30.3170, 120.1430, "Gongshu", "1 Yundong Road" },
  { "China National Tea Museum", 30.2340, 120.1280, "Xihu", "88 Longjing Road" },
  { "Solitary Hill", 30.2560, 120.1440, "Xihu", "Gushan Road" },
  { "Three Pools Mirroring the Moon", 30.2390, 120.1450, "Xihu", "Xiaoyingzhou Island" },
  { "Yellow Dragon Cave", 30.2700, 120.1380, "Xihu", "69 Shuguang Road" },
  { "Nine Creeks Misty Forest", 30.2140, 120.1170, "Xihu", "Jiuxi Road" },
  { "Wushan Square", 30.2470, 120.1660, "Shangcheng", "Yan'an South Road" },
  { "Hangzhou Botanical Garden", 30.2640, 120.1270, "Xihu", "1 Taoyuanling" },
  { "Prince Bay Park", 30.2300, 120.1440, "Xihu", "Nanshan Road" },
  { "Xiaohe Street", 30.3200, 120.1380, "Gongshu", "Xiaohe Road" },
  { "Yue Fei Temple", 30.2580, 120.1400, "Xihu", "80 Beishan Road" },
  { "Citizen Center Light Show", 30.2450, 120.2120, "Shangcheng (Qianjiang New Town)",
    "Fuchun Road" },
};

static const char * const review_good[] = {
  "Lovely place, we will come back.",
  "Friendly staff and everything tasted fresh.",
  "Worth the queue. Go early on weekends.",
  "The view alone is worth it.",
  "Great value for Hangzhou.",
  "Clean, quiet and exactly as in the photos.",
};

static const char * const review_mixed[] = {
  "Good, but very busy at lunchtime.",
  "Nice enough; a bit expensive for what you get.",
  "Service was slow, the food was fine.",
  "OK for a quick stop, nothing special.",
};

static const char * const review_bad[] = {
  "Waited forty minutes and nobody apologised.",
  "Not as good as it used to be.",
  "Too noisy, and the tables were sticky.",
};

static double
spread (GRand  *rand,
        double  radius)
{
  /* The sum of three uniforms: places crowd near the district's centre. */
  return radius * (g_rand_double_range (rand, -1, 1) + g_rand_double_range (rand, -1, 1) +
                   g_rand_double_range (rand, -1, 1)) / 3;
}

static gboolean
insert_reviews (GRand         *rand,
                sqlite3_stmt  *stmt,
                const char    *place,
                double         quality,
                int           *count,
                int           *sum,
                GError       **error)
{
  guint n = g_rand_int_range (rand, 0, 13);
  guint first_user = g_rand_int_range (rand, 0, yun_cloud_random_n_users);

  for (guint i = 0; i < n; i++) {
    /* CLAMP evaluates its argument more than once: draw first. */
    int drawn = (int) lround (quality + g_rand_double_range (rand, -1.5, 1.2));
    int rating = CLAMP (drawn, 1, 5);
    gint64 created = YUN_CATALOG_GENERATOR_EPOCH -
                     g_rand_int_range (rand, 0, 400) * G_GINT64_CONSTANT (86400) -
                     g_rand_int_range (rand, 0, 86400);
    const char *text = rating >= 4 ? YUN_CLOUD_PICK (rand, review_good)
                     : rating == 3 ? YUN_CLOUD_PICK (rand, review_mixed)
                     : YUN_CLOUD_PICK (rand, review_bad);

    sqlite3_bind_text (stmt, 1, place, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (stmt, 2, yun_cloud_random_users[(first_user + i) % yun_cloud_random_n_users],
                       -1, SQLITE_STATIC);
    sqlite3_bind_int (stmt, 3, rating);
    sqlite3_bind_text (stmt, 4, text, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, 5, created);
    if (!yun_cloud_db_step_done (stmt, error))
      return FALSE;
    *count += 1;
    *sum += rating;
  }
  return TRUE;
}

typedef struct {
  sqlite3_stmt *insert_place;
  sqlite3_stmt *insert_review;
  GHashTable *names;
  guint n;
} Inserter;

static gboolean
insert_place (GRand          *rand,
              Inserter       *inserter,
              const char     *category,
              const char     *name,
              const char     *district,
              const char     *address,
              double          lat,
              double          lon,
              int             cost,
              const char     *hours,
              const char     *description,
              GError        **error)
{
  sqlite3_stmt *stmt = inserter->insert_place;
  g_autofree char *id = g_strdup_printf ("hz-%04u", ++inserter->n);
  g_autofree char *unique = NULL;
  g_autofree char *phone = g_strdup_printf ("0571-8%03d %04d", g_rand_int_range (rand, 0, 1000),
                                            g_rand_int_range (rand, 0, 10000));
  double quality = g_rand_double_range (rand, 2.7, 4.9);
  int ratings_count = (int) yun_cloud_random_log_range (rand, 2, 3000);
  int ratings_sum = (int) lround (ratings_count * quality);

  /* A chain's second shop is named after its district, as chains do. */
  if (g_hash_table_contains (inserter->names, name))
    unique = g_strdup_printf ("%s (%s)", name, district);
  else
    unique = g_strdup (name);
  g_hash_table_add (inserter->names, g_strdup (unique));

  if (!insert_reviews (rand, inserter->insert_review, id, quality, &ratings_count, &ratings_sum,
                       error))
    return FALSE;

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, unique, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, category, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, district, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, address, -1, SQLITE_TRANSIENT);
  sqlite3_bind_double (stmt, 6, round (lat * 1e6) / 1e6);
  sqlite3_bind_double (stmt, 7, round (lon * 1e6) / 1e6);
  sqlite3_bind_int (stmt, 8, cost < 50 ? 1 : cost < 120 ? 2 : cost < 300 ? 3 : 4);
  sqlite3_bind_int (stmt, 9, cost);
  sqlite3_bind_text (stmt, 10, phone, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 11, hours, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 12, description, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 13, g_rand_int_range (rand, 1, 6));
  sqlite3_bind_int (stmt, 14, ratings_count);
  sqlite3_bind_int (stmt, 15, ratings_sum);
  return yun_cloud_db_step_done (stmt, error);
}

/**
 * yun_local_generator_fill:
 * @db: a database with yun_local_schema
 * @user_data: unused
 * @error: return location for a #GError
 *
 * Adds the categories, the sights of the default city and
 * %YUN_LOCAL_GENERATOR_PLACES generated places around them, with reviews.
 *
 * Returns: %TRUE on success
 */
gboolean
yun_local_generator_fill (sqlite3   *db,
                          gpointer   user_data,
                          GError   **error)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (YUN_LOCAL_GENERATOR_SEED);
  g_autoptr(sqlite3_stmt) insert_category = NULL;
  g_autoptr(sqlite3_stmt) insert_place_stmt = NULL;
  g_autoptr(sqlite3_stmt) insert_review = NULL;
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  Inserter inserter;

  insert_category = yun_cloud_db_prepare (db, "INSERT INTO categories VALUES (?, ?, ?)", error);
  insert_place_stmt = yun_cloud_db_prepare (db,
                                            "INSERT INTO places VALUES"
                                            " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                            error);
  insert_review = yun_cloud_db_prepare (db,
                                        "INSERT INTO reviews VALUES (?1, ?2, ?3, ?4, NULL, ?5, ?5)",
                                        error);
  if (insert_category == NULL || insert_place_stmt == NULL || insert_review == NULL)
    return FALSE;

  inserter = (Inserter) { insert_place_stmt, insert_review, names, 0 };

  for (guint i = 0; i < G_N_ELEMENTS (place_categories); i++) {
    sqlite3_bind_text (insert_category, 1, place_categories[i].id, -1, SQLITE_STATIC);
    sqlite3_bind_text (insert_category, 2, place_categories[i].name, -1, SQLITE_STATIC);
    sqlite3_bind_int (insert_category, 3, i);
    if (!yun_cloud_db_step_done (insert_category, error))
      return FALSE;
  }
  sqlite3_bind_text (insert_category, 1, "sights", -1, SQLITE_STATIC);
  sqlite3_bind_text (insert_category, 2, "Sights & parks", -1, SQLITE_STATIC);
  sqlite3_bind_int (insert_category, 3, G_N_ELEMENTS (place_categories));
  if (!yun_cloud_db_step_done (insert_category, error))
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (sights); i++) {
    if (!insert_place (rand, &inserter, "sights", sights[i].name, sights[i].district,
                       sights[i].address, sights[i].lat, sights[i].lon, 0, "Open all day",
                       "One of the sights of Hangzhou; best early in the morning.", error))
      return FALSE;
  }

  for (guint i = 0; i < YUN_LOCAL_GENERATOR_PLACES; i++) {
    const PlaceCategory *category = &YUN_CLOUD_PICK (rand, place_categories);
    const District *district = &YUN_CLOUD_PICK (rand, districts);
    g_autofree char *name = g_strdup_printf ("%s %s",
                                             category->firsts[g_rand_int_range (rand, 0, 10)],
                                             category->seconds[g_rand_int_range (rand, 0, 5)]);
    g_autofree char *address = g_strdup_printf ("%d %s", g_rand_int_range (rand, 1, 400),
                                                district->streets[g_rand_int_range (rand, 0, 6)]);
    /* About 2.5 km around the centre: 0.0225° of latitude, and a bit more
     * of longitude at 30° north. */
    double lat = district->lat + spread (rand, 0.0225);
    double lon = district->lon + spread (rand, 0.026);
    int cost = (int) yun_cloud_random_log_range (rand, category->min_cost, category->max_cost);

    if (!insert_place (rand, &inserter, category->id, name, district->name, address, lat, lon,
                       cost, category->hours,
                       category->descriptions[g_rand_int_range (rand, 0, 3)], error))
      return FALSE;
  }

  return TRUE;
}
