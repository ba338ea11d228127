/* yun-package.c: packaged apps, a zip with manifest.json at its root.
 *
 * A package comes from outside (the store, a developer, a download that
 * may have been tampered with), so nothing in it is trusted.  It is read in
 * two passes: yun_package_new_from_bytes() checks everything — the zip's
 * structure, every name, every entry's real inflated size and CRC, the
 * limits and the manifest — without writing a byte; only a package that
 * passed can be extracted, into a temporary folder beside the destination
 * that is renamed into place when every file is written, and removed on any
 * failure.
 *
 * The zip reader is our own, on GIO's zlib converters, rather than
 * libarchive, because a package is a narrow format and the checks need the
 * raw records:
 *  - the central directory and each local header must agree (name, method,
 *    flags, sizes), and entries must tile the file with no gaps or overlaps,
 *    so there is exactly one way to read a package; readers that trust one
 *    record or the other are what zip-confusion attacks exploit;
 *  - names are checked as the raw bytes in the zip (UTF-8, NUL, length),
 *    not after a locale-dependent charset conversion;
 *  - sizes are what inflating actually produces, counted as it happens, so
 *    a header that lies about them cannot make us write more than the
 *    limits allow;
 *  - only stored and deflate entries, no encryption, no zip64 (a package is
 *    far below 4 GiB), no multi-disk archives: a small attack surface that
 *    fuzz-package covers whole.
 *
 * Duplicate names are also refused when they differ only in case or in
 * Unicode normalisation ("Index.html" and "index.html", "é" composed and
 * decomposed): on a case-insensitive or normalising file system, such as a
 * FAT-formatted card, one would silently overwrite the other, and which one
 * app://<id>/index.html serves would depend on the disk.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* renameat2() and RENAME_NOREPLACE are GNU extensions. */
#define _GNU_SOURCE

#include "config.h"

#include "yun-package.h"

#include <glib/gstdio.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define LOCAL_HEADER_SIGNATURE   0x04034b50
#define CENTRAL_HEADER_SIGNATURE 0x02014b50
#define END_SIGNATURE            0x06054b50
#define ZIP64_LOCATOR_SIGNATURE  0x07064b50
#define DESCRIPTOR_SIGNATURE     0x08074b50

#define LOCAL_HEADER_SIZE   30
#define CENTRAL_HEADER_SIZE 46
#define END_SIZE            22
#define ZIP64_LOCATOR_SIZE  20

#define FLAG_ENCRYPTED        (1 << 0)
#define FLAG_DATA_DESCRIPTOR  (1 << 3)
#define FLAG_STRONG_ENCRYPTION (1 << 6)
#define FLAG_UTF8             (1 << 11)
#define FLAG_MASKED_HEADERS   (1 << 13)

#define METHOD_STORED  0
#define METHOD_DEFLATE 8

#define HOST_UNIX 3
#define HOST_MACOS 19

/* 1980-01-01 00:00, the earliest time a zip can hold: packs do not depend
 * on when the files were touched. */
#define DOS_DATE_1980 ((1 << 5) | 1)

#define CHUNK_SIZE (64 * 1024)

typedef struct
{
  char *name;
  gboolean is_folder;
  guint16 flags;
  guint16 method;
  guint32 crc;
  guint32 compressed_size;
  guint32 size;
  guint32 local_offset;
  gsize data_offset;
  gsize end_offset;
} Entry;

struct _YunPackage
{
  GObject parent_instance;

  GBytes *zip;
  GPtrArray *entries;
  GStrv paths;
  guint64 size;
  YunManifest *manifest;
};

G_DEFINE_FINAL_TYPE (YunPackage, yun_package, G_TYPE_OBJECT)

G_DEFINE_QUARK (yun-package-error-quark, yun_package_error)

/* Receives inflated data as it comes; returns FALSE with @error set to
 * stop. */
typedef gboolean (*SinkFunc) (const guint8  *data,
                              gsize          length,
                              gpointer       user_data,
                              GError       **error);

static void
entry_free (Entry *entry)
{
  g_free (entry->name);
  g_free (entry);
}

static guint16
read16 (const guint8 *p)
{
  return (guint16) (p[0] | (p[1] << 8));
}

static guint32
read32 (const guint8 *p)
{
  return (guint32) p[0] | ((guint32) p[1] << 8) | ((guint32) p[2] << 16) |
         ((guint32) p[3] << 24);
}

static void
append16 (GByteArray *out,
          guint       value)
{
  guint8 bytes[2] = { value & 0xff, (value >> 8) & 0xff };

  g_byte_array_append (out, bytes, sizeof bytes);
}

static void
append32 (GByteArray *out,
          guint32     value)
{
  guint8 bytes[4] = { value & 0xff, (value >> 8) & 0xff, (value >> 16) & 0xff,
                      (value >> 24) & 0xff };

  g_byte_array_append (out, bytes, sizeof bytes);
}

/* CRC-32 as zip uses it (reflected, polynomial 0xedb88320). */
static guint32
crc32_update (guint32       crc,
              const guint8 *data,
              gsize         length)
{
  static guint32 table[256];
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized)) {
    for (guint32 i = 0; i < 256; i++) {
      guint32 c = i;

      for (int k = 0; k < 8; k++)
        c = c & 1 ? 0xedb88320 ^ (c >> 1) : c >> 1;
      table[i] = c;
    }
    g_once_init_leave (&initialized, 1);
  }

  crc = ~crc;
  for (gsize i = 0; i < length; i++)
    crc = table[(crc ^ data[i]) & 0xff] ^ (crc >> 8);
  return ~crc;
}

/* A name as it can appear in a message: cut short when long, and with
 * bytes escaped when it is not printable UTF-8. */
