/* yun-test-files.c: files and folders for tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-test-files.h"

#include <glib/gstdio.h>

/**
 * yun_test_write_file:
 * @dir: a folder
 * @name: a relative path below it; missing folders are made
 * @contents: the bytes
 * @length: their length, or -1 for a string
 *
 * Writes a file, failing the test if it cannot.
 */
void
yun_test_write_file (const char *dir,
                     const char *name,
                     const char *contents,
                     gssize      length)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *parent = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (parent, 0700), ==, 0);
  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);
}

static void
remove_file_tree (GFile *file)
{
  g_autoptr(GFileEnumerator) children = NULL;

  children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  while (children != NULL) {
    GFileInfo *info = NULL;
    GFile *child = NULL;

    if (!g_file_enumerator_iterate (children, &info, &child, NULL, NULL) || info == NULL)
      break;
    if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
      remove_file_tree (child);
    else
      g_file_delete (child, NULL, NULL);
  }
  g_file_delete (file, NULL, NULL);
}

/**
 * yun_test_remove_tree:
 * @path: a file or folder
 *
 * Removes @path and everything below it, without following symbolic links.
 */
void
yun_test_remove_tree (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  remove_file_tree (file);
}
