/* test-package.c: validating, extracting and packing packaged apps.
 *
 * The hostile zips are built here, byte by byte, by a small writer that can
 * lie: names no archiver would write, symbolic links, duplicate entries,
 * sizes and CRCs that do not match the data, local headers that disagree
 * with the central directory.  Every refusal also checks that nothing was
 * written beside the destination.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "yun-package.h"

#define MANIFEST_URL "app://test/manifest.json"
#define MANIFEST "{\"name\": \"Test\", \"start_url\": \"index.html\"}"

/* How one entry is written; all zero is a deflated regular file whose
 * headers tell the truth. */
typedef struct
{
  gboolean stored;
  gboolean encrypted;
  guint16 method;            /* overrides stored/deflate when not 0 */
  guint32 mode;              /* Unix mode; 0 means a 0644 file or 0755 folder */
  gboolean lie_size;
  guint32 declared_size;     /* with lie_size */
  gboolean lie_crc;
  const char *local_name;    /* a different name in the local header */
} EntryOptions;

typedef struct
{
  GByteArray *zip;
  GByteArray *central;
  guint n_entries;
} ZipWriter;

static void
put16 (GByteArray *out,
       guint       value)
{
  guint8 bytes[2] = { value & 0xff, (value >> 8) & 0xff };

  g_byte_array_append (out, bytes, 2);
}

static void
put32 (GByteArray *out,
       guint32     value)
{
  guint8 bytes[4] = { value & 0xff, (value >> 8) & 0xff, (value >> 16) & 0xff, value >> 24 };

  g_byte_array_append (out, bytes, 4);
}

static guint32
crc32 (const guint8 *data,
       gsize         length)
{
  guint32 crc = 0xffffffff;

  for (gsize i = 0; i < length; i++) {
    crc ^= data[i];
    for (int k = 0; k < 8; k++)
      crc = crc & 1 ? 0xedb88320 ^ (crc >> 1) : crc >> 1;
  }
  return ~crc;
}

static GBytes *
deflate (const guint8 *data,
         gsize         length)
{
  g_autoptr(GConverter) converter = NULL;
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autofree guint8 *buffer = g_malloc (65536);
  gsize consumed = 0;

  converter = G_CONVERTER (g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_RAW, 9));
  for (;;) {
    gsize bytes_read, bytes_written;
    GConverterResult result;

    result = g_converter_convert (converter, data + consumed, length - consumed, buffer, 65536,
                                  G_CONVERTER_INPUT_AT_END, &bytes_read, &bytes_written, NULL);
    g_assert_cmpint (result, !=, G_CONVERTER_ERROR);
    consumed += bytes_read;
    g_byte_array_append (out, buffer, bytes_written);
    if (result == G_CONVERTER_FINISHED)
      break;
  }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

static ZipWriter *
zip_writer_new (void)
{
  ZipWriter *writer = g_new0 (ZipWriter, 1);

  writer->zip = g_byte_array_new ();
  writer->central = g_byte_array_new ();
  return writer;
}

static void
zip_add_full (ZipWriter          *writer,
              const char         *name,
              gsize               name_length,
              const void         *data,
              gsize               length,
              const EntryOptions *options)
{
  static const EntryOptions defaults = { 0 };
  g_autoptr(GBytes) deflated = NULL;
  const guint8 *payload = data;
  gsize payload_length = length;
  guint16 method = 8;
  guint16 flags = 1 << 11;
  guint32 crc = crc32 (data, length);
  guint32 size = length;
  guint32 offset = writer->zip->len;
  guint32 mode;
  const char *local_name;
  gsize local_name_length;

  if (options == NULL)
    options = &defaults;

  if (options->stored) {
    method = 0;
  } else {
    deflated = deflate (data, length);
    payload = g_bytes_get_data (deflated, &payload_length);
  }
  if (options->method != 0)
    method = options->method;
  if (options->encrypted)
    flags |= 1;
  if (options->lie_size)
    size = options->declared_size;
  if (options->lie_crc)
    crc ^= 0x5a5a5a5a;
  mode = options->mode != 0 ? options->mode
                            : name_length > 0 && name[name_length - 1] == '/' ? 040755
                                                                                : 0100644;
  local_name = options->local_name != NULL ? options->local_name : name;
  local_name_length = options->local_name != NULL ? strlen (local_name) : name_length;

  put32 (writer->zip, 0x04034b50);
  put16 (writer->zip, 20);
  put16 (writer->zip, flags);
  put16 (writer->zip, method);
  put16 (writer->zip, 0);
  put16 (writer->zip, 0x21);
  put32 (writer->zip, crc);
  put32 (writer->zip, payload_length);
  put32 (writer->zip, size);
  put16 (writer->zip, local_name_length);
  put16 (writer->zip, 0);
  g_byte_array_append (writer->zip, (const guint8 *) local_name, local_name_length);
  g_byte_array_append (writer->zip, payload, payload_length);

  put32 (writer->central, 0x02014b50);
  put16 (writer->central, (3 << 8) | 20);
  put16 (writer->central, 20);
  put16 (writer->central, flags);
  put16 (writer->central, method);
  put16 (writer->central, 0);
  put16 (writer->central, 0x21);
  put32 (writer->central, crc);
  put32 (writer->central, payload_length);
  put32 (writer->central, size);
  put16 (writer->central, name_length);
  put16 (writer->central, 0);
  put16 (writer->central, 0);
  put16 (writer->central, 0);
  put16 (writer->central, 0);
  put32 (writer->central, mode << 16);
  put32 (writer->central, offset);
  g_byte_array_append (writer->central, (const guint8 *) name, name_length);

  writer->n_entries++;
}