static char *
printable_name (const char *name,
                gsize       length)
{
  const gsize max_shown = 80;
  gboolean printable = g_utf8_validate (name, length, NULL);
  g_autoptr(GString) text = g_string_new (NULL);

  for (gsize i = 0; printable && i < length; i++) {
    if ((guint8) name[i] < 0x20 || name[i] == 0x7f)
      printable = FALSE;
  }

  if (printable) {
    glong n_chars = g_utf8_strlen (name, length);

    if ((gsize) n_chars <= max_shown)
      return g_strndup (name, length);
    g_string_append_len (text, name, g_utf8_offset_to_pointer (name, max_shown) - name);
  } else {
    for (gsize i = 0; i < MIN (length, max_shown); i++) {
      guint8 c = name[i];

      if (c >= 0x20 && c < 0x7f && c != '\\' && c != '"')
        g_string_append_c (text, c);
      else
        g_string_append_printf (text, "\\x%02x", c);
    }
    if (length <= max_shown)
      return g_string_free (g_steal_pointer (&text), FALSE);
  }

  g_string_append (text, "…");
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* Checks that the raw bytes of a name are a safe relative path.  The name
 * may end in '/' for a folder. */
static gboolean
check_name (const char  *name,
            gsize        length,
            GError     **error)
{
  g_autofree char *shown = NULL;
  g_auto(GStrv) segments = NULL;
  g_autofree char *copy = NULL;
  gsize path_length = length;

  if (length == 0) {
    g_set_error_literal (error, YUN_PACKAGE_ERROR, YUN_PACKAGE_ERROR_BAD_NAME,
                         "an entry has an empty name");
    return FALSE;
  }

  shown = printable_name (name, length);
  if (memchr (name, '\0', length) != NULL) {
    g_set_error (error, YUN_PACKAGE_ERROR, YUN_PACKAGE_ERROR_BAD_NAME,
                 "entry \"%s\": the name holds a NUL byte", shown);
    return FALSE;
  }
  if (length > YUN_PACKAGE_MAX_NAME_LENGTH) {
    g_set_error (error, YUN_PACKAGE_ERROR, YUN_PACKAGE_ERROR_BAD_NAME,
                 "entry \"%s\": the name is %" G_GSIZE_FORMAT " bytes long; "
                 "at most %d are allowed", shown, length, YUN_PACKAGE_MAX_NAME_LENGTH);
    return FALSE;
  }
  if (!g_utf8_validate (name, length, NULL)) {
    g_set_error (error, YUN_PACKAGE_ERROR, YUN_PACKAGE_ERROR_BAD_NAME,
                 "entry \"%s\": the name is not UTF-8", shown);
    return FALSE;
  }
  for (gsize i = 0; i < length; i++) {
    if ((guint8) name[i] < 0x20 || name[i] == 0x7f) {
      g_set_error (error, YUN_PACKAGE_ERROR, YUN_PACKAGE_ERROR_BAD_NAME,
                   "entry \"%s\": the name holds a control character", shown);
      return FALSE;
    }
  }
  if (memchr (name, '\\', length) != NULL) {
    g_set_error (error, YUN_PACKAGE_ERROR, YUN_PACKAGE_ERROR_BAD_NAME,
                 "entry \"%s\": the name holds a backslash; zip paths use \"/\"", shown);
    return FALSE;
  }
  if (name[0] == '/') {
    g_set_error (error, YUN_PACKAGE_ERROR, YUN_PACKAGE_ERROR_BAD_NAME,
                 "entry \"%s\": an absolute path; paths in a package are relative", shown);
    return FALSE;
  }

  if (name[length - 1] == '/')
    path_length--;
  copy = g_strndup (name, path_length);
  segments = g_strsplit (copy, "/", -1);
  for (int i = 0; segments[i] != NULL; i++) {
    if (g_str_equal (segments[i], "..")) {
      g_set_error (error, YUN_PACKAGE_ERROR, YUN_PACKAGE_ERROR_BAD_NAME,
                   "entry \"%s\": a \"..\" segment would leave the app's folder", shown);
      return FALSE;
    }
    if (*segments[i] == '\0' || g_str_equal (segments[i], ".")) {
      g_set_error (error, YUN_PACKAGE_ERROR, YUN_PACKAGE_ERROR_BAD_NAME,
                   "entry \"%s\": an empty or \".\" segment", shown);
      return FALSE;
    }
    if (strlen (segments[i]) > YUN_PACKAGE_MAX_SEGMENT_LENGTH) {
      g_set_error (error, YUN_PACKAGE_ERROR, YUN_PACKAGE_ERROR_BAD_NAME,
                   "entry \"%s\": a segment is %" G_GSIZE_FORMAT " bytes long; "
                   "at most %d are allowed", shown, strlen (segments[i]),
                   YUN_PACKAGE_MAX_SEGMENT_LENGTH);
      return FALSE;
    }
  }

  return TRUE;
}

/* The key two names collide under: without a trailing '/', NFC-normalised
 * and case-folded. */
static char *
collision_key (const char *path)
{
  gsize length = strlen (path);
  g_autofree char *trimmed = g_strndup (path, length > 0 && path[length - 1] == '/' ?
                                                length - 1 : length);
  g_autofree char *normal = g_utf8_normalize (trimmed, -1, G_NORMALIZE_NFC);

  return g_utf8_casefold (normal, -1);
}

static gboolean
check_duplicates (GPtrArray  *entries,
                  GError    **error)
{
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) folders = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < entries->len; i++) {
    Entry *entry = g_ptr_array_index (entries, i);
    char *key = collision_key (entry->name);
    Entry *other = g_hash_table_lookup (names, key);

    if (other != NULL) {
      g_set_error (error, YUN_PACKAGE_ERROR, YUN_PACKAGE_ERROR_DUPLICATE,
                   "entry \"%s\": the package already has \"%s\"", entry->name, other->name);
      g_free (key);
      return FALSE;
    }
    g_hash_table_insert (names, key, entry);

    /* Every folder above an entry exists, named or not. */
    for (char *slash = strchr (key, '/'); slash != NULL; slash = strchr (slash + 1, '/'))
      g_hash_table_add (folders, g_strndup (key, slash - key));
  }

  for (guint i = 0; i < entries->len; i++) {
    Entry *entry = g_ptr_array_index (entries, i);
    g_autofree char *key = NULL;

    if (entry->is_folder)
      continue;
    key = collision_key (entry->name);
    if (g_hash_table_contains (folders, key)) {
      g_set_error (error, YUN_PACKAGE_ERROR, YUN_PACKAGE_ERROR_DUPLICATE,
                   "entry \"%s\": the package has it both as a file and as a folder",
                   entry->name);
      return FALSE;
    }
  }

  return TRUE;
}

/* Reads the end of central directory record: the one whose comment runs
 * exactly to the end of the file. */
static gboolean
find_end_record (const guint8  *zip,
                 gsize          length,
                 gsize         *end_offset,
                 GError       **error)
{
  gboolean found = FALSE;
  gsize lowest;

  if (length < END_SIZE) {
    g_set_error_literal (error, YUN_PACKAGE_ERROR, YUN_PACKAGE_ERROR_NOT_ZIP,
                         "not a zip file: too short");
    return FALSE;
  }

  /* A comment could hide a second end record that another reader would
   * pick; with two candidates there is no single way to read the file. */
  lowest = length - END_SIZE > G_MAXUINT16 ? length - END_SIZE - G_MAXUINT16 : 0;
  for (gsize offset = length - END_SIZE + 1; offset-- > lowest;) {
    if (read32 (zip + offset) == END_SIGNATURE &&
        offset + END_SIZE + read16 (zip + offset + 20) == length) {
      if (found) {
        g_set_error_literal (error, YUN_PACKAGE_ERROR, YUN_PACKAGE_ERROR_CORRUPT,
                             "the zip has two end of central directory records");
        return FALSE;
      }
      *end_offset = offset;
      found = TRUE;
    }
  }

  if (!found)
    g_set_error_literal (error, YUN_PACKAGE_ERROR, YUN_PACKAGE_ERROR_NOT_ZIP,
                         "not a zip file: no end of central directory record");
  return found;
}

