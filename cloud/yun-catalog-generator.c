/* yun-catalog-generator.c: the store catalog's generated apps
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "yun-catalog-generator.h"

#include "yun-cloud-db.h"
#include "yun-cloud-random.h"

#include <json-glib/json-glib.h>

#include <math.h>
#include <string.h>

/*
 * The catalog: categories, apps, and the reviews of apps.  Generated apps
 * and the built-in ones of webapps/ share the apps table; `builtin` tells
 * them apart, and only built-in apps have a package.  The full-text index
 * follows the table through triggers.
 */
const char yun_catalog_schema[] =
  "CREATE TABLE IF NOT EXISTS categories ("
  "  id TEXT PRIMARY KEY,"
  "  name TEXT NOT NULL,"
  "  position INTEGER NOT NULL);"
  "CREATE TABLE IF NOT EXISTS apps ("
  "  n INTEGER PRIMARY KEY,"
  "  id TEXT NOT NULL UNIQUE,"
  "  name TEXT NOT NULL,"
  "  developer TEXT NOT NULL,"
  "  category TEXT NOT NULL REFERENCES categories (id),"
  "  summary TEXT NOT NULL,"
  "  description TEXT NOT NULL,"
  "  version TEXT NOT NULL,"
  "  size INTEGER NOT NULL,"
  "  manifest TEXT NOT NULL,"
  "  color TEXT NOT NULL,"
  "  accent TEXT NOT NULL,"
  "  screenshots INTEGER NOT NULL,"
  "  ratings_count INTEGER NOT NULL,"
  "  ratings_sum INTEGER NOT NULL,"
  "  downloads INTEGER NOT NULL,"
  "  updated INTEGER NOT NULL,"
  "  builtin INTEGER NOT NULL DEFAULT 0,"
  "  icon TEXT,"
  "  sha256 TEXT);"
  "CREATE INDEX IF NOT EXISTS apps_by_category ON apps (category, downloads DESC);"
  "CREATE INDEX IF NOT EXISTS apps_by_downloads ON apps (downloads DESC);"
  "CREATE VIRTUAL TABLE IF NOT EXISTS apps_fts USING fts5 ("
  "  name, developer, summary, description, category,"
  "  content = 'apps', content_rowid = 'n',"
  "  tokenize = 'unicode61 remove_diacritics 2');"
  "CREATE TRIGGER IF NOT EXISTS apps_fts_insert AFTER INSERT ON apps BEGIN"
  "  INSERT INTO apps_fts (rowid, name, developer, summary, description, category)"
  "  VALUES (new.n, new.name, new.developer, new.summary, new.description, new.category);"
  "END;"
  "CREATE TRIGGER IF NOT EXISTS apps_fts_delete AFTER DELETE ON apps BEGIN"
  "  INSERT INTO apps_fts (apps_fts, rowid, name, developer, summary, description, category)"
  "  VALUES ('delete', old.n, old.name, old.developer, old.summary, old.description,"
  "          old.category);"
  "END;"
  "CREATE TRIGGER IF NOT EXISTS apps_fts_update AFTER UPDATE OF"
  "    name, developer, summary, description, category ON apps BEGIN"
  "  INSERT INTO apps_fts (apps_fts, rowid, name, developer, summary, description, category)"
  "  VALUES ('delete', old.n, old.name, old.developer, old.summary, old.description,"
  "          old.category);"
  "  INSERT INTO apps_fts (rowid, name, developer, summary, description, category)"
  "  VALUES (new.n, new.name, new.developer, new.summary, new.description, new.category);"
  "END;"
  "CREATE TABLE IF NOT EXISTS reviews ("
  "  app TEXT NOT NULL REFERENCES apps (id) ON DELETE CASCADE,"
  "  user TEXT NOT NULL,"
  "  rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),"
  "  text TEXT NOT NULL,"
  "  created INTEGER NOT NULL,"
  "  updated INTEGER NOT NULL,"
  "  PRIMARY KEY (app, user));"
  "CREATE INDEX IF NOT EXISTS reviews_by_time ON reviews (app, updated DESC);";

