/* test-calls.c: the call history on the personal store.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-calls.h"
#include "yun-test-personal.h"

typedef struct {
  YunTestPersonal personal;
  YunCalls *calls;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  yun_test_personal_set_up (&f->personal);
  f->calls = yun_calls_new (f->personal.index, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_finalize_object (f->calls);
  yun_test_personal_tear_down (&f->personal);
}

static JsonObject *
save (Fixture    *f,
      const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) input = yun_test_json_object (json);
  JsonObject *saved = yun_calls_save (f->calls, input, &error);

  g_assert_no_error (error);
  return saved;
}

static void
test_save_and_get (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(JsonObject) saved = save (f, "{\"number\": \"+34 600\", \"direction\": \"missed\"}");
  g_autoptr(JsonObject) got = NULL;
  g_autoptr(GError) error = NULL;

  got = yun_calls_get (f->calls, json_object_get_string_member (saved, "id"), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (got, "direction"), ==, "missed");
  g_assert_cmpint (json_object_get_int_member (got, "time"), >, 0);
  g_assert_false (json_object_has_member (got, "duration"));
}

static void
test_save_invalid (Fixture       *f,
                   gconstpointer  data)
{
  static const struct {
    const char *json;
    const char *path;
  } cases[] = {
    { "{\"direction\": \"in\"}", "call.number:" },
    { "{\"number\": \"1\"}", "call.direction:" },
    { "{\"number\": \"1\", \"direction\": \"sideways\"}", "call.direction:" },
    { "{\"number\": \"1\", \"direction\": \"IN\"}", "call.direction:" },
    { "{\"number\": \"1\", \"direction\": \"in\", \"duration\": -1}", "call.duration:" },
    { "{\"number\": \"1\", \"direction\": \"in\", \"duration\": 604801}", "call.duration:" },
    { "{\"number\": \"1\", \"direction\": \"in\", \"duration\": 2.5}", "call.duration:" },
    { "{\"number\": \"1\", \"direction\": \"in\", \"duration\": true}", "call.duration:" },
    { "{\"number\": [\"1\"], \"direction\": \"in\"}", "call.number:" },
    { "{\"number\": \"12345678901234567890123456789012345678901234567890123456789012345\","
      " \"direction\": \"in\"}", "call.number:" },
    { "{\"number\": \"1\", \"direction\": \"in\", \"name\": \"Bo\"}", "call:" },
    { "{\"number\": \"1\", \"direction\": \"in\", \"rev\": \"1-a\"}", "call.rev:" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr(JsonObject) input = yun_test_json_object (cases[i].json);
    g_autoptr(GError) error = NULL;

    g_test_message ("%s", cases[i].json);
    g_assert_null (yun_calls_save (f->calls, input, &error));
    yun_test_assert_invalid (error, cases[i].path);
  }
  g_assert_cmpuint (yun_test_count_docs (f->personal.store, "calls"), ==, 0);
}

static void
test_list_newest_first (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) all = NULL;
  g_autoptr(JsonArray) page = NULL;

  json_object_unref (save (f, "{\"number\": \"1\", \"direction\": \"in\", \"time\": 100, \"duration\": 5}"));
  json_object_unref (save (f, "{\"number\": \"2\", \"direction\": \"out\", \"time\": 300}"));
  json_object_unref (save (f, "{\"number\": \"3\", \"direction\": \"missed\", \"time\": 200}"));
  all = yun_calls_list (f->calls, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (all), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (all, 0), "number"),
                   ==, "2");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (all, 2), "number"),
                   ==, "1");
  page = yun_calls_list (f->calls, 200, 10, &error);
  g_assert_cmpuint (json_array_get_length (page), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (page, 0), "duration"),
                   ==, 5);
}

static void
test_update_and_remove (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(JsonObject) saved = save (f, "{\"number\": \"1\", \"direction\": \"in\", \"time\": 100}");
  g_autoptr(JsonObject) edit = yun_test_json_object ("{\"number\": \"1\", \"direction\": \"in\","
                                                     " \"time\": 100, \"duration\": 60}");
  g_autoptr(JsonObject) edited = NULL;
  g_autoptr(JsonArray) left = NULL;
  g_autoptr(GError) error = NULL;
  const char *id = json_object_get_string_member (saved, "id");

  json_object_set_string_member (edit, "id", id);
  g_assert_null (yun_calls_save (f->calls, edit, &error));
  g_assert_error (error, YUN_PERSONAL_DATA_ERROR, YUN_PERSONAL_DATA_ERROR_CONFLICT);
  g_clear_error (&error);
  json_object_set_string_member (edit, "rev", json_object_get_string_member (saved, "rev"));
  edited = yun_calls_save (f->calls, edit, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (edited, "duration"), ==, 60);

  g_assert_true (yun_calls_remove (f->calls, id, NULL, &error));
  g_assert_no_error (error);
  left = yun_calls_list (f->calls, 0, 0, &error);
  g_assert_cmpuint (json_array_get_length (left), ==, 0);
  g_assert_false (yun_calls_remove (f->calls, id, NULL, &error));
  g_assert_error (error, YUN_PERSONAL_DATA_ERROR, YUN_PERSONAL_DATA_ERROR_NOT_FOUND);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/yun/services/calls/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("save/get", test_save_and_get);
  ADD ("save/invalid", test_save_invalid);
  ADD ("list/newest-first", test_list_newest_first);
  ADD ("update-and-remove", test_update_and_remove);
#undef ADD

  return g_test_run ();
}