/* What the external attributes say about the kind of entry. */
static gboolean
check_kind (Entry    *entry,
            guint16   made_by,
            guint32   external,
            GError  **error)
{
  guint host = made_by >> 8;
  guint32 mode = external >> 16;
  guint32 format = mode & S_IFMT;

  if ((host == HOST_UNIX || host == HOST_MACOS) && format != 0) {
    if (format == S_IFLNK) {
      g_set_error (error, YUN_PACKAGE_ERROR, YUN_PACKAGE_ERROR_NOT_REGULAR,
                   "entry \"%s\": a symbolic link; packages hold only files and folders",
                   entry->name);
      return FALSE;
    }
    if (format != S_IFREG && format != S_IFDIR) {
      g_set_error (error, YUN_PACKAGE_ERROR, YUN_PACKAGE_ERROR_NOT_REGULAR,
                   "entry \"%s\": a device, pipe or socket; packages hold only files and "
                   "folders", entry->name);
      return FALSE;
    }
    if ((format == S_IFDIR) != entry->is_folder) {
      g_set_error (error, YUN_PACKAGE_ERROR, YUN_PACKAGE_ERROR_CORRUPT,
                   "entry \"%s\": its mode and its name disagree on whether it is a folder",
                   entry->name);
      return FALSE;
    }
  }

  if (entry->is_folder && entry->size != 0) {
    g_set_error (error, YUN_PACKAGE_ERROR, YUN_PACKAGE_ERROR_CORRUPT,
                 "entry \"%s\": a folder with data", entry->name);
    return FALSE;
  }

  return TRUE;
}

static Entry *
read_central_entry (const guint8  *zip,
                    gsize          offset,
                    gsize          directory_end,
                    gsize         *next,
                    GError       **error)
{
  const guint8 *p = zip + offset;
  g_autoptr(GError) local_error = NULL;
  Entry *entry;
  guint16 name_length, extra_length, comment_length;

  if (directory_end - offset < CENTRAL_HEADER_SIZE || read32 (p) != CENTRAL_HEADER_SIGNATURE) {
    g_set_error (error, YUN_PACKAGE_ERROR, YUN_PACKAGE_ERROR_CORRUPT,
                 "the central directory is damaged at offset %" G_GSIZE_FORMAT, offset);
    return NULL;
  }

  name_length = read16 (p + 28);
  extra_length = read16 (p + 30);
  comment_length = read16 (p + 32);
  if (directory_end - offset - CENTRAL_HEADER_SIZE <
      (gsize) name_length + extra_length + comment_length) {
    g_set_error (error, YUN_PACKAGE_ERROR, YUN_PACKAGE_ERROR_CORRUPT,
                 "the central directory is damaged at offset %" G_GSIZE_FORMAT, offset);
    return NULL;
  }
  *next = offset + CENTRAL_HEADER_SIZE + name_length + extra_length + comment_length;

  if (!check_name ((const char *) p + CENTRAL_HEADER_SIZE, name_length, error))
    return NULL;

  entry = g_new0 (Entry, 1);
  entry->name = g_strndup ((const char *) p + CENTRAL_HEADER_SIZE, name_length);
  entry->is_folder = entry->name[name_length - 1] == '/';
  entry->flags = read16 (p + 8);
  entry->method = read16 (p + 10);
  entry->crc = read32 (p + 16);
  entry->compressed_size = read32 (p + 20);
  entry->size = read32 (p + 24);
  entry->local_offset = read32 (p + 42);

  if (entry->compressed_size == G_MAXUINT32 || entry->size == G_MAXUINT32 ||
      entry->local_offset == G_MAXUINT32 || read16 (p + 34) != 0) {
    g_set_error (&local_error, YUN_PACKAGE_ERROR, YUN_PACKAGE_ERROR_UNSUPPORTED,
                 "entry \"%s\": zip64 and multi-disk archives are not supported",
                 entry->name);
  } else if (entry->flags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION | FLAG_MASKED_HEADERS)) {
    g_set_error (&local_error, YUN_PACKAGE_ERROR, YUN_PACKAGE_ERROR_UNSUPPORTED,
                 "entry \"%s\": encrypted entries are not supported", entry->name);
  } else if (entry->method != METHOD_STORED && entry->method != METHOD_DEFLATE) {
    g_set_error (&local_error, YUN_PACKAGE_ERROR, YUN_PACKAGE_ERROR_UNSUPPORTED,
                 "entry \"%s\": compression method %u is not supported; use deflate or "
                 "none", entry->name, entry->method);
  } else {
    check_kind (entry, read16 (p + 4), read32 (p + 38), &local_error);
  }

  if (local_error != NULL) {
    g_propagate_error (error, g_steal_pointer (&local_error));
    entry_free (entry);
    return NULL;
  }

  return entry;
}

/* Sizes as the headers declare them: the limits refused before anything is
 * inflated.  Inflating checks the real sizes again. */
static gboolean
check_declared_sizes (GPtrArray  *entries,
                      GError    **error)
{
  guint64 total = 0;

  for (guint i = 0; i < entries->len; i++) {
    Entry *entry = g_ptr_array_index (entries, i);

    total += entry->size;
    if (total > YUN_PACKAGE_MAX_SIZE) {
      g_set_error (error, YUN_PACKAGE_ERROR, YUN_PACKAGE_ERROR_TOO_LARGE,
                   "the package inflates to more than %d bytes", YUN_PACKAGE_MAX_SIZE);
      return FALSE;
    }
    if (entry->method == METHOD_STORED && entry->compressed_size != entry->size) {
      g_set_error (error, YUN_PACKAGE_ERROR, YUN_PACKAGE_ERROR_CORRUPT,
                   "entry \"%s\": stored uncompressed, yet its two sizes differ", entry->name);
      return FALSE;
    }
    if ((guint64) entry->size > (guint64) entry->compressed_size * YUN_PACKAGE_MAX_RATIO) {
      g_set_error (error, YUN_PACKAGE_ERROR, YUN_PACKAGE_ERROR_TOO_COMPRESSED,
                   "entry \"%s\": inflates %u bytes to %u, more than %d times",
                   entry->name, entry->compressed_size, entry->size, YUN_PACKAGE_MAX_RATIO);
      return FALSE;
    }
  }

  return TRUE;
}