typedef struct {
  const char *permission;
  const char *access;
  const char *reason;
} PermissionChoice;

typedef struct {
  const char *id;
  const char *name;
  const char *nouns[10];
  const char *summaries[3];
  const char *features[6];
  PermissionChoice permissions[3];
} Category;

static const Category categories[] = {
  { "games", "Games",
    { "Mahjong", "Go", "Puzzle", "Solitaire", "Racer", "Quest", "Tiles", "Chess", "Blocks", "Dragons" },
    { "A relaxing %s game for short breaks", "Classic %s with daily challenges",
      "Play %s against friends or the computer" },
    { "Daily puzzles with a fresh board every morning.",
      "Three difficulty levels and an undo button that forgives.",
      "Leaderboards among your friends, nobody else.",
      "Plays offline on the train and syncs your progress later.",
      "Large, clear tiles that are easy to tap with one hand.",
      "No timers unless you want them." },
    { { "contacts", "read", "Invite friends from your contacts to a match." },
      { "notifications", "read", "Tell you when a friend has made their move." },
      { "sync", "readwrite", "Keep your saved games on every phone you sign in to." } } },
  { "social", "Social",
    { "Chat", "Circle", "Moments", "Friends", "Groups", "Talk", "Meetup", "Wall", "Stories", "Neighbours" },
    { "%s with the people you care about", "Share moments in small, private %s",
      "Plan get-togethers with %s" },
    { "Groups for family, classmates and colleagues.",
      "Share a photo with one friend, not the whole world.",
      "Voice notes that play even on a slow connection.",
      "Events with a map, a time and who is coming.",
      "Your posts are visible only to the people you choose.",
      "Quiet hours so the phone stays silent at night." },
    { { "contacts", "read", "Find which of your contacts already use the app." },
      { "photos", "read", "Let you pick photos to share in a conversation." },
      { "notifications", "read", "Let you know about new messages." } } },
  { "productivity", "Productivity",
    { "Tasks", "Planner", "Notes", "Calendar", "Docs", "Lists", "Focus", "Inbox", "Board", "Memo" },
    { "%s that keep your day in order", "Simple %s for work and home",
      "Capture ideas quickly with %s" },
    { "Works offline and syncs when you are back online.",
      "Reminders at a time or when you arrive somewhere.",
      "Share a list with your family and tick items off together.",
      "Search every note as you type.",
      "Export to plain text whenever you like.",
      "A calm, distraction-free editor." },
    { { "notes", "readwrite", "Save your notes into the phone's notes so other apps can use them." },
      { "notifications", "read", "Remind you of tasks when they are due." },
      { "sync", "readwrite", "Keep your lists the same on all your devices." } } },
  { "education", "Education",
    { "Vocabulary", "Pinyin", "Math", "Flashcards", "Atlas", "Physics", "Reader", "Dictionary", "Quiz", "Abacus" },
    { "Learn %s a few minutes a day", "%s lessons for students of every age",
      "Practise %s with spaced repetition" },
    { "Lessons of five minutes that fit into any break.",
      "Spaced repetition schedules what you are about to forget.",
      "Audio by native speakers for every word.",
      "Progress charts for you and your teacher.",
      "Thousands of exercises checked by teachers.",
      "Dark mode for studying late." },
    { { "notifications", "read", "Remind you of your daily lesson." },
      { "camera", "read", "Scan a page of your textbook to look up words." },
      { "sync", "readwrite", "Keep your progress when you change phones." } } },
  { "travel", "Travel & Maps",
    { "Metro", "Trails", "Maps", "Trips", "Rail", "Bus", "Compass", "Guide", "Routes", "Ferry" },
    { "Find your way around town with %s", "%s for weekend trips and long journeys",
      "Offline %s for the places you visit" },
    { "Offline maps of the whole city.",
      "Live departure times for buses and the metro.",
      "Walking routes along the lake and through the hills.",
      "Save places and share a trip plan with friends.",
      "Station exits and lifts for travelling with luggage.",
      "Fares in advance, with no surprises." },
    { { "location", "read", "Show where you are on the map and the nearest stops." },
      { "share", "read", "Send a route to a friend." },
      { "photos", "read", "Attach photos to the places you saved." } } },
  { "shopping", "Shopping",
    { "Market", "Deals", "Coupons", "Outlet", "Bazaar", "Wishlist", "Cart", "Mall", "Bargains", "Finds" },
    { "Shop smarter with %s", "%s from shops near you", "The best %s, checked daily" },
    { "Prices compared across hundreds of shops.",
      "A wishlist that tells you when prices drop.",
      "Receipts and warranties kept in one place.",
      "Pick up from a store near you.",
      "Reviews from real buyers, with photos.",
      "Pay on delivery where available." },
    { { "notifications", "read", "Tell you when a price on your wishlist drops." },
      { "location", "read", "Show shops and pick-up points near you." },
      { "camera", "read", "Scan a barcode to compare prices." } } },
  { "finance", "Finance",
    { "Ledger", "Budget", "Wallet", "Expenses", "Savings", "Invoices", "Rates", "Bills", "Stocks", "Tax" },
    { "Track every yuan with %s", "%s for households and small shops",
      "Plan your month with %s" },
    { "Categories that learn from what you enter.",
      "Monthly charts that show where the money went.",
      "Split bills with flatmates.",
      "Exchange rates updated every hour.",
      "Everything stays on your phone unless you turn on sync.",
      "Export to a spreadsheet at the end of the year." },
    { { "camera", "read", "Photograph receipts so you do not have to type them." },
      { "notifications", "read", "Remind you of bills before they are due." },
      { "sync", "readwrite", "Back up your accounts to your cloud." } } },
  { "health", "Health & Fitness",
    { "Steps", "Yoga", "Run", "Sleep", "Water", "Workout", "Taichi", "Diet", "Pulse", "Stretch" },
    { "%s coaching in your pocket", "Build a %s habit that lasts",
      "Track your %s and see your progress" },
    { "Gentle plans for beginners, hard ones for the rest.",
      "Videos for every exercise, downloaded for offline use.",
      "Weekly summaries instead of constant nagging.",
      "Routes and pace for your runs.",
      "Reminders to drink water and to stand up.",
      "Your health data stays yours." },
    { { "location", "read", "Record the route of your runs and walks." },
      { "notifications", "read", "Remind you of your workout." },
      { "sync", "readwrite", "Keep your history when you change phones." } } },
  { "music", "Music & Audio",
    { "Radio", "Player", "Tuner", "Karaoke", "Podcasts", "Guzheng", "Metronome", "Beats", "Songs", "Erhu" },
    { "%s for your commute", "Listen to %s anywhere", "A simple %s that just works" },
    { "Thousands of stations from every province.",
      "Download episodes for the metro.",
      "Lyrics that scroll with the song.",
      "A sleep timer and gapless playback.",
      "Equaliser presets for small speakers.",
      "Playlists you can share with friends." },
    { { "share", "read", "Share a song or a station with a friend." },
      { "notifications", "read", "Tell you when a new episode is out." },
      { "sync", "readwrite", "Keep your playlists on all your devices." } } },
  { "photo", "Photo & Video",
    { "Camera", "Filters", "Collage", "Studio", "Album", "Retouch", "Frames", "Film", "Stickers", "Scanner" },
    { "Beautiful %s in one tap", "%s for photos you are proud of", "Edit and share with %s" },
    { "Filters inspired by classic film.",
      "Collages from up to nine photos.",
      "Remove small blemishes and distractions.",
      "Scan documents straight and sharp.",
      "Albums that sort themselves by place and day.",
      "Full-resolution export, no watermark." },
    { { "camera", "read", "Take photos and scan documents." },
      { "photos", "readwrite", "Open your photos to edit them and save the result." },
      { "share", "read", "Share your pictures with friends." } } },
  { "news", "News & Reading",
    { "Daily", "Reader", "Headlines", "Digest", "Novels", "Comics", "Magazine", "Weekly", "Library", "Times" },
    { "The %s you can trust", "%s from hundreds of sources", "Read %s offline on the go" },
    { "Morning and evening briefings.",
      "Adjustable text size and a night theme.",
      "Save articles to read later, even offline.",
      "Local news from your district.",
      "Serialised novels with a new chapter every day.",
      "No autoplaying videos." },
    { { "notifications", "read", "Tell you about breaking news, if you want." },
      { "location", "read", "Show local news for where you are." },
      { "share", "read", "Send an article to a friend." } } },
  { "utilities", "Utilities",
    { "Flashlight", "Calculator", "Converter", "Weather", "Clock", "Files", "Scanner", "Battery", "Ruler", "Timer" },
    { "A clean, fast %s", "The %s you reach for every day", "%s without ads or clutter" },
    { "Opens instantly and does one thing well.",
      "Large buttons and a clear display.",
      "Works without a connection.",
      "Widgets for the home screen.",
      "Forecasts by the hour for your district.",
      "Unit conversions for cooking, travel and work." },
    { { "location", "read", "Show the weather where you are." },
      { "camera", "read", "Scan QR codes and documents." },
      { "notifications", "read", "Alert you when a timer ends." } } },
  { "food", "Food & Drink",
    { "Recipes", "Delivery", "Tea", "Menu", "Kitchen", "Noodles", "Dumplings", "Hotpot", "Bakery", "Table" },
    { "%s from home cooks and chefs", "Order %s from places nearby",
      "Find the best %s in town" },
    { "Step-by-step recipes with photos.",
      "Shopping lists made from a recipe in one tap.",
      "Book a table and skip the queue.",
      "Delivery tracking on a live map.",
      "Seasonal dishes from every region.",
      "Reviews from people who actually ate there." },
    { { "location", "read", "Find restaurants and deliveries near you." },
      { "notifications", "read", "Tell you when your order is on its way." },
      { "camera", "read", "Add photos of your dishes to reviews." } } },
  { "lifestyle", "Lifestyle",
    { "Home", "Garden", "Pets", "Wedding", "Baby", "Style", "Horoscope", "Decor", "Moving", "Plants" },
    { "Ideas for your %s", "%s tips from people like you", "Everything for your %s in one app" },
    { "Checklists for every big day.",
      "Ideas from real homes, not catalogues.",
      "Find services nearby with honest reviews.",
      "Reminders to water, feed and walk.",
      "Budget planners for big events.",
      "A community that answers questions kindly." },
    { { "contacts", "read", "Invite guests from your contacts." },
      { "location", "read", "Find services near you." },
      { "photos", "read", "Share photos of your home or garden." } } },
  { "developer", "Developer Tools",
    { "Terminal", "Console", "Inspector", "Regex", "JSON", "Git", "Logs", "Sandbox", "Snippets", "Monitor" },
    { "%s for developers on the go", "A pocket %s for web developers",
      "Debug and test with %s" },
    { "Syntax highlighting for dozens of languages.",
      "Inspect HTTP requests and responses.",
      "Keyboard shortcuts on a hardware keyboard.",
      "Works with your own servers over SSH.",
      "Dark and light themes.",
      "Pretty-prints and validates JSON." },
    { { "notifications", "read", "Tell you when a build finishes." },
      { "sync", "readwrite", "Keep your snippets on all your devices." },
      { "share", "read", "Share a snippet with a colleague." } } },
};