static void
zip_add (ZipWriter  *writer,
         const char *name,
         const char *text)
{
  zip_add_full (writer, name, strlen (name), text, strlen (text), NULL);
}

static void
zip_add_with (ZipWriter          *writer,
              const char         *name,
              const char         *text,
              const EntryOptions *options)
{
  zip_add_full (writer, name, strlen (name), text, strlen (text), options);
}

/* Appends the central directory and the end record; frees @writer. */
static GBytes *
zip_finish (ZipWriter *writer)
{
  guint32 directory_offset = writer->zip->len;
  GByteArray *zip = writer->zip;

  g_byte_array_append (zip, writer->central->data, writer->central->len);
  put32 (zip, 0x06054b50);
  put16 (zip, 0);
  put16 (zip, 0);
  put16 (zip, writer->n_entries);
  put16 (zip, writer->n_entries);
  put32 (zip, writer->central->len);
  put32 (zip, directory_offset);
  put16 (zip, 0);

  g_byte_array_unref (writer->central);
  g_free (writer);
  return g_byte_array_free_to_bytes (zip);
}

/* A package with a manifest, the files named in @names (each holding its
 * own name) and nothing else. */
static GBytes *
simple_package (const char * const *names)
{
  ZipWriter *writer = zip_writer_new ();

  zip_add (writer, "manifest.json", MANIFEST);
  for (int i = 0; names != NULL && names[i] != NULL; i++)
    zip_add (writer, names[i], names[i]);
  return zip_finish (writer);
}

typedef struct
{
  char *parent;
  char *destination;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->parent = g_dir_make_tmp ("test-package-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->destination = g_build_filename (fixture->parent, "app", NULL);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL) {
    g_autofree char *child = g_build_filename (path, name, NULL);

    if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
      remove_tree (child);
    else
      g_unlink (child);
  }
  g_rmdir (path);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  remove_tree (fixture->parent);
  g_free (fixture->parent);
  g_free (fixture->destination);
}