static gboolean
local_field_agrees (guint32 local,
                    guint32 central,
                    guint16 flags)
{
  return local == central || ((flags & FLAG_DATA_DESCRIPTOR) && local == 0);
}

/* Checks an entry's local header against its central directory record and
 * finds where its data starts and where the entry ends. */
static gboolean
read_local_header (Entry         *entry,
                   const guint8  *zip,
                   gsize          directory_offset,
                   GError       **error)
{
  const guint8 *p = zip + entry->local_offset;
  guint16 flags, name_length, extra_length;
  gsize data_end;
  const guint16 compared_flags = FLAG_ENCRYPTED | FLAG_DATA_DESCRIPTOR | FLAG_UTF8;

  if (entry->local_offset > directory_offset ||
      directory_offset - entry->local_offset < LOCAL_HEADER_SIZE ||
      read32 (p) != LOCAL_HEADER_SIGNATURE) {
    g_set_error (error, YUN_PACKAGE_ERROR, YUN_PACKAGE_ERROR_CORRUPT,
                 "entry \"%s\": no local header where the central directory says",
                 entry->name);
    return FALSE;
  }

  flags = read16 (p + 6);
  name_length = read16 (p + 26);
  extra_length = read16 (p + 28);
  if (directory_offset - entry->local_offset - LOCAL_HEADER_SIZE <
      (gsize) name_length + extra_length ||
      name_length != strlen (entry->name) ||
      memcmp (p + LOCAL_HEADER_SIZE, entry->name, name_length) != 0 ||
      read16 (p + 8) != entry->method ||
      (flags & compared_flags) != (entry->flags & compared_flags)) {
    g_set_error (error, YUN_PACKAGE_ERROR, YUN_PACKAGE_ERROR_CORRUPT,
                 "entry \"%s\": the local header and the central directory disagree",
                 entry->name);
    return FALSE;
  }

  /* Without a data descriptor the local header repeats the sizes and CRC;
   * with one it may leave any of them zero (Info-ZIP keeps the size). */
  if (!local_field_agrees (read32 (p + 14), entry->crc, flags) ||
      !local_field_agrees (read32 (p + 18), entry->compressed_size, flags) ||
      !local_field_agrees (read32 (p + 22), entry->size, flags)) {
    g_set_error (error, YUN_PACKAGE_ERROR, YUN_PACKAGE_ERROR_CORRUPT,
                 "entry \"%s\": the local header and the central directory give different "
                 "sizes", entry->name);
    return FALSE;
  }

  entry->data_offset = entry->local_offset + LOCAL_HEADER_SIZE + name_length + extra_length;
  if (directory_offset - entry->data_offset < entry->compressed_size) {
    g_set_error (error, YUN_PACKAGE_ERROR, YUN_PACKAGE_ERROR_CORRUPT,
                 "entry \"%s\": its data runs into the central directory", entry->name);
    return FALSE;
  }
  data_end = entry->data_offset + entry->compressed_size;
  entry->end_offset = data_end;

  if (flags & FLAG_DATA_DESCRIPTOR) {
    gsize available = directory_offset - data_end;
    const guint8 *d = zip + data_end;

    if (available >= 4 && read32 (d) == DESCRIPTOR_SIGNATURE) {
      d += 4;
      available -= 4;
      entry->end_offset += 4;
    }
    if (available < 12 || read32 (d) != entry->crc || read32 (d + 4) != entry->compressed_size ||
        read32 (d + 8) != entry->size) {
      g_set_error (error, YUN_PACKAGE_ERROR, YUN_PACKAGE_ERROR_CORRUPT,
                   "entry \"%s\": its data descriptor and the central directory disagree",
                   entry->name);
      return FALSE;
    }
    entry->end_offset += 12;
  }

  return TRUE;
}

static int
compare_offsets (gconstpointer a,
                 gconstpointer b)
{
  const Entry *ea = *(const Entry * const *) a;
  const Entry *eb = *(const Entry * const *) b;

  return ea->local_offset < eb->local_offset ? -1 : ea->local_offset > eb->local_offset;
}

/* Entries must follow one another from the start of the file to the
 * central directory: bytes no record accounts for could be read as
 * something else by another tool, and overlapping entries are how the
 * densest zip bombs reuse their data. */
static gboolean
check_layout (GPtrArray  *entries,
              gsize       directory_offset,
              GError    **error)
{
  g_autoptr(GPtrArray) sorted = g_ptr_array_copy (entries, NULL, NULL);
  gsize expected = 0;

  /* The copy would otherwise free the entries it only borrows. */
  g_ptr_array_set_free_func (sorted, NULL);
  g_ptr_array_sort (sorted, compare_offsets);
  for (guint i = 0; i < sorted->len; i++) {
    Entry *entry = g_ptr_array_index (sorted, i);

    if (entry->local_offset != expected) {
      g_set_error (error, YUN_PACKAGE_ERROR, YUN_PACKAGE_ERROR_CORRUPT,
                   "entry \"%s\": %s", entry->name,
                   entry->local_offset < expected ? "overlaps the entry before it"
                                                  : "follows bytes that belong to no entry");
      return FALSE;
    }
    expected = entry->end_offset;
  }

  if (expected != directory_offset) {
    g_set_error_literal (error, YUN_PACKAGE_ERROR, YUN_PACKAGE_ERROR_CORRUPT,
                         "bytes that belong to no entry come before the central directory");
    return FALSE;
  }

  return TRUE;
}

/* Inflates one entry from the zip, handing the data to @sink and checking,
 * as the data comes, the size its headers declare, the package's total
 * (*total, updated) and the ratio; then the CRC. */