static const char * const prefixes[] = {
  "Bamboo", "Jade", "Lotus", "Panda", "Dragon", "Silk", "Cloud", "Lantern", "River", "Peak",
  "Harbor", "Pine", "Maple", "Swift", "Bright", "Tiny", "Daily", "Smart", "Easy", "Pocket",
  "Happy", "Golden", "Blue", "Red", "Green", "Sky", "Star", "Moon", "Sunny", "Crane",
  "Phoenix", "Lake", "Orchid", "Tea", "Kite", "Willow", "Pearl", "Plum", "Ink", "Spring",
};

static const char * const suffixes[] = {
  "Pro", "Lite", "Plus", "Go", "HD", "Studio", "Mini", "Max", "Kids", "Together",
};

static const char * const cities[] = {
  "Hangzhou", "Shanghai", "Shenzhen", "Beijing", "Chengdu", "Suzhou", "Nanjing", "Xiamen",
  "Wuhan", "Guangzhou", "Ningbo", "Xi'an", "Qingdao", "Kunming",
};

static const char * const developer_words[] = {
  "Bamboo", "Lakeside", "Blue Whale", "Red Lantern", "Cloudpeak", "Silkworm", "Jade Rabbit",
  "Tea Leaf", "Orchid", "Kite", "West Lake", "Golden Carp", "Plum Blossom", "Grand Canal",
};

