/* test-web-files.c: tests for yun-web-files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Path decoding and range parsing are pure functions, tested with tables of
 * raw strings. Lookups run on real files in a folder made for each test,
 * with symbolic links that lead out of it and a control path beside each
 * refused one, so that a refusal is known to come from the rule under test
 * and not from a typo in the fixture.
 */

#include "config.h"

#include "yun-test-files.h"
#include "yun-app-id.h"
#include "yun-web-files.h"

#include <glib/gstdio.h>

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define TIMEOUT_SECONDS 10

#define INDEX_HTML "<!doctype html>\n<title>Hello</title>\n"
#define DIGITS "0123456789"
#define SECRET "secret outside the root\n"

typedef struct {
  char *tmp_dir;
  char *root;
} Fixture;

typedef struct {
  gboolean      done;
  gboolean      ok;
  goffset       size;
  GBytes       *contents;
  GInputStream *stream;
  GError       *error;
} OpenData;

static void
open_data_clear (OpenData *data)
{
  g_clear_pointer (&data->contents, g_bytes_unref);
  g_clear_object (&data->stream);
  g_clear_error (&data->error);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (OpenData, open_data_clear)

static char *
repeat (const char *unit,
        guint       times)
{
  g_autoptr(GString) s = g_string_new (NULL);

  for (guint i = 0; i < times; i++)
    g_string_append (s, unit);

  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* @raw for a test message: escaped, and cut short when it is long. */
static char *
describe (const char *raw)
{
  g_autofree char *escaped = g_strescape (raw, NULL);
  size_t length = strlen (escaped);

  if (length <= 80)
    return g_steal_pointer (&escaped);

  return g_strdup_printf ("%.40s… (%zu bytes)", escaped, strlen (raw));
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *secret_path = NULL;
  g_autofree char *fifo_path = NULL;

  fixture->tmp_dir = g_dir_make_tmp ("yun-web-files-test-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->root = g_build_filename (fixture->tmp_dir, "root", NULL);

  yun_test_write_file (fixture->tmp_dir, "secret.txt", SECRET, -1);
  yun_test_write_file (fixture->root, "index.html", INDEX_HTML, -1);
  yun_test_write_file (fixture->root, "digits.txt", DIGITS, -1);
  yun_test_write_file (fixture->root, "empty.txt", "", -1);
  yun_test_write_file (fixture->root, "sub/dir/file.css", "body {}\n", -1);

  /* Links at the end of a path and in its middle, out of the root and
   * inside it: none may be followed. */
  secret_path = g_build_filename (fixture->tmp_dir, "secret.txt", NULL);
  yun_test_make_symlink (secret_path, fixture->root, "link-out.txt");
  yun_test_make_symlink ("index.html", fixture->root, "link-in.html");
  yun_test_make_symlink (fixture->tmp_dir, fixture->root, "link-dir-out");
  yun_test_make_symlink ("sub", fixture->root, "link-dir-in");

  fifo_path = g_build_filename (fixture->root, "fifo", NULL);
  g_assert_cmpint (mkfifo (fifo_path, 0600), ==, 0);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  user_data)
{
  yun_test_remove_tree (fixture->tmp_dir);

  g_free (fixture->tmp_dir);
  g_free (fixture->root);
}

static gboolean
on_timeout (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;

  return G_SOURCE_REMOVE;
}

static void
wait_until (gboolean *done)
{
  gboolean timed_out = FALSE;
  guint timeout_id = g_timeout_add_seconds (TIMEOUT_SECONDS, on_timeout, &timed_out);

  while (!*done && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  g_assert_false (timed_out);
  g_source_remove (timeout_id);
}

static void
on_open_ready (GObject      *source_object,
               GAsyncResult *result,
               gpointer      user_data)
{
  OpenData *data = user_data;

  g_assert_null (source_object);
  data->ok = yun_web_files_open_finish (result, &data->size, &data->contents, &data->stream,
                                        &data->error);
  data->done = TRUE;
}

/* Looks @path (slash-separated, already decoded) up under the fixture's
 * root and waits for the answer. */
static void
open_path (Fixture         *fixture,
           const char      *path,
           YunWebFilesMode  mode,
           goffset          offset,
           goffset          max_size,
           GCancellable    *cancellable,
           OpenData        *data)
{
  g_auto(GStrv) components = g_strsplit (path, "/", -1);
  g_autofree char *description = describe (path);

  g_test_message ("open %s", description);
  yun_web_files_open_async (fixture->root, (const char * const *) components, mode, offset,
                            max_size, cancellable, on_open_ready, data);
  wait_until (&data->done);
  g_assert_true (data->ok == (data->error == NULL));
}

static void
assert_open_refused (Fixture         *fixture,
                     const char      *path,
                     YunWebFilesMode  mode,
                     int              code)
{
  g_auto(OpenData) data = { 0 };

  open_path (fixture, path, mode, 0, G_MAXINT64, NULL, &data);

  g_assert_error (data.error, YUN_WEB_FILES_ERROR, code);
  g_assert_false (data.ok);
  g_assert_null (data.contents);
  g_assert_null (data.stream);
}

static void
assert_bytes (GBytes     *bytes,
              const char *expected)
{
  gsize length;
  const char *data;

  g_assert_nonnull (bytes);
  data = g_bytes_get_data (bytes, &length);
  g_assert_cmpmem (data, length, expected, strlen (expected));
}

static char *
read_stream (GInputStream *stream)
{
  g_autoptr(GError) error = NULL;
  char buffer[64];
  gsize n_read = 0;

  g_assert_nonnull (stream);
  g_input_stream_read_all (stream, buffer, sizeof buffer - 1, &n_read, NULL, &error);
  g_assert_no_error (error);
  buffer[n_read] = '\0';

  return g_strdup (buffer);
}

/* Splitting: what is accepted */

typedef struct {
  const char *raw;
  const char *components[4];
} SplitCase;

static void
assert_split (const char         *raw,
              const char * const *expected)
{
  g_auto(GStrv) components = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *description = describe (raw);

  g_test_message ("split “%s”", description);
  g_assert_true (yun_web_files_split_path (raw, &components, &error));
  g_assert_no_error (error);
  g_assert_nonnull (components);
  g_assert_cmpstrv (components, expected);
}

static void
assert_split_refused (const char *raw,
                      int         code)
{
  g_auto(GStrv) components = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *description = describe (raw);

  g_test_message ("split “%s”", description);
  g_assert_false (yun_web_files_split_path (raw, &components, &error));
  g_assert_error (error, YUN_WEB_FILES_ERROR, code);
  g_assert_null (components);
}

static void
assert_all_refused (const char * const *raws,
                    size_t              n_raws,
                    int                 code)
{
  for (size_t i = 0; i < n_raws; i++)
    assert_split_refused (raws[i], code);
}

static void
run_split_cases (const SplitCase *cases,
                 size_t           n_cases)
{
  for (size_t i = 0; i < n_cases; i++)
    assert_split (cases[i].raw, cases[i].components);
}

static void
test_split_plain (void)
{
  static const SplitCase cases[] = {
    { "index.html", { "index.html", NULL } },
    { "hello/app.js", { "hello", "app.js", NULL } },
    { "sub/dir/file.css", { "sub", "dir", "file.css", NULL } },
    /* Dots inside or at the end of a name are not dot segments. */
    { "a..b/c.", { "a..b", "c.", NULL } },
  };

  run_split_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_split_index (void)
{
  static const SplitCase cases[] = {
    { "", { "index.html", NULL } },
    { "hello/", { "hello", "index.html", NULL } },
    { "sub/dir/", { "sub", "dir", "index.html", NULL } },
  };

  run_split_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_split_decoded (void)
{
  static const SplitCase cases[] = {
    { "a%20b.png", { "a b.png", NULL } },
    { "%68ello/%69ndex.html", { "hello", "index.html", NULL } },
    { "caf%C3%A9/caf%c3%a9.txt", { "café", "café.txt", NULL } },
    { "café.txt", { "café.txt", NULL } },
    /* Only one level of decoding: %25 is a percent sign, not an escape. */
    { "%252e%252e", { "%2e%2e", NULL } },
    { "100%25", { "100%", NULL } },
  };

  run_split_cases (cases, G_N_ELEMENTS (cases));
}

/* Splitting: what is refused, and with which code */

static void
test_split_dot_dot (void)
{
  const char *raws[] = {
    "..", ".", "../secret.txt", "hello/../secret.txt", "hello/..",
    "%2e%2e", "%2E%2e", "%2e%2E/secret.txt", ".%2e", "%2e.", "%2e",
    "hello/%2e%2e/%2e%2e/secret.txt", "sub/%2e/file.css",
  };

  assert_all_refused (raws, G_N_ELEMENTS (raws), YUN_WEB_FILES_ERROR_FORBIDDEN_NAME);
}

static void
test_split_hidden (void)
{
  const char *raws[] = {
    ".hidden", "%2ehidden", "%2Ehidden", "sub/.git/config", ".well-known/x", "sub/.htaccess",
  };

  assert_all_refused (raws, G_N_ELEMENTS (raws), YUN_WEB_FILES_ERROR_FORBIDDEN_NAME);
}

static void
test_split_encoded_slash (void)
{
  const char *raws[] = {
    "%2F", "%2f", "sub%2fdir%2ffile.css", "sub%2Fdir/file.css", "hello%2findex.html",
    "%2e%2e%2fsecret.txt", "%2fetc%2fpasswd",
  };

  assert_all_refused (raws, G_N_ELEMENTS (raws), YUN_WEB_FILES_ERROR_FORBIDDEN_NAME);
}

static void
test_split_backslash (void)
{
  const char *raws[] = {
    "%5c", "%5C", "back%5cslash.txt", "back\\slash.txt", "..\\secret.txt",
    "%2e%2e%5csecret.txt", "sub\\dir\\file.css",
  };

  assert_all_refused (raws, G_N_ELEMENTS (raws), YUN_WEB_FILES_ERROR_FORBIDDEN_NAME);
}

static void
test_split_nul (void)
{
  const char *raws[] = { "%00", "index.html%00.js", "sub/%00/file.css", "%00%2e%2e" };

  assert_all_refused (raws, G_N_ELEMENTS (raws), YUN_WEB_FILES_ERROR_BAD_ENCODING);
}

static void
test_split_empty_segment (void)
{
  const char *raws[] = { "/", "//", "/index.html", "hello//index.html", "sub//dir/", "hello//" };

  assert_all_refused (raws, G_N_ELEMENTS (raws), YUN_WEB_FILES_ERROR_FORBIDDEN_NAME);
}

static void
test_split_bad_escape (void)
{
  const char *raws[] = {
    "%zz", "index.html%zz", "%4", "index.html%4", "%", "index.html%", "%%", "%g0", "%0g",
    "%-1", "% 20", "sub/%zz/file.css",
    /* A broken escape that, misread, would complete a UTF-8 sequence. */
    "%g0%9f%98%80",
  };

  assert_all_refused (raws, G_N_ELEMENTS (raws), YUN_WEB_FILES_ERROR_BAD_ENCODING);
}

static void
test_split_invalid_utf8 (void)
{
  const char *raws[] = {
    /* Overlong forms of "/" and "." */
    "%c0%af", "%e0%80%af", "%c0%ae%c0%ae",
    /* Bytes that never occur in UTF-8, a lone continuation byte, a
     * sequence cut short, a UTF-16 surrogate. */
    "%ff", "%ff%fe.html", "%80", "caf%c3", "%e2%82", "%ed%a0%80",
    /* The same bytes unencoded. */
    "\xff.html", "caf\xc3",
  };

  assert_all_refused (raws, G_N_ELEMENTS (raws), YUN_WEB_FILES_ERROR_BAD_ENCODING);
}

static void
test_split_long_segment (void)
{
  g_autofree char *longest = repeat ("a", YUN_WEB_FILES_MAX_SEGMENT_LENGTH);
  g_autofree char *too_long = repeat ("a", YUN_WEB_FILES_MAX_SEGMENT_LENGTH + 1);
  g_autofree char *longest_encoded = repeat ("%61", YUN_WEB_FILES_MAX_SEGMENT_LENGTH);
  /* 128 two-byte characters: 128 characters, 256 bytes. */
  g_autofree char *too_long_utf8 = repeat ("%c3%a9", 128);
  g_autofree char *very_long = repeat ("a", 1024 * 1024);
  g_autofree char *nested = g_strconcat ("sub/", too_long, "/file.css", NULL);
  const char *expected[] = { longest, NULL };

  assert_split (longest, expected);
  /* The limit is on the decoded name, not on its encoding. */
  assert_split (longest_encoded, expected);

  assert_split_refused (too_long, YUN_WEB_FILES_ERROR_FORBIDDEN_NAME);
  assert_split_refused (too_long_utf8, YUN_WEB_FILES_ERROR_FORBIDDEN_NAME);
  assert_split_refused (very_long, YUN_WEB_FILES_ERROR_FORBIDDEN_NAME);
  assert_split_refused (nested, YUN_WEB_FILES_ERROR_FORBIDDEN_NAME);
}

static void
test_split_depth (void)
{
  g_autofree char *deepest = repeat ("a/", YUN_WEB_FILES_MAX_SEGMENTS - 1);
  g_autofree char *deepest_file = g_strconcat (deepest, "f", NULL);
  g_autofree char *too_deep = repeat ("a/", YUN_WEB_FILES_MAX_SEGMENTS);
  g_autofree char *too_deep_file = g_strconcat (too_deep, "f", NULL);
  g_autofree char *very_deep = repeat ("a/", 100000);
  g_auto(GStrv) components = NULL;
  g_autoptr(GError) error = NULL;

  /* 31 folders and a file, or 31 folders and a trailing slash: 32 segments. */
  g_assert_true (yun_web_files_split_path (deepest_file, &components, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (components), ==, YUN_WEB_FILES_MAX_SEGMENTS);
  g_assert_cmpstr (components[YUN_WEB_FILES_MAX_SEGMENTS - 1], ==, "f");
  g_clear_pointer (&components, g_strfreev);

  g_assert_true (yun_web_files_split_path (deepest, &components, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (components), ==, YUN_WEB_FILES_MAX_SEGMENTS);
  g_assert_cmpstr (components[YUN_WEB_FILES_MAX_SEGMENTS - 1], ==, "index.html");

  assert_split_refused (too_deep_file, YUN_WEB_FILES_ERROR_FORBIDDEN_NAME);
  assert_split_refused (too_deep, YUN_WEB_FILES_ERROR_FORBIDDEN_NAME);
  assert_split_refused (very_deep, YUN_WEB_FILES_ERROR_FORBIDDEN_NAME);
}

static void
test_split_first_error_wins (void)
{
  /* Segments are checked in order, so a server can answer as the first
   * wrong one says. */
  assert_split_refused (".hidden/%zz", YUN_WEB_FILES_ERROR_FORBIDDEN_NAME);
  assert_split_refused ("%zz/.hidden", YUN_WEB_FILES_ERROR_BAD_ENCODING);
  assert_split_refused ("sub//%00", YUN_WEB_FILES_ERROR_FORBIDDEN_NAME);
  assert_split_refused ("sub/%00//", YUN_WEB_FILES_ERROR_BAD_ENCODING);
}

/* App ids */

static void
test_app_id (void)
{
  g_autofree char *longest = repeat ("b", YUN_APP_ID_MAX_LENGTH);
  g_autofree char *too_long = repeat ("a", YUN_APP_ID_MAX_LENGTH + 1);
  const char *valid[] = {
    "hello", "a", "7", "0app", "org.yun.hello_2-x", "a.", "a-", "a_", "a..b", longest,
  };
  const char *invalid[] = {
    "", "Hello", "hellO", ".hidden", "..", ".", "-x", "_x", "a/b", "a\\b", "a b", "a%2e",
    "héllo", "hello\n", "\nhello", "a\tb", too_long,
  };

  for (size_t i = 0; i < G_N_ELEMENTS (valid); i++) {
    g_test_message ("valid: “%s”", valid[i]);
    g_assert_true (yun_app_id_is_valid (valid[i]));
  }

  for (size_t i = 0; i < G_N_ELEMENTS (invalid); i++) {
    g_test_message ("invalid: “%s”", invalid[i]);
    g_assert_false (yun_app_id_is_valid (invalid[i]));
  }
}

/* Content types */

static void
test_content_type (void)
{
  static const struct {
    const char *name;
    const char *content_type;
  } cases[] = {
    { "index.html", "text/html; charset=utf-8" },
    { "INDEX.HTML", "text/html; charset=utf-8" },
    { "app.js", "text/javascript; charset=utf-8" },
    { "module.mjs", "text/javascript; charset=utf-8" },
    { "style.css", "text/css; charset=utf-8" },
    { "data.json", "application/json" },
    { "manifest.json", "application/json" },
    { "app.webmanifest", "application/manifest+json" },
    { "icon.svg", "image/svg+xml" },
    { "icon.png", "image/png" },
    { "photo.jpg", "image/jpeg" },
    { "photo.JPEG", "image/jpeg" },
    { "photo.webp", "image/webp" },
    { "favicon.ico", "image/vnd.microsoft.icon" },
    { "notes.txt", "text/plain; charset=utf-8" },
    { "code.wasm", "application/wasm" },
    { "font.woff2", "font/woff2" },
    /* The last extension counts, and only a whole one. */
    { "jquery.min.js", "text/javascript; charset=utf-8" },
    { "app.bundle.css", "text/css; charset=utf-8" },
    { "index.html.bak", "application/octet-stream" },
    { "archive.tar.gz", "application/octet-stream" },
    { "page.htm", "application/octet-stream" },
    { "page.xhtml", "application/octet-stream" },
    { "html", "application/octet-stream" },
    { "README", "application/octet-stream" },
    { "trailing.", "application/octet-stream" },
    { "", "application/octet-stream" },
  };

  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_test_message ("content type of “%s”", cases[i].name);
    g_assert_cmpstr (yun_web_files_content_type (cases[i].name), ==, cases[i].content_type);
  }
}

/* Ranges */

typedef enum {
  RANGE_OK,
  RANGE_IGNORED,
  RANGE_NOT_SATISFIABLE,
} RangeOutcome;

static void
test_range (void)
{
  static const struct {
    const char   *header;
    goffset       size;
    RangeOutcome  outcome;
    goffset       start;
    goffset       end;
  } cases[] = {
    { "bytes=0-0", 10, RANGE_OK, 0, 0 },
    { "bytes=0-9", 10, RANGE_OK, 0, 9 },
    { "bytes=2-5", 10, RANGE_OK, 2, 5 },
    { "bytes=9-9", 10, RANGE_OK, 9, 9 },
    { "bytes=3-", 10, RANGE_OK, 3, 9 },
    { "bytes=0-", 10, RANGE_OK, 0, 9 },
    { "bytes=-3", 10, RANGE_OK, 7, 9 },
    { "bytes=-10", 10, RANGE_OK, 0, 9 },
    /* A last position past the end, or a suffix longer than the file, is
     * cut to the file. */
    { "bytes=0-99999999", 10, RANGE_OK, 0, 9 },
    { "bytes=5-99999999999999999999999999", 10, RANGE_OK, 5, 9 },
    { "bytes=-11", 10, RANGE_OK, 0, 9 },
    { "bytes=-99999999999999999999999999", 10, RANGE_OK, 0, 9 },
    { "bytes=0-0", 1, RANGE_OK, 0, 0 },
    /* The unit is compared without case; space around the range is
     * tolerated. */
    { "BYTES=1-2", 10, RANGE_OK, 1, 2 },
    { "Bytes=1-2", 10, RANGE_OK, 1, 2 },
    { " bytes= 1-2 ", 10, RANGE_OK, 1, 2 },
    { "bytes=007-008", 10, RANGE_OK, 7, 8 },
    { "bytes=1000000000000-1000000000001", 2000000000000, RANGE_OK,
      1000000000000, 1000000000001 },

    /* Valid, but no byte of the file. */
    { "bytes=-0", 10, RANGE_NOT_SATISFIABLE, 0, 0 },
    { "bytes=10-", 10, RANGE_NOT_SATISFIABLE, 0, 0 },
    { "bytes=10-20", 10, RANGE_NOT_SATISFIABLE, 0, 0 },
    { "bytes=11-", 10, RANGE_NOT_SATISFIABLE, 0, 0 },
    { "bytes=99999999999999999999999999-", 10, RANGE_NOT_SATISFIABLE, 0, 0 },
    { "bytes=0-0", 0, RANGE_NOT_SATISFIABLE, 0, 0 },
    { "bytes=0-", 0, RANGE_NOT_SATISFIABLE, 0, 0 },
    { "bytes=-0", 0, RANGE_NOT_SATISFIABLE, 0, 0 },

    /* Not ours to serve: the whole file instead. */
    { "bytes=-5", 0, RANGE_IGNORED, 0, 0 },
    { "bytes=5-2", 10, RANGE_IGNORED, 0, 0 },
    { "bytes=5-4", 10, RANGE_IGNORED, 0, 0 },
    { "bytes=abc", 10, RANGE_IGNORED, 0, 0 },
    { "bytes=a-b", 10, RANGE_IGNORED, 0, 0 },
    { "bytes=1-b", 10, RANGE_IGNORED, 0, 0 },
    { "bytes=1-2x", 10, RANGE_IGNORED, 0, 0 },
    { "bytes=-", 10, RANGE_IGNORED, 0, 0 },
    { "bytes=--1", 10, RANGE_IGNORED, 0, 0 },
    { "bytes=-1-2", 10, RANGE_IGNORED, 0, 0 },
    { "bytes=+1-2", 10, RANGE_IGNORED, 0, 0 },
    { "bytes=1", 10, RANGE_IGNORED, 0, 0 },
    { "bytes=1 -2", 10, RANGE_IGNORED, 0, 0 },
    { "bytes=0x1-2", 10, RANGE_IGNORED, 0, 0 },
    { "bytes=", 10, RANGE_IGNORED, 0, 0 },
    { "bytes", 10, RANGE_IGNORED, 0, 0 },
    { "bytes =0-1", 10, RANGE_IGNORED, 0, 0 },
    { "bytes:0-1", 10, RANGE_IGNORED, 0, 0 },
    { "items=0-1", 10, RANGE_IGNORED, 0, 0 },
    { "bits=0-1", 10, RANGE_IGNORED, 0, 0 },
    { "", 10, RANGE_IGNORED, 0, 0 },
    { "0-1", 10, RANGE_IGNORED, 0, 0 },
    { "bytes=0-1,3-4", 10, RANGE_IGNORED, 0, 0 },
    { "bytes=0-1, 3-4", 10, RANGE_IGNORED, 0, 0 },
    { "bytes=0-1,", 10, RANGE_IGNORED, 0, 0 },
    { "bytes=,0-1", 10, RANGE_IGNORED, 0, 0 },
    { "bytes=20-30,0-1", 10, RANGE_IGNORED, 0, 0 },
  };

  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr(GError) error = NULL;
    goffset start = -1;
    goffset end = -1;
    gboolean ok;

    g_test_message ("Range: %s, size %" G_GOFFSET_FORMAT, cases[i].header, cases[i].size);
    ok = yun_web_files_parse_range (cases[i].header, cases[i].size, &start, &end, &error);

    switch (cases[i].outcome) {
    case RANGE_OK:
      g_assert_no_error (error);
      g_assert_true (ok);
      g_assert_cmpint (start, ==, cases[i].start);
      g_assert_cmpint (end, ==, cases[i].end);
      break;
    case RANGE_IGNORED:
      g_assert_error (error, YUN_WEB_FILES_ERROR, YUN_WEB_FILES_ERROR_RANGE_IGNORED);
      g_assert_false (ok);
      g_assert_cmpint (start, ==, -1);
      g_assert_cmpint (end, ==, -1);
      break;
    case RANGE_NOT_SATISFIABLE:
      g_assert_error (error, YUN_WEB_FILES_ERROR, YUN_WEB_FILES_ERROR_RANGE_NOT_SATISFIABLE);
      g_assert_false (ok);
      g_assert_cmpint (start, ==, -1);
      g_assert_cmpint (end, ==, -1);
      break;
    default:
      g_assert_not_reached ();
    }
  }
}

/* Lookups */

static void
test_open_contents (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_auto(OpenData) data = { 0 };
  g_auto(OpenData) nested = { 0 };
  g_auto(OpenData) empty = { 0 };

  open_path (fixture, "index.html", YUN_WEB_FILES_MODE_CONTENTS, 0, G_MAXINT64, NULL, &data);
  g_assert_no_error (data.error);
  g_assert_cmpint (data.size, ==, strlen (INDEX_HTML));
  assert_bytes (data.contents, INDEX_HTML);
  g_assert_null (data.stream);

  open_path (fixture, "sub/dir/file.css", YUN_WEB_FILES_MODE_CONTENTS, 0, G_MAXINT64, NULL,
             &nested);
  g_assert_no_error (nested.error);
  assert_bytes (nested.contents, "body {}\n");

  open_path (fixture, "empty.txt", YUN_WEB_FILES_MODE_CONTENTS, 0, G_MAXINT64, NULL, &empty);
  g_assert_no_error (empty.error);
  g_assert_cmpint (empty.size, ==, 0);
  assert_bytes (empty.contents, "");
}

static void
test_open_info (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_auto(OpenData) data = { 0 };

  open_path (fixture, "digits.txt", YUN_WEB_FILES_MODE_INFO, 0, G_MAXINT64, NULL, &data);

  g_assert_no_error (data.error);
  g_assert_cmpint (data.size, ==, strlen (DIGITS));
  g_assert_null (data.contents);
  g_assert_null (data.stream);
}

static void
test_open_stream_offset (Fixture       *fixture,
                         gconstpointer  user_data)
{
  static const struct {
    goffset     offset;
    const char *rest;
  } cases[] = {
    { 0, DIGITS },
    { 1, "123456789" },
    { 7, "789" },
    { 9, "9" },
    { 10, "" },
    { 20, "" },
  };

  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_auto(OpenData) data = { 0 };
    g_autofree char *read = NULL;

    g_test_message ("offset %" G_GOFFSET_FORMAT, cases[i].offset);
    open_path (fixture, "digits.txt", YUN_WEB_FILES_MODE_STREAM, cases[i].offset,
               G_MAXINT64, NULL, &data);

    g_assert_no_error (data.error);
    g_assert_cmpint (data.size, ==, strlen (DIGITS));
    g_assert_null (data.contents);
    read = read_stream (data.stream);
    g_assert_cmpstr (read, ==, cases[i].rest);
  }
}

static void
test_open_stream_seek (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_auto(OpenData) data = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *read = NULL;
  goffset start;
  goffset end;

  /* A suffix range: the size first, then the seek, as documented. */
  open_path (fixture, "digits.txt", YUN_WEB_FILES_MODE_STREAM, 0, G_MAXINT64, NULL, &data);
  g_assert_no_error (data.error);

  g_assert_true (yun_web_files_parse_range ("bytes=-4", data.size, &start, &end, &error));
  g_assert_no_error (error);
  g_assert_true (G_IS_SEEKABLE (data.stream));
  g_assert_true (g_seekable_seek (G_SEEKABLE (data.stream), start, G_SEEK_SET, NULL, &error));
  g_assert_no_error (error);

  read = read_stream (data.stream);
  g_assert_cmpstr (read, ==, "6789");
  g_assert_cmpint (end, ==, data.size - 1);
}

static void
test_open_directory (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_auto(OpenData) data = { 0 };
  g_auto(OpenData) nested = { 0 };

  open_path (fixture, "sub", YUN_WEB_FILES_MODE_DIRECTORY, 0, 0, NULL, &data);
  g_assert_no_error (data.error);
  g_assert_true (data.ok);
  g_assert_null (data.contents);
  g_assert_null (data.stream);

  open_path (fixture, "sub/dir", YUN_WEB_FILES_MODE_DIRECTORY, 0, 0, NULL, &nested);
  g_assert_no_error (nested.error);

  /* A file is not a folder, and a folder is not a file. */
  assert_open_refused (fixture, "index.html", YUN_WEB_FILES_MODE_DIRECTORY,
                       YUN_WEB_FILES_ERROR_NOT_FOUND);
  assert_open_refused (fixture, "sub", YUN_WEB_FILES_MODE_CONTENTS,
                       YUN_WEB_FILES_ERROR_NOT_FOUND);
  assert_open_refused (fixture, "sub/dir", YUN_WEB_FILES_MODE_INFO,
                       YUN_WEB_FILES_ERROR_NOT_FOUND);
  assert_open_refused (fixture, "sub", YUN_WEB_FILES_MODE_STREAM,
                       YUN_WEB_FILES_ERROR_NOT_FOUND);
}

static void
test_open_missing (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autofree char *long_name = repeat ("a", 300);

  assert_open_refused (fixture, "missing.html", YUN_WEB_FILES_MODE_CONTENTS,
                       YUN_WEB_FILES_ERROR_NOT_FOUND);
  assert_open_refused (fixture, "missing/index.html", YUN_WEB_FILES_MODE_CONTENTS,
                       YUN_WEB_FILES_ERROR_NOT_FOUND);
  assert_open_refused (fixture, "missing", YUN_WEB_FILES_MODE_DIRECTORY,
                       YUN_WEB_FILES_ERROR_NOT_FOUND);
  /* A file where a folder should be. */
  assert_open_refused (fixture, "index.html/x", YUN_WEB_FILES_MODE_CONTENTS,
                       YUN_WEB_FILES_ERROR_NOT_FOUND);
  /* A name too long for the file system: lstat () fails with
   * ENAMETOOLONG, which is still only "not found". */
  assert_open_refused (fixture, long_name, YUN_WEB_FILES_MODE_CONTENTS,
                       YUN_WEB_FILES_ERROR_NOT_FOUND);
}

static void
test_open_not_regular (Fixture       *fixture,
                       gconstpointer  user_data)
{
  /* Opening a FIFO for reading would block until a writer comes; it must
   * be refused before it is opened. */
  assert_open_refused (fixture, "fifo", YUN_WEB_FILES_MODE_CONTENTS,
                       YUN_WEB_FILES_ERROR_NOT_FOUND);
  assert_open_refused (fixture, "fifo", YUN_WEB_FILES_MODE_STREAM,
                       YUN_WEB_FILES_ERROR_NOT_FOUND);
  assert_open_refused (fixture, "fifo", YUN_WEB_FILES_MODE_INFO,
                       YUN_WEB_FILES_ERROR_NOT_FOUND);
}

static void
test_open_symlink_last (Fixture       *fixture,
                        gconstpointer  user_data)
{
  const YunWebFilesMode modes[] = {
    YUN_WEB_FILES_MODE_INFO, YUN_WEB_FILES_MODE_CONTENTS, YUN_WEB_FILES_MODE_STREAM,
  };
  g_auto(OpenData) control = { 0 };

  /* The link's target is served under its own name... */
  open_path (fixture, "index.html", YUN_WEB_FILES_MODE_CONTENTS, 0, G_MAXINT64, NULL, &control);
  g_assert_no_error (control.error);

  /* ...but not through a link, whether it leads in or out. */
  for (size_t i = 0; i < G_N_ELEMENTS (modes); i++) {
    assert_open_refused (fixture, "link-in.html", modes[i], YUN_WEB_FILES_ERROR_NOT_FOUND);
    assert_open_refused (fixture, "link-out.txt", modes[i], YUN_WEB_FILES_ERROR_NOT_FOUND);
  }

  /* A link to a folder is not a folder. */
  assert_open_refused (fixture, "link-dir-in", YUN_WEB_FILES_MODE_DIRECTORY,
                       YUN_WEB_FILES_ERROR_NOT_FOUND);
  assert_open_refused (fixture, "link-dir-out", YUN_WEB_FILES_MODE_DIRECTORY,
                       YUN_WEB_FILES_ERROR_NOT_FOUND);
}

static void
test_open_symlink_middle (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_auto(OpenData) control = { 0 };

  open_path (fixture, "sub/dir/file.css", YUN_WEB_FILES_MODE_CONTENTS, 0, G_MAXINT64, NULL,
             &control);
  g_assert_no_error (control.error);

  assert_open_refused (fixture, "link-dir-in/dir/file.css", YUN_WEB_FILES_MODE_CONTENTS,
                       YUN_WEB_FILES_ERROR_NOT_FOUND);
  assert_open_refused (fixture, "link-dir-in/dir", YUN_WEB_FILES_MODE_DIRECTORY,
                       YUN_WEB_FILES_ERROR_NOT_FOUND);
  assert_open_refused (fixture, "link-dir-out/secret.txt", YUN_WEB_FILES_MODE_CONTENTS,
                       YUN_WEB_FILES_ERROR_NOT_FOUND);
  assert_open_refused (fixture, "link-dir-out/root/index.html", YUN_WEB_FILES_MODE_STREAM,
                       YUN_WEB_FILES_ERROR_NOT_FOUND);
}

static void
test_open_root_link (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autofree char *link = g_build_filename (fixture->tmp_dir, "root-link", NULL);
  g_autofree char *read = NULL;
  const char * const components[] = { "digits.txt", NULL };
  g_auto(OpenData) data = { 0 };

  /* The root is the caller's, and trusted: it may be a link, say to where
   * a distribution installs the apps. */
  g_assert_cmpint (symlink (fixture->root, link), ==, 0);
  yun_web_files_open_async (link, components, YUN_WEB_FILES_MODE_STREAM, 0, G_MAXINT64, NULL,
                            on_open_ready, &data);
  wait_until (&data.done);

  g_assert_no_error (data.error);
  read = read_stream (data.stream);
  g_assert_cmpstr (read, ==, DIGITS);
  g_assert_cmpint (g_unlink (link), ==, 0);
}

static void
test_open_size_cap (Fixture       *fixture,
                    gconstpointer  user_data)
{
  const YunWebFilesMode modes[] = {
    YUN_WEB_FILES_MODE_INFO, YUN_WEB_FILES_MODE_CONTENTS, YUN_WEB_FILES_MODE_STREAM,
  };
  goffset size = strlen (DIGITS);

  for (size_t i = 0; i < G_N_ELEMENTS (modes); i++) {
    g_auto(OpenData) at_cap = { 0 };
    g_auto(OpenData) over_cap = { 0 };

    g_test_message ("mode %d", modes[i]);
    open_path (fixture, "digits.txt", modes[i], 0, size, NULL, &at_cap);
    g_assert_no_error (at_cap.error);
    g_assert_cmpint (at_cap.size, ==, size);

    open_path (fixture, "digits.txt", modes[i], 0, size - 1, NULL, &over_cap);
    g_assert_error (over_cap.error, YUN_WEB_FILES_ERROR, YUN_WEB_FILES_ERROR_TOO_LARGE);
    g_assert_null (over_cap.contents);
    g_assert_null (over_cap.stream);
  }

  /* A folder has no size to cap. */
  {
    g_auto(OpenData) folder = { 0 };

    open_path (fixture, "sub", YUN_WEB_FILES_MODE_DIRECTORY, 0, 0, NULL, &folder);
    g_assert_no_error (folder.error);
  }
}

static void
test_open_cancelled (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_auto(OpenData) data = { 0 };

  g_cancellable_cancel (cancellable);
  open_path (fixture, "index.html", YUN_WEB_FILES_MODE_CONTENTS, 0, G_MAXINT64, cancellable,
             &data);

  g_assert_error (data.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (data.contents);
}

/* Splitting then opening, as a server does: nothing a raw path can say
 * reaches the secret beside the root. */
static void
test_split_then_open (Fixture       *fixture,
                      gconstpointer  user_data)
{
  const char *raws[] = {
    "%2e%2e/secret.txt", "..%2fsecret.txt", "%2e%2e%2fsecret.txt", "%2e%2e%5csecret.txt",
    "link-out.txt", "link-dir-out/secret.txt", "link-dir-out%2fsecret.txt",
    "%c0%ae%c0%ae/secret.txt", "sub/..%2f..%2fsecret.txt",
  };

  for (size_t i = 0; i < G_N_ELEMENTS (raws); i++) {
    g_auto(GStrv) components = NULL;
    g_auto(OpenData) data = { 0 };
    g_autoptr(GError) error = NULL;

    g_test_message ("raw %s", raws[i]);
    if (!yun_web_files_split_path (raws[i], &components, &error)) {
      g_assert_true (error->domain == YUN_WEB_FILES_ERROR);
      continue;
    }

    yun_web_files_open_async (fixture->root, (const char * const *) components,
                              YUN_WEB_FILES_MODE_CONTENTS, 0, G_MAXINT64, NULL,
                              on_open_ready, &data);
    wait_until (&data.done);
    g_assert_error (data.error, YUN_WEB_FILES_ERROR, YUN_WEB_FILES_ERROR_NOT_FOUND);
  }
}

static void
add_fixture_test (const char *name,
                  void (*test) (Fixture *, gconstpointer))
{
  g_autofree char *path = g_strconcat ("/yun/services/web-files/", name, NULL);

  g_test_add (path, Fixture, NULL, fixture_setup, test, fixture_teardown);
}

static void
add_test (const char *name,
          GTestFunc   test)
{
  g_autofree char *path = g_strconcat ("/yun/services/web-files/", name, NULL);

  g_test_add_func (path, test);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  add_test ("split-plain", test_split_plain);
  add_test ("split-index", test_split_index);
  add_test ("split-decoded", test_split_decoded);
  add_test ("split-dot-dot", test_split_dot_dot);
  add_test ("split-hidden", test_split_hidden);
  add_test ("split-encoded-slash", test_split_encoded_slash);
  add_test ("split-backslash", test_split_backslash);
  add_test ("split-nul", test_split_nul);
  add_test ("split-empty-segment", test_split_empty_segment);
  add_test ("split-bad-escape", test_split_bad_escape);
  add_test ("split-invalid-utf8", test_split_invalid_utf8);
  add_test ("split-long-segment", test_split_long_segment);
  add_test ("split-depth", test_split_depth);
  add_test ("split-first-error-wins", test_split_first_error_wins);
  add_test ("app-id", test_app_id);
  add_test ("content-type", test_content_type);
  add_test ("range", test_range);
  add_fixture_test ("open-contents", test_open_contents);
  add_fixture_test ("open-info", test_open_info);
  add_fixture_test ("open-stream-offset", test_open_stream_offset);
  add_fixture_test ("open-stream-seek", test_open_stream_seek);
  add_fixture_test ("open-directory", test_open_directory);
  add_fixture_test ("open-missing", test_open_missing);
  add_fixture_test ("open-not-regular", test_open_not_regular);
  add_fixture_test ("open-symlink-last", test_open_symlink_last);
  add_fixture_test ("open-symlink-middle", test_open_symlink_middle);
  add_fixture_test ("open-root-link", test_open_root_link);
  add_fixture_test ("open-size-cap", test_open_size_cap);
  add_fixture_test ("open-cancelled", test_open_cancelled);
  add_fixture_test ("split-then-open", test_split_then_open);

  return g_test_run ();
}