static guint
count_children (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

/* Validation must refuse @zip with @code and @needle in the message, and
 * nothing may appear beside the destination. */
static void
assert_refused (Fixture    *fixture,
                GBytes     *zip,
                int         code,
                const char *needle)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(YunPackage) package = NULL;

  package = yun_package_new_from_bytes (zip, MANIFEST_URL, NULL, &error);
  g_assert_null (package);
  g_assert_error (error, YUN_PACKAGE_ERROR, code);
  if (strstr (error->message, needle) == NULL)
    g_error ("message \"%s\" does not mention \"%s\"", error->message, needle);

  g_assert_false (g_file_test (fixture->destination, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_children (fixture->parent), ==, 0);
}

static void
assert_file (const char *folder,
             const char *name,
             const char *contents)
{
  g_autofree char *path = g_build_filename (folder, name, NULL);
  g_autofree char *actual = NULL;
  g_autoptr(GError) error = NULL;
  GStatBuf info;

  g_file_get_contents (path, &actual, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (actual, ==, contents);
  g_assert_cmpint (g_lstat (path, &info), ==, 0);
  g_assert_cmpint (info.st_mode & 07777, ==, 0644);
}

static void
test_valid_package_extracts (Fixture       *fixture,
                             gconstpointer  data)
{
  ZipWriter *writer = zip_writer_new ();
  static const EntryOptions stored = { .stored = TRUE };
  static const EntryOptions executable = { .mode = 0100755 };
  g_autoptr(GBytes) zip = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(YunPackage) package = NULL;
  const char * const *paths;
  GStatBuf info;

  zip_add (writer, "manifest.json", MANIFEST);
  zip_add_full (writer, "css/", 4, "", 0, &stored);
  zip_add_with (writer, "css/style.css", "body { color: red }", &stored);
  zip_add_with (writer, "index.html", "<!doctype html><p>Hello</p>", &executable);
  zip_add (writer, "js/deep/app.js", "console.log ('hi')");
  zip_add (writer, "images/caf\xc3\xa9.txt", "utf-8 names are fine");
  zip = zip_finish (writer);

  package = yun_package_new_from_bytes (zip, MANIFEST_URL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (yun_manifest_get_start_url (yun_package_get_manifest (package)), ==,
                   "app://test/index.html");
  paths = yun_package_get_paths (package);
  g_assert_cmpuint (g_strv_length ((char **) paths), ==, 5);
  g_assert_cmpstr (paths[0], ==, "manifest.json");
  g_assert_cmpuint (yun_package_get_size (package), ==,
                    strlen (MANIFEST) + 19 + 27 + 18 + 20);

  g_assert_true (yun_package_extract (package, fixture->destination, NULL, &error));
  g_assert_no_error (error);
  assert_file (fixture->destination, "manifest.json", MANIFEST);
  assert_file (fixture->destination, "css/style.css", "body { color: red }");
  /* Modes come from us, not from the zip: nothing is executable. */
  assert_file (fixture->destination, "index.html", "<!doctype html><p>Hello</p>");
  assert_file (fixture->destination, "js/deep/app.js", "console.log ('hi')");
  assert_file (fixture->destination, "images/caf\xc3\xa9.txt", "utf-8 names are fine");
  g_assert_cmpint (g_stat (fixture->destination, &info), ==, 0);
  g_assert_cmpint (info.st_mode & 07777, ==, 0755);

  /* Only the app's folder is there: the temporary one was renamed. */
  g_assert_cmpuint (count_children (fixture->parent), ==, 1);

  g_assert_finalize_object (g_steal_pointer (&package));
}

static void
test_existing_destination_is_kept (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autoptr(GBytes) zip = simple_package (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(YunPackage) package = NULL;
  g_autofree char *marker = g_build_filename (fixture->destination, "old", NULL);

  package = yun_package_new_from_bytes (zip, MANIFEST_URL, NULL, &error);
  g_assert_no_error (error);

  g_assert_cmpint (g_mkdir (fixture->destination, 0755), ==, 0);
  g_assert_true (g_file_set_contents (marker, "old", -1, NULL));

  g_assert_false (yun_package_extract (package, fixture->destination, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  assert_file (fixture->destination, "old", "old");
  g_assert_cmpuint (count_children (fixture->destination), ==, 1);
  g_assert_cmpuint (count_children (fixture->parent), ==, 1);
}

static void
test_failed_extraction_leaves_nothing (Fixture       *fixture,
                                       gconstpointer  data)
{
  const char * const names[] = { "a.txt", "b/c.txt", NULL };
  g_autoptr(GBytes) zip = simple_package (names);
  g_autoptr(GError) error = NULL;
  g_autoptr(YunPackage) package = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *missing = g_build_filename (fixture->parent, "no", "such", "app", NULL);

  package = yun_package_new_from_bytes (zip, MANIFEST_URL, NULL, &error);
  g_assert_no_error (error);

  /* Cancelled halfway: the files written so far go with the temporary
   * folder. */
  g_cancellable_cancel (cancellable);
  g_assert_false (yun_package_extract (package, fixture->destination, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpuint (count_children (fixture->parent), ==, 0);

  g_assert_false (yun_package_extract (package, missing, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_cmpuint (count_children (fixture->parent), ==, 0);
}

static void
on_extract_ready (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GError **error = user_data;

  yun_package_extract_finish (YUN_PACKAGE (source), result, error);
  if (*error == NULL)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "no error: success");
}

static void
test_extract_async (Fixture       *fixture,
                    gconstpointer  data)
{
  const char * const names[] = { "index.html", NULL };
  g_autoptr(GBytes) zip = simple_package (names);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) result = NULL;
  g_autoptr(YunPackage) package = NULL;

  package = yun_package_new_from_bytes (zip, MANIFEST_URL, NULL, &error);
  g_assert_no_error (error);

  yun_package_extract_async (package, fixture->destination, NULL, on_extract_ready, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (result, G_IO_ERROR, G_IO_ERROR_FAILED);
  assert_file (fixture->destination, "index.html", "index.html");
}

static void
test_zip_slip (Fixture       *fixture,
               gconstpointer  data)
{
  const char * const dot_dot[] = { "../evil.txt", NULL };
  const char * const inner[] = { "a/../../evil.txt", NULL };
  const char * const dot[] = { "a/./b.txt", NULL };
  const char * const empty_segment[] = { "a//b.txt", NULL };
  g_autoptr(GBytes) zip1 = simple_package (dot_dot);
  g_autoptr(GBytes) zip2 = simple_package (inner);
  g_autoptr(GBytes) zip3 = simple_package (dot);
  g_autoptr(GBytes) zip4 = simple_package (empty_segment);

  assert_refused (fixture, zip1, YUN_PACKAGE_ERROR_BAD_NAME, "\"..\" segment");
  assert_refused (fixture, zip2, YUN_PACKAGE_ERROR_BAD_NAME, "\"..\" segment");
  assert_refused (fixture, zip3, YUN_PACKAGE_ERROR_BAD_NAME, "\".\" segment");
  assert_refused (fixture, zip4, YUN_PACKAGE_ERROR_BAD_NAME, "empty");
}

static void
test_absolute_path (Fixture       *fixture,
                    gconstpointer  data)
{
  const char * const names[] = { "/tmp/evil.txt", NULL };
  g_autoptr(GBytes) zip = simple_package (names);

  assert_refused (fixture, zip, YUN_PACKAGE_ERROR_BAD_NAME, "absolute path");
}

static void
test_backslash (Fixture       *fixture,
                gconstpointer  data)
{
  const char * const names[] = { "..\\evil.txt", NULL };
  const char * const inside[] = { "a\\b.txt", NULL };
  g_autoptr(GBytes) zip = simple_package (names);
  g_autoptr(GBytes) zip2 = simple_package (inside);

  assert_refused (fixture, zip, YUN_PACKAGE_ERROR_BAD_NAME, "backslash");
  assert_refused (fixture, zip2, YUN_PACKAGE_ERROR_BAD_NAME, "backslash");
}

static void
test_symlink (Fixture       *fixture,
              gconstpointer  data)
{
  ZipWriter *writer = zip_writer_new ();
  static const EntryOptions link = { .stored = TRUE, .mode = 0120777 };
  g_autoptr(GBytes) zip = NULL;

  zip_add (writer, "manifest.json", MANIFEST);
  zip_add_with (writer, "passwd", "/etc/passwd", &link);
  zip = zip_finish (writer);

  assert_refused (fixture, zip, YUN_PACKAGE_ERROR_NOT_REGULAR, "symbolic link");
}

static void
test_special_files (Fixture       *fixture,
                    gconstpointer  data)
{
  const guint32 modes[] = { 0010644 /* fifo */, 0020644 /* char */, 0060644 /* block */,
                            0140644 /* socket */ };

  for (gsize i = 0; i < G_N_ELEMENTS (modes); i++) {
    ZipWriter *writer = zip_writer_new ();
    EntryOptions options = { .stored = TRUE, .mode = modes[i] };
    g_autoptr(GBytes) zip = NULL;

    zip_add (writer, "manifest.json", MANIFEST);
    zip_add_full (writer, "dev", 3, "", 0, &options);
    zip = zip_finish (writer);
    assert_refused (fixture, zip, YUN_PACKAGE_ERROR_NOT_REGULAR, "entry \"dev\"");
  }
}

static void
test_duplicates (Fixture       *fixture,
                 gconstpointer  data)
{
  const char * const same[] = { "a.txt", "a.txt", NULL };
  const char * const twice_manifest[] = { "manifest.json", NULL };
  const char * const case_only[] = { "Index.html", "index.html", NULL };
  /* "é" composed, then as "e" and a combining acute accent. */
  const char * const normalization[] = { "caf\xc3\xa9.txt", "cafe\xcc\x81.txt", NULL };
  const char * const file_and_folder[] = { "a", "a/b.txt", NULL };
  const char * const folder_twice[] = { "a/", "A/", NULL };
  g_autoptr(GBytes) zip1 = simple_package (same);
  g_autoptr(GBytes) zip2 = simple_package (twice_manifest);
  g_autoptr(GBytes) zip3 = simple_package (case_only);
  g_autoptr(GBytes) zip4 = simple_package (normalization);
  g_autoptr(GBytes) zip5 = simple_package (file_and_folder);
  ZipWriter *writer = zip_writer_new ();
  static const EntryOptions stored = { .stored = TRUE };
  g_autoptr(GBytes) zip6 = NULL;

  zip_add (writer, "manifest.json", MANIFEST);
  for (int i = 0; folder_twice[i] != NULL; i++)
    zip_add_full (writer, folder_twice[i], 2, "", 0, &stored);
  zip6 = zip_finish (writer);

  assert_refused (fixture, zip1, YUN_PACKAGE_ERROR_DUPLICATE, "already has \"a.txt\"");
  assert_refused (fixture, zip2, YUN_PACKAGE_ERROR_DUPLICATE, "already has \"manifest.json\"");
  assert_refused (fixture, zip3, YUN_PACKAGE_ERROR_DUPLICATE, "already has \"Index.html\"");
  assert_refused (fixture, zip4, YUN_PACKAGE_ERROR_DUPLICATE, "already has");
  assert_refused (fixture, zip5, YUN_PACKAGE_ERROR_DUPLICATE, "both as a file and as a folder");
  assert_refused (fixture, zip6, YUN_PACKAGE_ERROR_DUPLICATE, "already has \"a/\"");
}

static void
test_bad_name_bytes (Fixture       *fixture,
                     gconstpointer  data)
{
  const char * const not_utf8[] = { "caf\xe9.txt", NULL };
  const char * const control[] = { "a\nb.txt", NULL };
  ZipWriter *writer = zip_writer_new ();
  g_autoptr(GBytes) nul = NULL;
  g_autoptr(GBytes) zip1 = simple_package (not_utf8);
  g_autoptr(GBytes) zip2 = simple_package (control);

  zip_add (writer, "manifest.json", MANIFEST);
  zip_add_full (writer, "a.txt\0.sh", 9, "x", 1, NULL);
  nul = zip_finish (writer);

  assert_refused (fixture, nul, YUN_PACKAGE_ERROR_BAD_NAME, "NUL");
  assert_refused (fixture, zip1, YUN_PACKAGE_ERROR_BAD_NAME, "not UTF-8");
  assert_refused (fixture, zip2, YUN_PACKAGE_ERROR_BAD_NAME, "control character");
}

static void
test_long_names (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *segment = g_strnfill (256, 's');
  g_autofree char *longest_segment = g_strnfill (255, 's');
  g_autoptr(GString) total = g_string_new (NULL);
  g_autoptr(GBytes) zip1 = NULL;
  g_autoptr(GBytes) zip2 = NULL;
  g_autoptr(GBytes) zip3 = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(YunPackage) package = NULL;

  {
    const char * const names[] = { segment, NULL };
    zip1 = simple_package (names);
  }
  while (total->len < 1025)
    g_string_append (total, "abcdefghi/");
  {
    const char * const names[] = { total->str, NULL };
    zip2 = simple_package (names);
  }
  {
    const char * const names[] = { longest_segment, NULL };
    zip3 = simple_package (names);
  }

  assert_refused (fixture, zip1, YUN_PACKAGE_ERROR_BAD_NAME, "256 bytes long");
  assert_refused (fixture, zip2, YUN_PACKAGE_ERROR_BAD_NAME, "at most 1024");

  /* 255 is allowed. */
  package = yun_package_new_from_bytes (zip3, MANIFEST_URL, NULL, &error);
  g_assert_no_error (error);
}

static void
test_manifest_required (Fixture       *fixture,
                        gconstpointer  data)
{
  ZipWriter *writer = zip_writer_new ();
  ZipWriter *nested = zip_writer_new ();
  ZipWriter *folder = zip_writer_new ();
  static const EntryOptions stored = { .stored = TRUE };
  g_autoptr(GBytes) none = NULL;
  g_autoptr(GBytes) in_folder = NULL;
  g_autoptr(GBytes) as_folder = NULL;

  zip_add (writer, "index.html", "hi");
  none = zip_finish (writer);
  zip_add (nested, "app/manifest.json", MANIFEST);
  in_folder = zip_finish (nested);
  zip_add_full (folder, "manifest.json/", 14, "", 0, &stored);
  as_folder = zip_finish (folder);

  assert_refused (fixture, none, YUN_PACKAGE_ERROR_NO_MANIFEST, "no manifest.json");
  assert_refused (fixture, in_folder, YUN_PACKAGE_ERROR_NO_MANIFEST, "no manifest.json");
  assert_refused (fixture, as_folder, YUN_PACKAGE_ERROR_NO_MANIFEST, "no manifest.json");
}

static void
test_invalid_manifest (Fixture       *fixture,
                       gconstpointer  data)
{
  ZipWriter *writer = zip_writer_new ();
  ZipWriter *cross = zip_writer_new ();
  g_autoptr(GBytes) zip = NULL;
  g_autoptr(GBytes) zip2 = NULL;

  zip_add (writer, "manifest.json",
           "{\"name\": \"A\", \"yun\": {\"permissions\": {\"contacts\": "
           "{\"access\": \"write\", \"reason\": \"x\"}}}}");
  zip = zip_finish (writer);
  zip_add (cross, "manifest.json", "{\"name\": \"A\", \"start_url\": \"https://evil.example/\"}");
  zip2 = zip_finish (cross);

  assert_refused (fixture, zip, YUN_PACKAGE_ERROR_INVALID_MANIFEST,
                  "manifest.json: yun.permissions.contacts.access: expected \"read\" or "
                  "\"readwrite\", got \"write\"");
  assert_refused (fixture, zip2, YUN_PACKAGE_ERROR_INVALID_MANIFEST,
                  "manifest.json: start_url:");
}

static void
test_too_large (Fixture       *fixture,
                gconstpointer  data)
{
  ZipWriter *writer = zip_writer_new ();
  static const EntryOptions stored = { .stored = TRUE };
  g_autofree guint8 *megabyte = g_malloc (1024 * 1024);
  g_autoptr(GBytes) zip = NULL;

  /* Stored, so every size is honest and the ratio is 1. */
  for (gsize i = 0; i < 1024 * 1024; i++)
    megabyte[i] = g_random_int () & 0xff;
  zip_add (writer, "manifest.json", MANIFEST);
  for (int i = 0; i < 51; i++) {
    g_autofree char *name = g_strdup_printf ("blob-%02d", i);

    zip_add_full (writer, name, strlen (name), megabyte, 1024 * 1024, &stored);
  }
  zip = zip_finish (writer);

  assert_refused (fixture, zip, YUN_PACKAGE_ERROR_TOO_LARGE, "inflates to more than");
}

static void
test_too_many_entries (Fixture       *fixture,
                       gconstpointer  data)
{
  ZipWriter *writer = zip_writer_new ();
  ZipWriter *most = zip_writer_new ();
  static const EntryOptions stored = { .stored = TRUE };
  g_autoptr(GBytes) zip = NULL;
  g_autoptr(GBytes) allowed = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(YunPackage) package = NULL;

  zip_add (writer, "manifest.json", MANIFEST);
  zip_add (most, "manifest.json", MANIFEST);
  for (int i = 0; i < YUN_PACKAGE_MAX_ENTRIES; i++) {
    g_autofree char *name = g_strdup_printf ("f%05d", i);

    zip_add_full (writer, name, strlen (name), "", 0, &stored);
    if (i < YUN_PACKAGE_MAX_ENTRIES - 1)
      zip_add_full (most, name, strlen (name), "", 0, &stored);
  }
  zip = zip_finish (writer);
  allowed = zip_finish (most);

  assert_refused (fixture, zip, YUN_PACKAGE_ERROR_TOO_LARGE, "10001 entries");
  package = yun_package_new_from_bytes (allowed, MANIFEST_URL, NULL, &error);
  g_assert_no_error (error);
}

static void
test_zip_bomb (Fixture       *fixture,
               gconstpointer  data)
{
  ZipWriter *honest = zip_writer_new ();
  ZipWriter *liar = zip_writer_new ();
  g_autofree guint8 *zeros = g_malloc0 (4 * 1024 * 1024);
  g_autoptr(GBytes) zip1 = NULL;
  g_autoptr(GBytes) zip2 = NULL;
  g_autoptr(GBytes) compressed = deflate (zeros, 4 * 1024 * 1024);
  /* Claims a ratio of 1, then inflates to 4 MiB. */
  EntryOptions lying = { .lie_size = TRUE,
                         .declared_size = g_bytes_get_size (compressed) };

  zip_add (honest, "manifest.json", MANIFEST);
  zip_add_full (honest, "zeros", 5, zeros, 4 * 1024 * 1024, NULL);
  zip1 = zip_finish (honest);
  zip_add (liar, "manifest.json", MANIFEST);
  zip_add_full (liar, "zeros", 5, zeros, 4 * 1024 * 1024, &lying);
  zip2 = zip_finish (liar);

  assert_refused (fixture, zip1, YUN_PACKAGE_ERROR_TOO_COMPRESSED, "more than 100 times");
  assert_refused (fixture, zip2, YUN_PACKAGE_ERROR_CORRUPT, "inflates to more than");
}

static void
test_lying_sizes (Fixture       *fixture,
                  gconstpointer  data)
{
  const char *text = "Some text that compresses a little, a little, a little.";
  EntryOptions smaller = { .lie_size = TRUE, .declared_size = 10 };
  EntryOptions larger = { .lie_size = TRUE, .declared_size = 60 };
  EntryOptions stored_larger = { .stored = TRUE, .lie_size = TRUE, .declared_size = 60 };
  EntryOptions crc = { .lie_crc = TRUE };
  GBytes *zips[4];
  const char *needles[] = { "inflates to more than the 10 bytes", "not the 60",
                            "two sizes differ", "CRC-32" };
  EntryOptions *options[] = { &smaller, &larger, &stored_larger, &crc };

  for (int i = 0; i < 4; i++) {
    ZipWriter *writer = zip_writer_new ();

    zip_add (writer, "manifest.json", MANIFEST);
    zip_add_with (writer, "text.txt", text, options[i]);
    zips[i] = zip_finish (writer);
    assert_refused (fixture, zips[i], YUN_PACKAGE_ERROR_CORRUPT, needles[i]);
    g_bytes_unref (zips[i]);
  }
}

static void
test_headers_disagree (Fixture       *fixture,
                       gconstpointer  data)
{
  ZipWriter *writer = zip_writer_new ();
  static const EntryOptions other_name = { .local_name = "../../evil.sh" };
  g_autoptr(GBytes) zip = NULL;

  zip_add (writer, "manifest.json", MANIFEST);
  zip_add_with (writer, "index.html", "<p>hi", &other_name);
  zip = zip_finish (writer);

  assert_refused (fixture, zip, YUN_PACKAGE_ERROR_CORRUPT, "disagree");
}

static void
test_unexplained_bytes (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GBytes) good = simple_package (NULL);
  g_autoptr(GByteArray) prefixed = g_byte_array_new ();
  g_autoptr(GBytes) zip = NULL;
  gsize length;
  const guint8 *bytes = g_bytes_get_data (good, &length);

  /* Bytes before the first entry, as self-extracting archives have: the
   * offsets no longer add up. */
  g_byte_array_append (prefixed, (const guint8 *) "MZ garbage", 10);
  g_byte_array_append (prefixed, bytes, length);
  zip = g_byte_array_free_to_bytes (g_steal_pointer (&prefixed));

  assert_refused (fixture, zip, YUN_PACKAGE_ERROR_CORRUPT, "");
}

static void
test_two_end_records (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GBytes) good = simple_package (NULL);
  g_autoptr(GByteArray) twice = g_byte_array_new ();
  g_autoptr(GBytes) zip = NULL;
  gsize length;
  const guint8 *bytes = g_bytes_get_data (good, &length);

  /* The real end record gets a 22-byte comment that is itself an end
   * record: readers that scan from the end and readers that check the
   * comment length would see different archives. */
  g_byte_array_append (twice, bytes, length);
  twice->data[length - 2] = 22;
  g_byte_array_append (twice, bytes + length - 22, 22);
  zip = g_byte_array_free_to_bytes (g_steal_pointer (&twice));

  assert_refused (fixture, zip, YUN_PACKAGE_ERROR_CORRUPT, "two end of central directory");
}

static void
test_unsupported (Fixture       *fixture,
                  gconstpointer  data)
{
  EntryOptions bzip2 = { .stored = TRUE, .method = 12 };
  EntryOptions encrypted = { .encrypted = TRUE };
  EntryOptions *options[] = { &bzip2, &encrypted };
  const char *needles[] = { "compression method 12", "encrypted" };

  for (int i = 0; i < 2; i++) {
    ZipWriter *writer = zip_writer_new ();
    g_autoptr(GBytes) zip = NULL;

    zip_add (writer, "manifest.json", MANIFEST);
    zip_add_with (writer, "index.html", "<p>hi", options[i]);
    zip = zip_finish (writer);
    assert_refused (fixture, zip, YUN_PACKAGE_ERROR_UNSUPPORTED, needles[i]);
  }
}

static void
test_not_a_zip (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GBytes) text = g_bytes_new_static ("hello, this is not a zip file at all", 36);
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr(GBytes) good = simple_package (NULL);
  g_autoptr(GBytes) truncated = g_bytes_new_from_bytes (good, 0, g_bytes_get_size (good) - 5);

  assert_refused (fixture, text, YUN_PACKAGE_ERROR_NOT_ZIP, "not a zip");
  assert_refused (fixture, empty, YUN_PACKAGE_ERROR_NOT_ZIP, "not a zip");
  assert_refused (fixture, truncated, YUN_PACKAGE_ERROR_NOT_ZIP, "not a zip");
}

static void
test_sha256 (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GBytes) zip = simple_package (NULL);
  g_autofree char *sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, zip);
  g_autofree char *upper = g_ascii_strup (sha256, -1);
  g_autoptr(GError) error = NULL;
  g_autoptr(YunPackage) package = NULL;

  package = yun_package_new_from_bytes (zip, MANIFEST_URL, upper, &error);
  g_assert_no_error (error);
  g_clear_object (&package);

  sha256[0] = sha256[0] == '0' ? '1' : '0';
  package = yun_package_new_from_bytes (zip, MANIFEST_URL, sha256, &error);
  g_assert_null (package);
  g_assert_error (error, YUN_PACKAGE_ERROR, YUN_PACKAGE_ERROR_CHECKSUM);
  g_clear_error (&error);

  package = yun_package_new_from_bytes (zip, MANIFEST_URL, "not hex", &error);
  g_assert_error (error, YUN_PACKAGE_ERROR, YUN_PACKAGE_ERROR_CHECKSUM);
  g_assert_cmpuint (count_children (fixture->parent), ==, 0);
}

static void
write_file (const char *folder,
            const char *name,
            const char *contents)
{
  g_autofree char *path = g_build_filename (folder, name, NULL);
  g_autofree char *parent = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (parent, 0755), ==, 0);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

static void
test_pack_round_trip (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *source = g_build_filename (fixture->parent, "source", NULL);
  g_autofree char *big = g_strnfill (5000, 'a');
  g_autoptr(GBytes) first = NULL;
  g_autoptr(GBytes) second = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(YunPackage) package = NULL;
  g_autofree char *touched = NULL;
  const char * const *paths;

  write_file (source, "manifest.json", MANIFEST);
  write_file (source, "index.html", "<!doctype html>");
  write_file (source, "b/z.js", "z");
  write_file (source, "b/a.js", big);
  write_file (source, "a b.txt", "");

  first = yun_package_pack_directory (source, NULL, &error);
  g_assert_no_error (error);

  /* Neither the time nor the order files were made in changes the zip. */
  touched = g_build_filename (source, "index.html", NULL);
  g_assert_cmpint (g_unlink (touched), ==, 0);
  g_usleep (10000);
  write_file (source, "index.html", "<!doctype html>");
  second = yun_package_pack_directory (source, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (first, second));

  package = yun_package_new_from_bytes (first, MANIFEST_URL, NULL, &error);
  g_assert_no_error (error);
  paths = yun_package_get_paths (package);
  g_assert_cmpuint (g_strv_length ((char **) paths), ==, 5);
  g_assert_cmpstr (paths[0], ==, "a b.txt");
  g_assert_cmpstr (paths[1], ==, "b/a.js");
  g_assert_cmpstr (paths[2], ==, "b/z.js");
  g_assert_cmpstr (paths[3], ==, "index.html");
  g_assert_cmpstr (paths[4], ==, "manifest.json");

  g_assert_true (yun_package_extract (package, fixture->destination, NULL, &error));
  g_assert_no_error (error);
  assert_file (fixture->destination, "b/a.js", big);
  assert_file (fixture->destination, "a b.txt", "");
}

static void
test_pack_refuses_symlinks (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *source = g_build_filename (fixture->parent, "source", NULL);
  g_autofree char *link = g_build_filename (source, "passwd", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) zip = NULL;

  write_file (source, "manifest.json", MANIFEST);
  g_assert_cmpint (symlink ("/etc/passwd", link), ==, 0);

  zip = yun_package_pack_directory (source, NULL, &error);
  g_assert_null (zip);
  g_assert_error (error, YUN_PACKAGE_ERROR, YUN_PACKAGE_ERROR_NOT_REGULAR);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/yun/services/package/" path, Fixture, NULL, fixture_set_up, func, \
              fixture_tear_down)

  ADD ("valid-package-extracts", test_valid_package_extracts);
  ADD ("existing-destination-is-kept", test_existing_destination_is_kept);
  ADD ("failed-extraction-leaves-nothing", test_failed_extraction_leaves_nothing);
  ADD ("extract-async", test_extract_async);
  ADD ("zip-slip", test_zip_slip);
  ADD ("absolute-path", test_absolute_path);
  ADD ("backslash", test_backslash);
  ADD ("symlink", test_symlink);
  ADD ("special-files", test_special_files);
  ADD ("duplicates", test_duplicates);
  ADD ("bad-name-bytes", test_bad_name_bytes);
  ADD ("long-names", test_long_names);
  ADD ("manifest-required", test_manifest_required);
  ADD ("invalid-manifest", test_invalid_manifest);
  ADD ("too-large", test_too_large);
  ADD ("too-many-entries", test_too_many_entries);
  ADD ("zip-bomb", test_zip_bomb);
  ADD ("lying-sizes", test_lying_sizes);
  ADD ("headers-disagree", test_headers_disagree);
  ADD ("unexplained-bytes", test_unexplained_bytes);
  ADD ("two-end-records", test_two_end_records);
  ADD ("unsupported", test_unsupported);
  ADD ("not-a-zip", test_not_a_zip);
  ADD ("sha256", test_sha256);
  ADD ("pack-round-trip", test_pack_round_trip);
  ADD ("pack-refuses-symlinks", test_pack_refuses_symlinks);

#undef ADD

  return g_test_run ();
}