static const char * const developer_kinds[] = {
  "Software", "Studio", "Labs", "Technology Co.", "Interactive", "Digital", "Mobile",
};

static const char * const generic_features[] = {
  "Works in any browser, and best as an installed app on Yun.",
  "Syncs with your Yun cloud account if you want it to.",
  "No ads, no tracking.",
  "Made by a small team that answers every review.",
  "Light on data: pages are small and cached for offline use.",
};


static const char * const review_good[] = {
  "Exactly what I needed, and fast on my old phone.",
  "Clean and simple. No ads, which is rare.",
  "I use it every day on the metro.",
  "The offline mode saved me on a trip to the mountains.",
  "Best one I have tried, and I tried many.",
  "Small download, does everything I want.",
};

static const char * const review_mixed[] = {
  "Good idea, but it needs a dark theme.",
  "Works well most of the time; sync is sometimes slow.",
  "Useful, though the text is a bit small on my screen.",
  "Nice app. I wish it had more options.",
};

static const char * const review_bad[] = {
  "Crashed twice when I opened it. Please fix.",
  "Too many permissions for what it does.",
  "The last update removed my favourite feature.",
};

static gboolean
bind_text (sqlite3_stmt *stmt,
           int           index,
           const char   *text)
{
  return sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT) == SQLITE_OK;
}

