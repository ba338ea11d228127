/* test-home-layout.c: the home screen's order and dock, and their file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-home-layout.h"
#include "yun-test-files.h"

#include <string.h>

static char *
joined (GPtrArray *ids)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < ids->len; i++) {
    if (i > 0)
      g_string_append_c (text, ' ');
    g_string_append (text, g_ptr_array_index (ids, i));
  }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
assert_layout (YunHomeLayout *layout,
               const char    *grid,
               const char    *dock)
{
  g_autofree char *seen_grid = joined (yun_home_layout_get_grid (layout));
  g_autofree char *seen_dock = joined (yun_home_layout_get_dock (layout));

  g_assert_cmpstr (seen_grid, ==, grid);
  g_assert_cmpstr (seen_dock, ==, dock);
}

static const char * const six[] = { "a", "b", "c", "d", "e", "f", NULL };

static void
test_default_dock_is_first_installed (void)
{
  g_autoptr(YunHomeLayout) layout = yun_home_layout_new (NULL);

  g_assert_true (yun_home_layout_arrange (layout, six));
  assert_layout (layout, "e f", "a b c d");
  g_assert_false (yun_home_layout_arrange (layout, six));
}

static void
test_new_apps_go_last_and_gone_apps_leave (void)
{
  g_autoptr(YunHomeLayout) layout = yun_home_layout_new (NULL);
  const char * const later[] = { "a", "b", "c", "d", "f", "g", "e", NULL };
  g_autoptr(GError) error = NULL;

  yun_home_layout_arrange (layout, six);
  g_assert_true (yun_home_layout_move (layout, "f", -1, &error));
  g_assert_no_error (error);
  assert_layout (layout, "f e", "a b c d");

  /* "e" stays where the user put it; "g" is new. */
  g_assert_true (yun_home_layout_arrange (layout, later));
  assert_layout (layout, "f e g", "a b c d");

  {
    const char * const fewer[] = { "b", "c", "d", "e", "g", NULL };

    g_assert_true (yun_home_layout_arrange (layout, fewer));
    /* The default dock refills from the first installed. */
    assert_layout (layout, "g", "b c d e");
  }
}

static void
test_chosen_dock_is_kept (void)
{
  g_autoptr(YunHomeLayout) layout = yun_home_layout_new (NULL);
  g_autoptr(GError) error = NULL;
  const char * const more[] = { "a", "b", "c", "d", "e", "f", "g", NULL };

  yun_home_layout_arrange (layout, six);
  g_assert_true (yun_home_layout_undock (layout, "b", &error));
  assert_layout (layout, "e f b", "a c d");
  g_assert_true (yun_home_layout_dock (layout, "f", &error));
  g_assert_no_error (error);
  assert_layout (layout, "e b", "a c d f");
  g_assert_true (yun_home_layout_is_docked (layout, "f"));

  yun_home_layout_arrange (layout, more);
  assert_layout (layout, "e b g", "a c d f");
}

static void
test_full_dock_refuses_and_changes_nothing (void)
{
  g_autoptr(YunHomeLayout) layout = yun_home_layout_new (NULL);
  g_autoptr(GError) error = NULL;

  yun_home_layout_arrange (layout, six);
  g_assert_false (yun_home_layout_dock (layout, "e", &error));
  g_assert_error (error, YUN_HOME_LAYOUT_ERROR, YUN_HOME_LAYOUT_ERROR_DOCK_FULL);
  assert_layout (layout, "e f", "a b c d");
}