static gboolean
inflate_entry (const guint8  *zip,
               Entry         *entry,
               guint64       *total,
               SinkFunc       sink,
               gpointer       user_data,
               GCancellable  *cancellable,
               GError       **error)
{
  const guint8 *input = zip + entry->data_offset;
  g_autoptr(GConverter) converter = NULL;
  g_autofree guint8 *buffer = NULL;
  guint64 produced = 0;
  gsize consumed = 0;
  guint32 crc = 0;

  if (entry->method == METHOD_DEFLATE) {
    converter = G_CONVERTER (g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_RAW));
    buffer = g_malloc (CHUNK_SIZE);
  }

  for (;;) {
    const guint8 *out;
    gsize bytes_read = 0;
    gsize bytes_written = 0;
    gboolean finished;

    if (g_cancellable_set_error_if_cancelled (cancellable, error))
      return FALSE;

    if (converter == NULL) {
      out = input + consumed;
      bytes_read = MIN (entry->compressed_size - consumed, CHUNK_SIZE);
      bytes_written = bytes_read;
      finished = consumed + bytes_read == entry->compressed_size;
    } else {
      g_autoptr(GError) local_error = NULL;
      GConverterResult result;

      result = g_converter_convert (converter, input + consumed,
                                    entry->compressed_size - consumed, buffer, CHUNK_SIZE,
                                    G_CONVERTER_INPUT_AT_END, &bytes_read, &bytes_written,
                                    &local_error);
      if (result == G_CONVERTER_ERROR ||
          (result == G_CONVERTER_CONVERTED && bytes_read == 0 && bytes_written == 0)) {
        g_set_error (error, YUN_PACKAGE_ERROR, YUN_PACKAGE_ERROR_CORRUPT,
                     "entry \"%s\": the compressed data is damaged: %s", entry->name,
                     local_error != NULL ? local_error->message : "no progress");
        return FALSE;
      }
      out = buffer;
      finished = result == G_CONVERTER_FINISHED;
    }
    consumed += bytes_read;
    produced += bytes_written;
    *total += bytes_written;

    if (produced > entry->size) {
      g_set_error (error, YUN_PACKAGE_ERROR, YUN_PACKAGE_ERROR_CORRUPT,
                   "entry \"%s\": inflates to more than the %u bytes its header declares",
                   entry->name, entry->size);
      return FALSE;
    }
    if (*total > YUN_PACKAGE_MAX_SIZE) {
      g_set_error (error, YUN_PACKAGE_ERROR, YUN_PACKAGE_ERROR_TOO_LARGE,
                   "the package inflates to more than %d bytes", YUN_PACKAGE_MAX_SIZE);
      return FALSE;
    }
    if (produced > (guint64) entry->compressed_size * YUN_PACKAGE_MAX_RATIO) {
      g_set_error (error, YUN_PACKAGE_ERROR, YUN_PACKAGE_ERROR_TOO_COMPRESSED,
                   "entry \"%s\": inflates more than %d times its compressed size",
                   entry->name, YUN_PACKAGE_MAX_RATIO);
      return FALSE;
    }

    crc = crc32_update (crc, out, bytes_written);
    if (bytes_written > 0 && sink != NULL && !sink (out, bytes_written, user_data, error))
      return FALSE;

    if (finished)
      break;
  }

  if (consumed != entry->compressed_size) {
    g_set_error (error, YUN_PACKAGE_ERROR, YUN_PACKAGE_ERROR_CORRUPT,
                 "entry \"%s\": data follows the end of the compressed stream", entry->name);
    return FALSE;
  }
  if (produced != entry->size) {
    g_set_error (error, YUN_PACKAGE_ERROR, YUN_PACKAGE_ERROR_CORRUPT,
                 "entry \"%s\": inflates to %" G_GUINT64_FORMAT " bytes, not the %u its "
                 "header declares", entry->name, produced, entry->size);
    return FALSE;
  }
  if (crc != entry->crc) {
    g_set_error (error, YUN_PACKAGE_ERROR, YUN_PACKAGE_ERROR_CORRUPT,
                 "entry \"%s\": the data does not match its CRC-32", entry->name);
    return FALSE;
  }

  return TRUE;
}

static gboolean
append_to_array (const guint8  *data,
                 gsize          length,
                 gpointer       user_data,
                 GError       **error)
{
  g_byte_array_append (user_data, data, length);
  return TRUE;
}

static gboolean
check_sha256 (GBytes      *zip,
              const char  *expected,
              GError     **error)
{
  g_autofree char *actual = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, zip);

  if (g_ascii_strcasecmp (actual, expected) != 0) {
    g_set_error (error, YUN_PACKAGE_ERROR, YUN_PACKAGE_ERROR_CHECKSUM,
                 "the package's SHA-256 is %s, not the expected %s", actual, expected);
    return FALSE;
  }
  return TRUE;
}

/* The whole validation; on success the entries, their total size and the
 * manifest are stored in @self. */
static gboolean
validate (YunPackage  *self,
          const char  *manifest_url,
          GError     **error)
{
  gsize length;
  const guint8 *zip = g_bytes_get_data (self->zip, &length);
  g_autoptr(GByteArray) manifest_data = NULL;
  g_autoptr(GError) manifest_error = NULL;
  g_autoptr(GStrvBuilder) paths = g_strv_builder_new ();
  Entry *manifest_entry = NULL;
  gsize end_offset = 0, directory_offset, directory_size, offset;
  guint n_entries;
  guint64 total = 0;

  if (length > YUN_PACKAGE_MAX_ZIP_SIZE) {
    g_set_error (error, YUN_PACKAGE_ERROR, YUN_PACKAGE_ERROR_TOO_LARGE,
                 "the package file is larger than %d bytes", YUN_PACKAGE_MAX_ZIP_SIZE);
    return FALSE;
  }
  if (!find_end_record (zip, length, &end_offset, error))
    return FALSE;

  n_entries = read16 (zip + end_offset + 10);
  directory_size = read32 (zip + end_offset + 12);
  directory_offset = read32 (zip + end_offset + 16);
  if ((end_offset >= ZIP64_LOCATOR_SIZE &&
       read32 (zip + end_offset - ZIP64_LOCATOR_SIZE) == ZIP64_LOCATOR_SIGNATURE) ||
      read16 (zip + end_offset + 4) != 0 || read16 (zip + end_offset + 6) != 0 ||
      read16 (zip + end_offset + 8) != n_entries) {
    g_set_error_literal (error, YUN_PACKAGE_ERROR, YUN_PACKAGE_ERROR_UNSUPPORTED,
                         "zip64 and multi-disk archives are not supported");
    return FALSE;
  }
  if (n_entries > YUN_PACKAGE_MAX_ENTRIES) {
    g_set_error (error, YUN_PACKAGE_ERROR, YUN_PACKAGE_ERROR_TOO_LARGE,
                 "the package has %u entries; at most %d are allowed", n_entries,
                 YUN_PACKAGE_MAX_ENTRIES);
    return FALSE;
  }
  if (directory_offset > end_offset || end_offset - directory_offset != directory_size) {
    g_set_error_literal (error, YUN_PACKAGE_ERROR, YUN_PACKAGE_ERROR_CORRUPT,
                         "the central directory does not end where the end record starts");
    return FALSE;
  }

  offset = directory_offset;
  for (guint i = 0; i < n_entries; i++) {
    Entry *entry = read_central_entry (zip, offset, end_offset, &offset, error);

    if (entry == NULL)
      return FALSE;
    g_ptr_array_add (self->entries, entry);
    if (g_str_equal (entry->name, "manifest.json"))
      manifest_entry = entry;
  }
  if (offset != end_offset) {
    g_set_error_literal (error, YUN_PACKAGE_ERROR, YUN_PACKAGE_ERROR_CORRUPT,
                         "the central directory holds more than the end record counts");
    return FALSE;
  }

  if (!check_duplicates (self->entries, error))
    return FALSE;
  if (manifest_entry == NULL) {
    g_set_error_literal (error, YUN_PACKAGE_ERROR, YUN_PACKAGE_ERROR_NO_MANIFEST,
                         "the package has no manifest.json at its root");
    return FALSE;
  }
  if (!check_declared_sizes (self->entries, error))
    return FALSE;

  for (guint i = 0; i < self->entries->len; i++) {
    if (!read_local_header (g_ptr_array_index (self->entries, i), zip, directory_offset,
                            error))
      return FALSE;
  }
  if (!check_layout (self->entries, directory_offset, error))
    return FALSE;

  manifest_data = g_byte_array_new ();
  for (guint i = 0; i < self->entries->len; i++) {
    Entry *entry = g_ptr_array_index (self->entries, i);
    gboolean is_manifest = entry == manifest_entry;

    if (!inflate_entry (zip, entry, &total, is_manifest ? append_to_array : NULL,
                        manifest_data, NULL, error))
      return FALSE;
    if (!entry->is_folder)
      g_strv_builder_add (paths, entry->name);
  }

  self->manifest = yun_manifest_new_from_data ((const char *) manifest_data->data,
                                               manifest_data->len, manifest_url,
                                               &manifest_error);
  if (self->manifest == NULL) {
    g_set_error (error, YUN_PACKAGE_ERROR, YUN_PACKAGE_ERROR_INVALID_MANIFEST,
                 "manifest.json: %s", manifest_error->message);
    return FALSE;
  }

  self->size = total;
  self->paths = g_strv_builder_end (paths);
  return TRUE;
}