/* The manifest of a generated app, as JSON text: a hosted app whose start
 * page and icon the store serves itself. */
static char *
build_manifest (const char             *name,
                const char             *short_name,
                const char             *description,
                const char             *category,
                const char             *version,
                const char             *color,
                const PermissionChoice *permissions[],
                guint                   n_permissions)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, name);
  json_builder_set_member_name (builder, "short_name");
  json_builder_add_string_value (builder, short_name);
  json_builder_set_member_name (builder, "description");
  json_builder_add_string_value (builder, description);
  json_builder_set_member_name (builder, "version");
  json_builder_add_string_value (builder, version);
  json_builder_set_member_name (builder, "start_url");
  json_builder_add_string_value (builder, "./");
  json_builder_set_member_name (builder, "scope");
  json_builder_add_string_value (builder, "./");
  json_builder_set_member_name (builder, "display");
  json_builder_add_string_value (builder, "standalone");
  json_builder_set_member_name (builder, "theme_color");
  json_builder_add_string_value (builder, color);
  json_builder_set_member_name (builder, "background_color");
  json_builder_add_string_value (builder, "#ffffff");
  json_builder_set_member_name (builder, "icons");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "src");
  json_builder_add_string_value (builder, "icon.svg");
  json_builder_set_member_name (builder, "sizes");
  json_builder_add_string_value (builder, "any");
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "image/svg+xml");
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "categories");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, category);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "yun");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "min_runtime");
  json_builder_add_string_value (builder, "0.1");
  json_builder_set_member_name (builder, "permissions");
  json_builder_begin_object (builder);
  for (guint i = 0; i < n_permissions; i++) {
    json_builder_set_member_name (builder, permissions[i]->permission);
    json_builder_begin_object (builder);
    json_builder_set_member_name (builder, "access");
    json_builder_add_string_value (builder, permissions[i]->access);
    json_builder_set_member_name (builder, "reason");
    json_builder_add_string_value (builder, permissions[i]->reason);
    json_builder_end_object (builder);
  }
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

