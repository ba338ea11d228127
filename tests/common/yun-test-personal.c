/* yun-test-personal.c: a personal store and its index in a temporary
 * folder, for the personal-data tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-test-personal.h"

#include "yun-test-files.h"

#include <string.h>

void
yun_test_personal_set_up (YunTestPersonal *personal)
{
  g_autoptr(GError) error = NULL;

  personal->dir = g_dir_make_tmp ("yun-personal-XXXXXX", &error);
  g_assert_no_error (error);
  personal->store_path = g_build_filename (personal->dir, "personal.db", NULL);
  personal->index_path = g_build_filename (personal->dir, "personal-index.db", NULL);
  personal->store = yun_doc_store_open (personal->store_path, &error);
  g_assert_no_error (error);
  personal->index = yun_personal_index_open (personal->store, personal->index_path, &error);
  g_assert_no_error (error);
}

void
yun_test_personal_tear_down (YunTestPersonal *personal)
{
  if (personal->index != NULL)
    g_assert_finalize_object (personal->index);
  if (personal->store != NULL)
    g_assert_finalize_object (personal->store);
  yun_test_remove_tree (personal->dir);
  g_free (personal->dir);
  g_free (personal->store_path);
  g_free (personal->index_path);
}

/* Closes and opens both files again, as a restart would. */
void
yun_test_personal_reopen (YunTestPersonal *personal)
{
  g_autoptr(GError) error = NULL;

  g_assert_finalize_object (personal->index);
  g_assert_finalize_object (personal->store);
  personal->store = yun_doc_store_open (personal->store_path, &error);
  g_assert_no_error (error);
  personal->index = yun_personal_index_open (personal->store, personal->index_path, &error);
  g_assert_no_error (error);
}

JsonObject *
yun_test_json_object (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

char *
yun_test_json_text (JsonNode *node)
{
  return json_to_string (node, FALSE);
}

/* A DataError whose message starts with the field's path. */
void
yun_test_assert_invalid (const GError *error,
                         const char   *path)
{
  g_assert_error (error, YUN_PERSONAL_DATA_ERROR, YUN_PERSONAL_DATA_ERROR_INVALID);
  if (!g_str_has_prefix (error->message, path))
    g_error ("expected a message about %s, got: %s", path, error->message);
}

guint
yun_test_count_docs (YunDocStore *store,
                     const char  *db)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) info = yun_doc_store_get_db_info (store, db, &error);

  g_assert_no_error (error);
  return json_object_get_int_member (info, "doc_count");
}
