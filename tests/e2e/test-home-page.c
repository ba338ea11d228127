/* test-home-page.c: the home screen widget in-process, under Xvfb: badges,
 * search providers, the keyboard and the tile menus' items.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gtk/gtk.h>
#include <string.h>

#include "yun-home-page.h"

/* A search provider that answers from a list, a main-loop turn later,
 * and counts the searches that were cancelled. */
#define TEST_TYPE_PROVIDER (test_provider_get_type ())
G_DECLARE_FINAL_TYPE (TestProvider, test_provider, TEST, PROVIDER, GObject)

struct _TestProvider
{
  GObject parent_instance;
  guint cancelled;
};

static void test_provider_iface_init (YunHomeSearchProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestProvider, test_provider, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (YUN_TYPE_HOME_SEARCH_PROVIDER,
                                                      test_provider_iface_init))

static const char *
test_provider_get_name (YunHomeSearchProvider *provider)
{
  return "Contacts";
}

static gboolean
on_answer (gpointer user_data)
{
  GTask *task = user_data;
  TestProvider *self = g_task_get_source_object (task);
  const char *query = g_task_get_task_data (task);
  GPtrArray *results;

  if (g_task_return_error_if_cancelled (task)) {
    self->cancelled++;
    return G_SOURCE_REMOVE;
  }
  results = g_ptr_array_new_with_free_func ((GDestroyNotify) yun_home_search_result_free);
  if (strstr ("ada lovelace", query) != NULL)
    g_ptr_array_add (results, yun_home_search_result_new ("Ada Lovelace", "+44 20 7946 0000",
                                                          "app.launch",
                                                          g_variant_new_string ("contacts")));
  g_task_return_pointer (task, results, (GDestroyNotify) g_ptr_array_unref);
  return G_SOURCE_REMOVE;
}

static void
test_provider_search_async (YunHomeSearchProvider *provider,
                            const char            *query,
                            GCancellable          *cancellable,
                            GAsyncReadyCallback    callback,
                            gpointer               user_data)
{
  GTask *task = g_task_new (provider, cancellable, callback, user_data);

  g_task_set_task_data (task, g_utf8_strdown (query, -1), g_free);
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, on_answer, task, g_object_unref);
}

static GPtrArray *
test_provider_search_finish (YunHomeSearchProvider  *provider,
                             GAsyncResult           *result,
                             GError                **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
test_provider_iface_init (YunHomeSearchProviderInterface *iface)
{
  iface->get_name = test_provider_get_name;
  iface->search_async = test_provider_search_async;
  iface->search_finish = test_provider_search_finish;
}

static void
test_provider_class_init (TestProviderClass *klass)
{
}

static void
test_provider_init (TestProvider *self)
{
}

static GtkWidget *window;
static YunHomePage *home;
/* What "app.launch" was last activated with. */
static char *launched;

static void
on_launch_activated (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  g_free (launched);
  launched = g_variant_dup_string (parameter, NULL);
}

static const GActionEntry app_actions[] = {
  { .name = "launch", .activate = on_launch_activated, .parameter_type = "s" },
};

static YunAppRecord *
record_new (const char *id,
            const char *name,
            gint64      installed_at)
{
  YunAppRecord *record = g_new0 (YunAppRecord, 1);
  g_autofree char *url = g_strdup_printf ("https://%s.example/manifest.json", id);
  g_autofree char *text = g_strdup_printf ("{\"name\": \"%s\", \"start_url\": \"./\"}", name);
  g_autoptr(GError) error = NULL;

  record->id = g_strdup (id);
  record->origin = g_strdup_printf ("https://%s.example", id);
  record->manifest_url = g_strdup (url);
  record->manifest_text = g_strdup (text);
  record->manifest = yun_manifest_new_from_data (text, strlen (text), url, &error);
  g_assert_no_error (error);
  record->version = g_strdup ("1");
  record->installed_at = installed_at;
  return record;
}

static void
iterate (void)
{
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
}

/* The description of @app_id's tile at @place, or %NULL. */
static GVariant *
tile_of (const char *app_id,
         const char *place)
{
  g_autoptr(GVariant) tiles = g_variant_ref_sink (yun_home_page_describe_tiles (home));

  for (gsize i = 0; i < g_variant_n_children (tiles); i++) {
    g_autoptr(GVariant) tile = g_variant_get_child_value (tiles, i);
    const char *id = NULL, *where = NULL;

    g_variant_lookup (tile, "app_id", "&s", &id);
    g_variant_lookup (tile, "place", "&s", &where);
    if (g_strcmp0 (id, app_id) == 0 && g_strcmp0 (where, place) == 0)
      return g_steal_pointer (&tile);
  }
  return NULL;
}

/* Runs the main loop until the tile is on screen and laid out. */
static void
wait_shown (const char *app_id,
            const char *place)
{
  for (;;) {
    g_autoptr(GVariant) tile = tile_of (app_id, place);
    gboolean mapped = FALSE;
    double width = 0;

    if (tile != NULL && g_variant_lookup (tile, "mapped", "b", &mapped) && mapped &&
        g_variant_lookup (tile, "width", "d", &width) && width > 0)
      return;
    g_main_context_iteration (NULL, TRUE);
  }
}

static const char *
focused_tile (void)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));

  for (; focus != NULL; focus = gtk_widget_get_parent (focus)) {
    GVariant *target;

    if (GTK_IS_BUTTON (focus) &&
        (target = gtk_actionable_get_action_target_value (GTK_ACTIONABLE (focus))) != NULL &&
        g_variant_is_of_type (target, G_VARIANT_TYPE_STRING))
      return g_variant_get_string (target, NULL);
    if (GTK_IS_SEARCH_ENTRY (focus))
      return "entry";
  }
  return NULL;
}