/* Draws a name not taken yet; its slug, the app's id, is also new. */
static char *
draw_name (GRand          *rand,
           const Category *category,
           GHashTable     *taken_ids,
           char          **out_id)
{
  for (guint attempt = 0;; attempt++) {
    const char *noun = category->nouns[g_rand_int_range (rand, 0, G_N_ELEMENTS (category->nouns))];
    g_autofree char *name = NULL;
    g_autofree char *id = NULL;

    if (attempt < 4)
      name = g_strdup_printf ("%s %s", YUN_CLOUD_PICK (rand, prefixes), noun);
    else if (attempt < 12)
      name = g_strdup_printf ("%s %s %s", YUN_CLOUD_PICK (rand, prefixes), noun,
                              YUN_CLOUD_PICK (rand, suffixes));
    else
      name = g_strdup_printf ("%s %s %u", YUN_CLOUD_PICK (rand, prefixes), noun, attempt);

    id = yun_cloud_random_slug (name);
    if (!g_hash_table_contains (taken_ids, id)) {
      g_hash_table_add (taken_ids, g_strdup (id));
      *out_id = g_steal_pointer (&id);
      return g_steal_pointer (&name);
    }
  }
}

static char *
draw_description (GRand          *rand,
                  const Category *category,
                  const char     *name,
                  const char     *summary)
{
  GString *text = g_string_new (NULL);
  guint first = g_rand_int_range (rand, 0, G_N_ELEMENTS (category->features));
  guint count = g_rand_int_range (rand, 2, 5);

  g_string_append_printf (text, "%s. ", summary);
  for (guint i = 0; i < count; i++)
    g_string_append_printf (text, "%s ",
                            category->features[(first + i) % G_N_ELEMENTS (category->features)]);
  g_string_append_printf (text, "%s", YUN_CLOUD_PICK (rand, generic_features));
  if (g_rand_boolean (rand))
    g_string_append_printf (text, " %s is free to use.", name);

  return g_string_free (text, FALSE);
}

static gboolean
insert_categories (sqlite3  *db,
                   GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    yun_cloud_db_prepare (db, "INSERT OR IGNORE INTO categories VALUES (?, ?, ?)", error);

  if (stmt == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (categories); i++) {
    bind_text (stmt, 1, categories[i].id);
    bind_text (stmt, 2, categories[i].name);
    sqlite3_bind_int (stmt, 3, i);
    if (!yun_cloud_db_step_done (stmt, error))
      return FALSE;
  }
  return TRUE;
}

/* Reviews of one app, drawn around its @quality (1 to 5 stars). */
static gboolean
insert_reviews (GRand         *rand,
                sqlite3_stmt  *stmt,
                const char    *app_id,
                double         quality,
                gint64         updated,
                int           *count,
                int           *sum,
                GError       **error)
{
  guint n = g_rand_int_range (rand, 0, 7);
  guint first_user = g_rand_int_range (rand, 0, yun_cloud_random_n_users);

  for (guint i = 0; i < n; i++) {
    /* CLAMP evaluates its argument more than once: draw first. */
    int drawn = (int) lround (quality + g_rand_double_range (rand, -1.6, 1.2));
    int rating = CLAMP (drawn, 1, 5);
    const char *text;
    gint64 created = updated - g_rand_int_range (rand, 0, 200) * G_GINT64_CONSTANT (86400) -
                     g_rand_int_range (rand, 0, 86400);

    if (rating >= 4)
      text = YUN_CLOUD_PICK (rand, review_good);
    else if (rating == 3)
      text = YUN_CLOUD_PICK (rand, review_mixed);
    else
      text = YUN_CLOUD_PICK (rand, review_bad);

    bind_text (stmt, 1, app_id);
    /* Distinct users: consecutive names from a random start. */
    bind_text (stmt, 2, yun_cloud_random_users[(first_user + i) % yun_cloud_random_n_users]);
    sqlite3_bind_int (stmt, 3, rating);
    bind_text (stmt, 4, text);
    sqlite3_bind_int64 (stmt, 5, created);
    sqlite3_bind_int64 (stmt, 6, created);
    if (!yun_cloud_db_step_done (stmt, error))
      return FALSE;
    *count += 1;
    *sum += rating;
  }
  return TRUE;
}