static void
yun_package_finalize (GObject *object)
{
  YunPackage *self = YUN_PACKAGE (object);

  g_clear_pointer (&self->zip, g_bytes_unref);
  g_clear_pointer (&self->entries, g_ptr_array_unref);
  g_clear_pointer (&self->paths, g_strfreev);
  g_clear_object (&self->manifest);

  G_OBJECT_CLASS (yun_package_parent_class)->finalize (object);
}

static void
yun_package_class_init (YunPackageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = yun_package_finalize;
}

static void
yun_package_init (YunPackage *self)
{
  self->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
}

/**
 * yun_package_new_from_bytes:
 * @zip: the package's bytes
 * @manifest_url: the URL its manifest.json stands for, such as
 *   `app://<app-id>/manifest.json`; relative URLs in the manifest resolve
 *   against it
 * @sha256: (nullable): the SHA-256 the package must have, in hex, as the
 *   store catalog lists it
 * @error: return location for a #YunPackageError
 *
 * Validates a package completely without writing anything: the checksum,
 * the zip's structure, every entry's name and kind, the limits (counted on
 * the data as it really inflates, not as headers claim) and the manifest.
 *
 * Returns: (transfer full): the package, ready to extract, or %NULL with
 *   @error saying what is wrong
 */
YunPackage *
yun_package_new_from_bytes (GBytes      *zip,
                            const char  *manifest_url,
                            const char  *sha256,
                            GError     **error)
{
  g_autoptr(YunPackage) self = NULL;

  g_return_val_if_fail (zip != NULL, NULL);
  g_return_val_if_fail (manifest_url != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (sha256 != NULL && !check_sha256 (zip, sha256, error))
    return NULL;

  self = g_object_new (YUN_TYPE_PACKAGE, NULL);
  self->zip = g_bytes_ref (zip);
  if (!validate (self, manifest_url, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * yun_package_new_from_file:
 * @path: a zip file
 * @manifest_url: as for yun_package_new_from_bytes()
 * @sha256: (nullable): as for yun_package_new_from_bytes()
 * @error: return location for a #YunPackageError or a #GFileError
 *
 * Reads @path and validates it like yun_package_new_from_bytes().
 *
 * Returns: (transfer full): the package, or %NULL with @error set
 */
YunPackage *
yun_package_new_from_file (const char  *path,
                           const char  *manifest_url,
                           const char  *sha256,
                           GError     **error)
{
  g_autoptr(GMappedFile) file = NULL;
  g_autoptr(GBytes) bytes = NULL;
  GStatBuf info;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (manifest_url != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Refuse a huge file before mapping it. */
  if (g_stat (path, &info) == 0 && info.st_size > YUN_PACKAGE_MAX_ZIP_SIZE) {
    g_set_error (error, YUN_PACKAGE_ERROR, YUN_PACKAGE_ERROR_TOO_LARGE,
                 "the package file is larger than %d bytes", YUN_PACKAGE_MAX_ZIP_SIZE);
    return NULL;
  }

  file = g_mapped_file_new (path, FALSE, error);
  if (file == NULL)
    return NULL;
  bytes = g_mapped_file_get_bytes (file);

  return yun_package_new_from_bytes (bytes, manifest_url, sha256, error);
}

/**
 * yun_package_get_manifest:
 * @self: a package
 *
 * Returns: (transfer none): the package's processed manifest.json
 */
YunManifest *
yun_package_get_manifest (YunPackage *self)
{
  g_return_val_if_fail (YUN_IS_PACKAGE (self), NULL);
  return self->manifest;
}

/**
 * yun_package_get_paths:
 * @self: a package
 *
 * Returns: (transfer none) (array zero-terminated=1): the relative paths of
 *   the files in the package, in the zip's order; folders are not listed
 */
const char * const *
yun_package_get_paths (YunPackage *self)
{
  g_return_val_if_fail (YUN_IS_PACKAGE (self), NULL);
  return (const char * const *) self->paths;
}

/**
 * yun_package_get_size:
 * @self: a package
 *
 * Returns: how many bytes the package's files take once extracted
 */
guint64
yun_package_get_size (YunPackage *self)
{
  g_return_val_if_fail (YUN_IS_PACKAGE (self), 0);
  return self->size;
}

/* Removes a folder we created and everything in it, never following a
 * symbolic link.  Best effort: it runs when something already failed. */
static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL) {
    g_autofree char *child = g_build_filename (path, name, NULL);
    GStatBuf info;

    if (g_lstat (child, &info) == 0 && S_ISDIR (info.st_mode))
      remove_tree (child);
    else
      g_unlink (child);
  }
  g_rmdir (path);
}

static gboolean
write_all (const guint8  *data,
           gsize          length,
           gpointer       user_data,
           GError       **error)
{
  int fd = GPOINTER_TO_INT (user_data);

  while (length > 0) {
    gssize written = write (fd, data, length);

    if (written < 0 && errno == EINTR)
      continue;
    if (written < 0) {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "could not write: %s", g_strerror (saved_errno));
      return FALSE;
    }
    data += written;
    length -= written;
  }
  return TRUE;
}

static gboolean
set_error_from_errno (GError     **error,
                      const char  *what,
                      const char  *path)
{
  int saved_errno = errno;

  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno), "could not %s %s: %s",
               what, path, g_strerror (saved_errno));
  return FALSE;
}