static void
test_badge_follows_the_app (void)
{
  g_autoptr(GVariant) before = NULL;
  g_autoptr(GVariant) after = NULL;
  g_autoptr(GVariant) cleared = NULL;
  guint count = 0;
  gint32 position = -1;

  yun_home_page_set_badge (home, "e", 7);
  before = tile_of ("e", "grid");
  g_assert_true (g_variant_lookup (before, "badge", "u", &count));
  g_assert_cmpuint (count, ==, 7);

  /* Kept when the tiles are rebuilt, as after a move. */
  g_assert_true (yun_home_page_activate_menu_item (home, "e", "Move right", NULL));
  iterate ();
  after = tile_of ("e", "grid");
  g_assert_true (g_variant_lookup (after, "badge", "u", &count));
  g_assert_cmpuint (count, ==, 7);
  g_assert_true (g_variant_lookup (after, "position", "i", &position));
  g_assert_cmpint (position, ==, 1);

  yun_home_page_set_badge (home, "e", 0);
  cleared = tile_of ("e", "grid");
  g_assert_true (g_variant_lookup (cleared, "badge", "u", &count));
  g_assert_cmpuint (count, ==, 0);
  /* Put back for the tests that follow. */
  g_assert_true (yun_home_page_activate_menu_item (home, "e", "Move left", NULL));
  iterate ();
}