/**
 * yun_catalog_generator_fill:
 * @db: a database with yun_catalog_schema
 * @seed: the seed; the same one gives the same apps
 * @n_apps: how many apps to generate
 * @error: return location for a #GError
 *
 * Adds the categories and @n_apps generated apps with their reviews.  The
 * caller holds the transaction.
 *
 * Returns: %TRUE on success
 */
gboolean
yun_catalog_generator_fill (sqlite3  *db,
                            guint32   seed,
                            guint     n_apps,
                            GError  **error)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr(GHashTable) taken_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) developers = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(sqlite3_stmt) insert_app = NULL;
  g_autoptr(sqlite3_stmt) insert_review = NULL;

  if (!insert_categories (db, error))
    return FALSE;

  insert_app = yun_cloud_db_prepare (db,
                                     "INSERT INTO apps (id, name, developer, category, summary,"
                                     "  description, version, size, manifest, color, accent,"
                                     "  screenshots, ratings_count, ratings_sum, downloads,"
                                     "  updated, builtin)"
                                     " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)",
                                     error);
  insert_review = yun_cloud_db_prepare (db, "INSERT INTO reviews VALUES (?, ?, ?, ?, ?, ?)",
                                        error);
  if (insert_app == NULL || insert_review == NULL)
    return FALSE;

  /* Developers publish several apps each, as they do. */
  for (guint i = 0; i < MAX (n_apps / 4, 1u); i++)
    g_ptr_array_add (developers, g_strdup_printf ("%s %s %s", YUN_CLOUD_PICK (rand, cities),
                                                  YUN_CLOUD_PICK (rand, developer_words),
                                                  YUN_CLOUD_PICK (rand, developer_kinds)));

  for (guint i = 0; i < n_apps; i++) {
    const Category *category = &categories[g_rand_int_range (rand, 0, G_N_ELEMENTS (categories))];
    const PermissionChoice *permissions[G_N_ELEMENTS (category->permissions)];
    guint n_permissions = 0;
    g_autofree char *id = NULL;
    g_autofree char *name = draw_name (rand, category, taken_ids, &id);
    g_autofree char *short_name = g_strdup (name);
    g_autofree char *summary = NULL;
    g_autofree char *description = NULL;
    g_autofree char *version = NULL;
    g_autofree char *manifest = NULL;
    double hue = g_rand_double (rand);
    g_autofree char *color = yun_cloud_random_hsl (hue, 0.55, 0.42);
    g_autofree char *accent = yun_cloud_random_hsl (fmod (hue + 0.12, 1.0), 0.65, 0.6);
    const char *developer = g_ptr_array_index (developers,
                                               g_rand_int_range (rand, 0, developers->len));
    const char *noun;
    double quality = g_rand_double_range (rand, 2.6, 4.9);
    int ratings_count = (int) yun_cloud_random_log_range (rand, 3, 20000);
    int ratings_sum = (int) lround (ratings_count * quality);
    gint64 updated = YUN_CATALOG_GENERATOR_EPOCH -
                     g_rand_int_range (rand, 1, 700) * G_GINT64_CONSTANT (86400) -
                     g_rand_int_range (rand, 0, 86400);

    /* The summary uses the noun of the name, lower-cased. */
    noun = strrchr (name, ' ') != NULL ? strchr (name, ' ') + 1 : name;
    {
      g_autofree char *lower = g_ascii_strdown (noun, -1);
      g_auto(GStrv) parts = g_strsplit (category->summaries[g_rand_int_range (rand, 0, 3)],
                                        "%s", 2);

      summary = g_strjoinv (lower, parts);
      summary[0] = g_ascii_toupper (summary[0]);
    }
    description = draw_description (rand, category, name, summary);
    version = g_strdup_printf ("%d.%d.%d", g_rand_int_range (rand, 1, 6),
                               g_rand_int_range (rand, 0, 21), g_rand_int_range (rand, 0, 10));

    for (guint p = 0; p < G_N_ELEMENTS (category->permissions); p++) {
      if (g_rand_double (rand) < 0.45)
        permissions[n_permissions++] = &category->permissions[p];
    }
    if (strlen (short_name) > 12 && strchr (short_name, ' ') != NULL)
      *strchr (short_name, ' ') = '\0';
    manifest = build_manifest (name, short_name, summary, category->id, version, color,
                               permissions, n_permissions);

    if (!insert_reviews (rand, insert_review, id, quality, updated,
                         &ratings_count, &ratings_sum, error))
      return FALSE;

    bind_text (insert_app, 1, id);
    bind_text (insert_app, 2, name);
    bind_text (insert_app, 3, developer);
    bind_text (insert_app, 4, category->id);
    bind_text (insert_app, 5, summary);
    bind_text (insert_app, 6, description);
    bind_text (insert_app, 7, version);
    sqlite3_bind_int64 (insert_app, 8, (gint64) yun_cloud_random_log_range (rand, 150e3, 60e6));
    bind_text (insert_app, 9, manifest);
    bind_text (insert_app, 10, color);
    bind_text (insert_app, 11, accent);
    sqlite3_bind_int (insert_app, 12, g_rand_int_range (rand, 2, 6));
    sqlite3_bind_int (insert_app, 13, ratings_count);
    sqlite3_bind_int (insert_app, 14, ratings_sum);
    sqlite3_bind_int64 (insert_app, 15,
                        (gint64) (ratings_count * g_rand_double_range (rand, 15, 90)));
    sqlite3_bind_int64 (insert_app, 16, updated);
    if (!yun_cloud_db_step_done (insert_app, error))
      return FALSE;
  }

  return TRUE;
}