static void
test_move_at_edge_or_unknown_refuses (void)
{
  g_autoptr(YunHomeLayout) layout = yun_home_layout_new (NULL);
  g_autoptr(GError) error = NULL;

  yun_home_layout_arrange (layout, six);
  g_assert_false (yun_home_layout_move (layout, "e", -1, &error));
  g_assert_error (error, YUN_HOME_LAYOUT_ERROR, YUN_HOME_LAYOUT_ERROR_EDGE);
  g_clear_error (&error);
  g_assert_false (yun_home_layout_move (layout, "d", 1, &error));
  g_assert_error (error, YUN_HOME_LAYOUT_ERROR, YUN_HOME_LAYOUT_ERROR_EDGE);
  g_clear_error (&error);
  g_assert_false (yun_home_layout_move (layout, "zz", 1, &error));
  g_assert_error (error, YUN_HOME_LAYOUT_ERROR, YUN_HOME_LAYOUT_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (yun_home_layout_undock (layout, "zz", &error));
  g_assert_error (error, YUN_HOME_LAYOUT_ERROR, YUN_HOME_LAYOUT_ERROR_NOT_FOUND);
  assert_layout (layout, "e f", "a b c d");

  /* Moving in the dock makes it the user's. */
  g_clear_error (&error);
  g_assert_true (yun_home_layout_move (layout, "a", 1, &error));
  assert_layout (layout, "e f", "b a c d");
}

static void
test_round_trips_through_bytes (void)
{
  g_autoptr(YunHomeLayout) layout = yun_home_layout_new (NULL);
  g_autoptr(YunHomeLayout) copy = yun_home_layout_new (NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  const char *data;
  gsize length;

  yun_home_layout_arrange (layout, six);
  yun_home_layout_move (layout, "f", -1, NULL);
  yun_home_layout_undock (layout, "c", NULL);
  bytes = yun_home_layout_to_bytes (layout);
  data = g_bytes_get_data (bytes, &length);
  g_assert_true (yun_home_layout_load_from_data (copy, data, length, &error));
  g_assert_no_error (error);
  yun_home_layout_arrange (copy, six);
  assert_layout (copy, "f e c", "a b d");
}

static void
test_saved_default_dock_stays_default (void)
{
  g_autoptr(YunHomeLayout) layout = yun_home_layout_new (NULL);
  const char *text = "{\"version\": 1, \"grid\": [\"f\", \"e\"]}";
  const char * const reordered[] = { "f", "a", "b", "c", "d", "e", NULL };

  g_assert_true (yun_home_layout_load_from_data (layout, text, strlen (text), NULL));
  yun_home_layout_arrange (layout, reordered);
  /* No "dock" saved: the first four installed fill it. */
  assert_layout (layout, "e d", "f a b c");
}

static void
test_hostile_files_change_nothing (void)
{
  static const char * const hostile[] = {
    "",
    "not json",
    "[]",
    "{\"grid\": [\"a\"]}",
    "{\"version\": 2, \"grid\": [\"a\"]}",
    "{\"version\": \"1\", \"grid\": [\"a\"]}",
    "{\"version\": 1, \"grid\": \"a\"}",
    "{\"version\": 1, \"grid\": [1]}",
    "{\"version\": 1, \"grid\": [\"../etc\"]}",
    "{\"version\": 1, \"grid\": [\"A\"]}",
    "{\"version\": 1, \"dock\": [\"a\", \"b\", \"c\", \"d\", \"e\"]}",
    "{\"version\": 1, \"grid\": [[[[[[\"a\"]]]]]]}",
  };
  g_autoptr(YunHomeLayout) layout = yun_home_layout_new (NULL);

  yun_home_layout_arrange (layout, six);
  yun_home_layout_move (layout, "f", -1, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (hostile); i++) {
    g_autoptr(GError) error = NULL;

    g_assert_false (yun_home_layout_load_from_data (layout, hostile[i], strlen (hostile[i]),
                                                    &error));
    g_assert_error (error, YUN_HOME_LAYOUT_ERROR, YUN_HOME_LAYOUT_ERROR_INVALID);
    assert_layout (layout, "f e", "a b c d");
  }
}

static void
test_oversize_file_changes_nothing (void)
{
  g_autoptr(YunHomeLayout) layout = yun_home_layout_new (NULL);
  g_autoptr(GString) text = g_string_new ("{\"version\": 1, \"grid\": [");
  g_autoptr(GError) error = NULL;

  while (text->len <= YUN_HOME_LAYOUT_MAX_BYTES)
    g_string_append (text, "\"abcdefgh\",");
  g_string_append (text, "\"z\"]}");
  yun_home_layout_arrange (layout, six);
  g_assert_false (yun_home_layout_load_from_data (layout, text->str, text->len, &error));
  g_assert_error (error, YUN_HOME_LAYOUT_ERROR, YUN_HOME_LAYOUT_ERROR_INVALID);
  assert_layout (layout, "e f", "a b c d");
}

typedef struct {
  gboolean done;
  gboolean ok;
  GError *error;
} Loading;

static void
on_loaded (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Loading *loading = user_data;

  loading->ok = yun_home_layout_load_finish (YUN_HOME_LAYOUT (source), result, &loading->error);
  loading->done = TRUE;
}

static gboolean
load (YunHomeLayout  *layout,
      GError        **error)
{
  Loading loading = { 0 };

  yun_home_layout_load_async (layout, NULL, on_loaded, &loading);
  while (!loading.done)
    g_main_context_iteration (NULL, TRUE);
  if (loading.error != NULL)
    g_propagate_error (error, loading.error);
  return loading.ok;
}

static void
test_saves_and_loads_file (void)
{
  g_autofree char *dir = g_dir_make_tmp ("yun-home-layout-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "home-layout.json", NULL);
  g_autoptr(YunHomeLayout) layout = yun_home_layout_new (path);
  g_autoptr(YunHomeLayout) missing = yun_home_layout_new (path);
  g_autoptr(YunHomeLayout) again = NULL;
  g_autoptr(GError) error = NULL;

  /* No file yet is a first start, not an error. */
  g_assert_true (load (missing, &error));
  g_assert_no_error (error);

  yun_home_layout_arrange (layout, six);
  yun_home_layout_move (layout, "f", -1, NULL);
  yun_home_layout_save (layout);
  /* A change while the first write runs is written after it. */
  yun_home_layout_undock (layout, "a", NULL);
  yun_home_layout_save (layout);
  while (yun_home_layout_is_saving (layout))
    g_main_context_iteration (NULL, TRUE);

  again = yun_home_layout_new (path);
  g_assert_true (load (again, &error));
  g_assert_no_error (error);
  yun_home_layout_arrange (again, six);
  assert_layout (again, "f e a", "b c d");

  yun_test_remove_tree (dir);
}

static void
test_damaged_file_fails_load (void)
{
  g_autofree char *dir = g_dir_make_tmp ("yun-home-layout-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "home-layout.json", NULL);
  g_autoptr(YunHomeLayout) layout = yun_home_layout_new (path);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, "{\"version\": 1, \"grid\": [", -1, NULL));
  g_assert_false (load (layout, &error));
  g_assert_error (error, YUN_HOME_LAYOUT_ERROR, YUN_HOME_LAYOUT_ERROR_INVALID);
  yun_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/yun/shell/home-layout/default-dock-is-first-installed",
                   test_default_dock_is_first_installed);
  g_test_add_func ("/yun/shell/home-layout/new-apps-go-last-and-gone-apps-leave",
                   test_new_apps_go_last_and_gone_apps_leave);
  g_test_add_func ("/yun/shell/home-layout/chosen-dock-is-kept", test_chosen_dock_is_kept);
  g_test_add_func ("/yun/shell/home-layout/full-dock-refuses-and-changes-nothing",
                   test_full_dock_refuses_and_changes_nothing);
  g_test_add_func ("/yun/shell/home-layout/move-at-edge-or-unknown-refuses",
                   test_move_at_edge_or_unknown_refuses);
  g_test_add_func ("/yun/shell/home-layout/round-trips-through-bytes",
                   test_round_trips_through_bytes);
  g_test_add_func ("/yun/shell/home-layout/saved-default-dock-stays-default",
                   test_saved_default_dock_stays_default);
  g_test_add_func ("/yun/shell/home-layout/hostile-files-change-nothing",
                   test_hostile_files_change_nothing);
  g_test_add_func ("/yun/shell/home-layout/oversize-file-changes-nothing",
                   test_oversize_file_changes_nothing);
  g_test_add_func ("/yun/shell/home-layout/saves-and-loads-file", test_saves_and_loads_file);
  g_test_add_func ("/yun/shell/home-layout/damaged-file-fails-load", test_damaged_file_fails_load);

  return g_test_run ();
}