static void
test_menu_offers_only_what_applies (void)
{
  g_autoptr(GError) error = NULL;

  /* First on its page: nothing to its left. */
  g_assert_false (yun_home_page_activate_menu_item (home, "e", "Move left", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);
  /* The dock is full. */
  g_assert_false (yun_home_page_activate_menu_item (home, "e", "Move to dock", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (yun_home_page_activate_menu_item (home, "nope", "Uninstall", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

static void
test_arrow_keys_move_between_tiles (void)
{
  yun_home_page_set_search_text (home, "");
  iterate ();
  wait_shown ("e", "grid");
  wait_shown ("a", "dock");
  /* From the entry down to the first tile of the page: e f g. */
  gtk_widget_grab_focus (gtk_widget_get_first_child (gtk_widget_get_first_child (GTK_WIDGET (home))));
  g_assert_cmpstr (focused_tile (), ==, "entry");
  g_assert_true (yun_home_page_move_focus (home, GTK_DIR_DOWN));
  g_assert_cmpstr (focused_tile (), ==, "e");
  g_assert_true (yun_home_page_move_focus (home, GTK_DIR_RIGHT));
  g_assert_cmpstr (focused_tile (), ==, "f");
  g_assert_true (yun_home_page_move_focus (home, GTK_DIR_RIGHT));
  g_assert_cmpstr (focused_tile (), ==, "g");
  /* Past the last tile of the last page: the cloud's page, empty here. */
  g_assert_false (yun_home_page_move_focus (home, GTK_DIR_RIGHT));
  g_assert_cmpstr (focused_tile (), ==, "g");
  /* Down from the last row to the dock, in the same column. */
  g_assert_true (yun_home_page_move_focus (home, GTK_DIR_DOWN));
  g_assert_cmpstr (focused_tile (), ==, "c");
  g_assert_true (yun_home_page_move_focus (home, GTK_DIR_LEFT));
  g_assert_cmpstr (focused_tile (), ==, "b");
  g_assert_true (yun_home_page_move_focus (home, GTK_DIR_UP));
  g_assert_cmpstr (focused_tile (), ==, "f");
  g_assert_true (yun_home_page_move_focus (home, GTK_DIR_UP));
  g_assert_cmpstr (focused_tile (), ==, "entry");

  /* Enter on a tile launches its app, as a tap does. */
  g_assert_true (yun_home_page_move_focus (home, GTK_DIR_DOWN));
  g_assert_true (gtk_widget_activate (gtk_root_get_focus (GTK_ROOT (window))));
  /* A button shows itself pressed for a moment, then clicks. */
  while (launched == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (launched, ==, "e");
}

static gboolean
has_result (const char *title)
{
  g_autoptr(GVariant) tiles = g_variant_ref_sink (yun_home_page_describe_tiles (home));

  for (gsize i = 0; i < g_variant_n_children (tiles); i++) {
    g_autoptr(GVariant) tile = g_variant_get_child_value (tiles, i);
    const char *where = NULL, *found = NULL;

    g_variant_lookup (tile, "place", "&s", &where);
    g_variant_lookup (tile, "title", "&s", &found);
    if (g_strcmp0 (where, "result") == 0 && g_strcmp0 (found, title) == 0)
      return TRUE;
  }
  return FALSE;
}

static void
test_provider_results_show_under_apps (void)
{
  g_autoptr(TestProvider) provider = g_object_new (TEST_TYPE_PROVIDER, NULL);
  g_autoptr(GVariant) app = NULL;

  yun_home_page_add_search_provider (home, YUN_HOME_SEARCH_PROVIDER (provider));
  /* Typing on cancels the search before. */
  yun_home_page_set_search_text (home, "l");
  yun_home_page_set_search_text (home, "lo");
  iterate ();
  g_assert_cmpuint (provider->cancelled, ==, 1);
  g_assert_true (has_result ("Ada Lovelace"));
  /* "lo" is also in an app's name: "Lotus". */
  app = tile_of ("f", "search");
  g_assert_nonnull (app);

  yun_home_page_set_search_text (home, "zebra");
  iterate ();
  g_assert_false (has_result ("Ada Lovelace"));
  yun_home_page_set_search_text (home, "");
  iterate ();
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) yun_app_record_free);
  static const char * const names[] = { "Atlas", "Birch", "Cedar", "Dune", "Ember", "Lotus", "Gale" };

  g_test_init (&argc, &argv, NULL);
  gtk_init ();

  for (guint i = 0; i < G_N_ELEMENTS (names); i++) {
    char id[2] = { 'a' + i, '\0' };

    g_ptr_array_add (records, record_new (id, names[i], 1000 + i));
  }
  window = gtk_window_new ();
  {
    g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();

    g_action_map_add_action_entries (G_ACTION_MAP (group), app_actions,
                                     G_N_ELEMENTS (app_actions), NULL);
    gtk_widget_insert_action_group (window, "app", G_ACTION_GROUP (group));
  }
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 640);
  home = yun_home_page_new ();
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (home));
  gtk_window_present (GTK_WINDOW (window));
  /* The first four installed are in the dock: a b c d; the page: e f g. */
  yun_home_page_show_installed (home, records);
  iterate ();

  g_test_add_func ("/yun/shell/home-page/badge-follows-the-app", test_badge_follows_the_app);
  g_test_add_func ("/yun/shell/home-page/menu-offers-only-what-applies",
                   test_menu_offers_only_what_applies);
  g_test_add_func ("/yun/shell/home-page/arrow-keys-move-between-tiles",
                   test_arrow_keys_move_between_tiles);
  g_test_add_func ("/yun/shell/home-page/provider-results-show-under-apps",
                   test_provider_results_show_under_apps);

  return g_test_run ();
}