/**
 * yun_catalog_generator_digest:
 * @db: a catalog
 * @error: return location for a #GError
 *
 * Hashes everything the generator wrote: the generated apps and their
 * reviews in id order, every column.  Two catalogs generated with the
 * same seed and size have the same digest.
 *
 * Returns: (transfer full) (nullable): the SHA-256, in hex
 */
char *
yun_catalog_generator_digest (sqlite3  *db,
                              GError  **error)
{
  /* Each query in parentheses: one array element, however many lines. */
  static const char * const queries[] = {
    ("SELECT id, name, developer, category, summary, description, version, size, manifest,"
     " color, accent, screenshots, ratings_count, ratings_sum, downloads, updated"
     " FROM apps WHERE builtin = 0 ORDER BY id"),
    ("SELECT r.app, r.user, r.rating, r.text, r.created FROM reviews r"
     " JOIN apps a ON a.id = r.app WHERE a.builtin = 0 ORDER BY r.app, r.user"),
    "SELECT id, name, position FROM categories ORDER BY id",
  };
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);

  for (guint q = 0; q < G_N_ELEMENTS (queries); q++) {
    g_autoptr(sqlite3_stmt) stmt = yun_cloud_db_prepare (db, queries[q], error);
    int rc;

    if (stmt == NULL)
      return NULL;

    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
      for (int c = 0; c < sqlite3_column_count (stmt); c++) {
        const unsigned char *text = sqlite3_column_text (stmt, c);

        /* A separator no column holds keeps "ab","c" apart from "a","bc". */
        if (text != NULL)
          g_checksum_update (checksum, text, sqlite3_column_bytes (stmt, c));
        g_checksum_update (checksum, (const guchar *) "\x1f", 1);
      }
      g_checksum_update (checksum, (const guchar *) "\x1e", 1);
    }
    if (rc != SQLITE_DONE) {
      yun_cloud_db_set_error (db, error);
      return NULL;
    }
  }

  return g_strdup (g_checksum_get_string (checksum));
}