static gboolean
extract_entry (YunPackage    *self,
               Entry         *entry,
               const char    *folder,
               guint64       *total,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autofree char *path = g_build_filename (folder, entry->name, NULL);
  g_autofree char *parent = NULL;
  g_autoptr(GError) local_error = NULL;
  int fd;

  if (entry->is_folder) {
    if (g_mkdir_with_parents (path, 0755) != 0)
      return set_error_from_errno (error, "create", path);
    return inflate_entry (g_bytes_get_data (self->zip, NULL), entry, total, NULL, NULL,
                          cancellable, error);
  }

  parent = g_path_get_dirname (path);
  if (g_mkdir_with_parents (parent, 0755) != 0)
    return set_error_from_errno (error, "create", parent);

  /* The folder is new and ours; O_EXCL and O_NOFOLLOW are a second line of
   * defence should anything be there already. */
  fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0)
    return set_error_from_errno (error, "create", path);

  /* Inflated again rather than trusted from validation: a mapped file can
   * change underneath, and the checks are cheap next to the disk. */
  if (!inflate_entry (g_bytes_get_data (self->zip, NULL), entry, total, write_all,
                      GINT_TO_POINTER (fd), cancellable, &local_error) ||
      fsync (fd) != 0) {
    if (local_error == NULL)
      set_error_from_errno (&local_error, "write", path);
    close (fd);
    g_propagate_error (error, g_steal_pointer (&local_error));
    return FALSE;
  }

  if (close (fd) != 0)
    return set_error_from_errno (error, "write", path);
  return TRUE;
}

static gboolean
extract_into (YunPackage    *self,
              const char    *folder,
              GCancellable  *cancellable,
              GError       **error)
{
  guint64 total = 0;

  for (guint i = 0; i < self->entries->len; i++) {
    if (!extract_entry (self, g_ptr_array_index (self->entries, i), folder, &total,
                        cancellable, error))
      return FALSE;
  }

  if (g_chmod (folder, 0755) != 0)
    return set_error_from_errno (error, "change the mode of", folder);
  return TRUE;
}

/* Moves @from to @to, failing when @to exists. */
static gboolean
rename_no_replace (const char  *from,
                   const char  *to,
                   GError     **error)
{
  if (renameat2 (AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0)
    return TRUE;

  /* Some file systems cannot promise not to replace; there a check just
   * before renaming is the best available, and rename() itself still
   * refuses to replace a folder that is not empty. */
  if (errno == EINVAL || errno == ENOSYS) {
    if (g_file_test (to, G_FILE_TEST_EXISTS)) {
      errno = EEXIST;
      return set_error_from_errno (error, "install to", to);
    }
    if (g_rename (from, to) == 0)
      return TRUE;
  }

  return set_error_from_errno (error, "install to", to);
}

/**
 * yun_package_extract:
 * @self: a validated package
 * @destination: the folder to create for the app; must not exist yet
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GIOError or a #YunPackageError
 *
 * Writes the package's files into a new temporary folder beside
 * @destination, then renames it to @destination.  On any failure the
 * temporary folder is removed and @destination is left as it was: an app is
 * installed whole or not at all.  Files get mode 0644 and folders 0755,
 * whatever the zip says.
 *
 * This blocks on the disk; see yun_package_extract_async().
 *
 * Returns: %TRUE when @destination holds the app's files
 */
gboolean
yun_package_extract (YunPackage    *self,
                     const char    *destination,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autofree char *parent = NULL;
  g_autofree char *base = NULL;
  g_autofree char *template = NULL;
  g_autofree char *temporary = NULL;

  g_return_val_if_fail (YUN_IS_PACKAGE (self), FALSE);
  g_return_val_if_fail (destination != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_file_test (destination, G_FILE_TEST_EXISTS | G_FILE_TEST_IS_SYMLINK)) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                 "could not install to %s: it already exists", destination);
    return FALSE;
  }

  parent = g_path_get_dirname (destination);
  base = g_path_get_basename (destination);
  template = g_strdup_printf (".%s.XXXXXX", base);
  temporary = g_build_filename (parent, template, NULL);
  if (g_mkdtemp_full (temporary, 0700) == NULL)
    return set_error_from_errno (error, "create a folder in", parent);

  if (!extract_into (self, temporary, cancellable, error) ||
      !rename_no_replace (temporary, destination, error)) {
    remove_tree (temporary);
    return FALSE;
  }

  return TRUE;
}

static void
extract_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  g_autoptr(GError) error = NULL;

  if (yun_package_extract (source_object, task_data, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

/**
 * yun_package_extract_async:
 * @self: a validated package
 * @destination: the folder to create for the app; must not exist yet
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the package is extracted or has failed
 * @user_data: data for @callback
 *
 * Extracts like yun_package_extract() in a worker thread, so that the main
 * thread never waits for the disk.
 */
void
yun_package_extract_async (YunPackage          *self,
                           const char          *destination,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (YUN_IS_PACKAGE (self));
  g_return_if_fail (destination != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, yun_package_extract_async);
  g_task_set_task_data (task, g_strdup (destination), g_free);
  g_task_run_in_thread (task, extract_thread);
}

/**
 * yun_package_extract_finish:
 * @self: a package
 * @result: the result given to the callback
 * @error: return location for a #GIOError or a #YunPackageError
 *
 * Returns: %TRUE when the destination holds the app's files
 */
gboolean
yun_package_extract_finish (YunPackage    *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == yun_package_extract_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

typedef struct
{
  GPtrArray *paths;
  guint64 size;
} PackWalk;

/* Lists the regular files under @folder, relative to the top with '/'
 * separators; refuses anything else, and stops at the package limits so a
 * wrong folder is not read whole. */
static gboolean
collect_files (const char    *top,
               const char    *relative,
               PackWalk      *walk,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autofree char *folder = relative != NULL ? g_build_filename (top, relative, NULL)
                                             : g_strdup (top);
  g_autoptr(GDir) dir = g_dir_open (folder, 0, error);
  const char *name;

  if (dir == NULL)
    return FALSE;

  while ((name = g_dir_read_name (dir)) != NULL) {
    g_autofree char *child = relative != NULL ? g_strconcat (relative, "/", name, NULL)
                                              : g_strdup (name);
    g_autofree char *path = g_build_filename (top, child, NULL);
    GStatBuf info;

    if (g_cancellable_set_error_if_cancelled (cancellable, error))
      return FALSE;
    if (g_lstat (path, &info) != 0)
      return set_error_from_errno (error, "read", path);

    if (S_ISDIR (info.st_mode)) {
      if (!collect_files (top, child, walk, cancellable, error))
        return FALSE;
    } else if (S_ISREG (info.st_mode)) {
      walk->size += info.st_size;
      g_ptr_array_add (walk->paths, g_steal_pointer (&child));
      if (walk->paths->len > YUN_PACKAGE_MAX_ENTRIES || walk->size > YUN_PACKAGE_MAX_SIZE) {
        g_set_error (error, YUN_PACKAGE_ERROR, YUN_PACKAGE_ERROR_TOO_LARGE,
                     "%s holds more than %d files or %d bytes", top,
                     YUN_PACKAGE_MAX_ENTRIES, YUN_PACKAGE_MAX_SIZE);
        return FALSE;
      }
    } else {
      g_set_error (error, YUN_PACKAGE_ERROR, YUN_PACKAGE_ERROR_NOT_REGULAR,
                   "%s is a symbolic link or special file; packages hold only files and "
                   "folders", path);
      return FALSE;
    }
  }

  return TRUE;
}

static GBytes *
deflate_bytes (const guint8  *data,
               gsize          length,
               GError       **error)
{
  g_autoptr(GConverter) converter = NULL;
  g_autoptr(GByteArray) out = g_byte_array_new ();
  guint8 buffer[CHUNK_SIZE];
  gsize consumed = 0;

  converter = G_CONVERTER (g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_RAW, 9));
  for (;;) {
    gsize bytes_read = 0;
    gsize bytes_written = 0;
    GConverterResult result;

    result = g_converter_convert (converter, data + consumed, length - consumed,
                                  buffer, sizeof buffer, G_CONVERTER_INPUT_AT_END,
                                  &bytes_read, &bytes_written, error);
    if (result == G_CONVERTER_ERROR)
      return NULL;
    consumed += bytes_read;
    g_byte_array_append (out, buffer, bytes_written);
    if (result == G_CONVERTER_FINISHED)
      break;
  }

  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
append_header (GByteArray *out,
               gboolean    central,
               guint16     method,
               guint32     crc,
               guint32     compressed_size,
               guint32     size,
               const char *name,
               guint32     local_offset)
{
  append32 (out, central ? CENTRAL_HEADER_SIGNATURE : LOCAL_HEADER_SIGNATURE);
  if (central)
    append16 (out, (HOST_UNIX << 8) | 20);
  append16 (out, 20);
  append16 (out, FLAG_UTF8);
  append16 (out, method);
  append16 (out, 0);
  append16 (out, DOS_DATE_1980);
  append32 (out, crc);
  append32 (out, compressed_size);
  append32 (out, size);
  append16 (out, strlen (name));
  append16 (out, 0);
  if (central) {
    append16 (out, 0);
    append16 (out, 0);
    append16 (out, 0);
    append32 (out, (guint32) (S_IFREG | 0644) << 16);
    append32 (out, local_offset);
  }
  g_byte_array_append (out, (const guint8 *) name, strlen (name));
}

/**
 * yun_package_pack_directory:
 * @directory: the folder with the app's files, manifest.json at its top
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GIOError, #GFileError or #YunPackageError
 *
 * Packs a folder into a zip the way `yun-dev pack` does.  The result
 * depends only on the files' paths and contents: entries are sorted by
 * path, every timestamp is 1980-01-01, modes are 0644, and each file is
 * deflated, or stored when deflate would not make it smaller or would
 * shrink it more than %YUN_PACKAGE_MAX_RATIO times.  Empty
 * folders are not kept.  Symbolic links and special files are refused.
 *
 * This only packs; validate the result with yun_package_new_from_bytes().
 *
 * Returns: (transfer full): the zip's bytes, or %NULL with @error set
 */
GBytes *
yun_package_pack_directory (const char    *directory,
                            GCancellable  *cancellable,
                            GError       **error)
{
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GByteArray) zip = g_byte_array_new ();
  g_autoptr(GByteArray) central = g_byte_array_new ();
  PackWalk walk = { paths, 0 };

  g_return_val_if_fail (directory != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!collect_files (directory, NULL, &walk, cancellable, error))
    return NULL;
  g_ptr_array_sort (paths, compare_paths);

  for (guint i = 0; i < paths->len; i++) {
    const char *name = g_ptr_array_index (paths, i);
    g_autofree char *path = g_build_filename (directory, name, NULL);
    g_autofree char *contents = NULL;
    g_autoptr(GBytes) deflated = NULL;
    const guint8 *data;
    gsize length, data_length;
    guint16 method = METHOD_DEFLATE;
    guint32 offset = zip->len;
    guint32 crc;

    if (!check_name (name, strlen (name), error))
      return NULL;
    if (!g_file_get_contents (path, &contents, &length, error))
      return NULL;
    if (length > YUN_PACKAGE_MAX_SIZE) {
      g_set_error (error, YUN_PACKAGE_ERROR, YUN_PACKAGE_ERROR_TOO_LARGE,
                   "%s is larger than %d bytes", path, YUN_PACKAGE_MAX_SIZE);
      return NULL;
    }

    crc = crc32_update (0, (const guint8 *) contents, length);
    deflated = deflate_bytes ((const guint8 *) contents, length, error);
    if (deflated == NULL)
      return NULL;
    data = g_bytes_get_data (deflated, &data_length);
    /* Stored when deflate does not help, and also when it helps so much
     * that the entry would look like a zip bomb: a package we make must
     * pass our own checks. */
    if (data_length >= length || (guint64) data_length * YUN_PACKAGE_MAX_RATIO < length) {
      method = METHOD_STORED;
      data = (const guint8 *) contents;
      data_length = length;
    }

    append_header (zip, FALSE, method, crc, data_length, length, name, 0);
    g_byte_array_append (zip, data, data_length);
    append_header (central, TRUE, method, crc, data_length, length, name, offset);

    if (zip->len + central->len > YUN_PACKAGE_MAX_ZIP_SIZE) {
      g_set_error (error, YUN_PACKAGE_ERROR, YUN_PACKAGE_ERROR_TOO_LARGE,
                   "the package would be larger than %d bytes", YUN_PACKAGE_MAX_ZIP_SIZE);
      return NULL;
    }
  }

  {
    guint32 directory_offset = zip->len;

    g_byte_array_append (zip, central->data, central->len);
    append32 (zip, END_SIGNATURE);
    append16 (zip, 0);
    append16 (zip, 0);
    append16 (zip, paths->len);
    append16 (zip, paths->len);
    append32 (zip, central->len);
    append32 (zip, directory_offset);
    append16 (zip, 0);
  }

  return g_byte_array_free_to_bytes (g_steal_pointer (&zip));
}
