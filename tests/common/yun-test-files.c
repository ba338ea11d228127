/* yun-test-files.c: files and folders for tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
/* For unshare() and CLONE_NEWNS. */
#define _GNU_SOURCE
#include "config.h"

#include "yun-test-files.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <unistd.h>

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

/* Deletes @file and everything under it without following symlinks, so
 * links that point out of the folder are removed, not their targets. */
static void
remove_file_tree (GFile *file)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_TYPE,
                            G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, &error);
  g_assert_no_error (error);

  if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY) {
    g_autoptr(GFileEnumerator) children = NULL;

    children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                          G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, &error);
    g_assert_no_error (error);

    for (;;) {
      GFile *child;

      g_file_enumerator_iterate (children, NULL, &child, NULL, &error);
      g_assert_no_error (error);
      if (child == NULL)
        break;
      remove_file_tree (child);
    }
  }

  g_file_delete (file, NULL, &error);
  g_assert_no_error (error);
}

/**
 * yun_test_make_symlink:
 * @target: what the link points to
 * @dir: a folder
 * @name: the link's relative path below it
 *
 * Makes a symbolic link, failing the test if it cannot.
 */
void
yun_test_make_symlink (const char *target,
                       const char *dir,
                       const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  g_assert_cmpint (symlink (target, path), ==, 0);
}

/**
 * yun_test_remove_tree:
 * @path: a file or folder
 *
 * Removes @path and everything below it, without following symbolic links;
 * fails the test if anything cannot be removed.
 */
void
yun_test_remove_tree (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  remove_file_tree (file);
}

/**
 * yun_test_enter_private_mounts:
 *
 * Gives the process a mount namespace of its own, whose mounts do not
 * reach the machine's (and vanish with the process), for tests that need
 * a small file system to fill.  Call it from main() while the process has
 * only one thread.
 *
 * Returns: whether it has one: %FALSE without the privilege (root or
 *   CAP_SYS_ADMIN)
 */
gboolean
yun_test_enter_private_mounts (void)
{
  return unshare (CLONE_NEWNS) == 0 &&
         mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0;
}

/**
 * yun_test_mount_tmpfs:
 * @dir: an existing folder, whose contents the mount hides
 * @size_kib: the file system's size
 *
 * Mounts a tmpfs of @size_kib KiB on @dir, where writes past its size fail
 * with ENOSPC as on a full disk; fails the test if it cannot.  Needs
 * yun_test_enter_private_mounts() first.
 */
void
yun_test_mount_tmpfs (const char *dir,
                      guint       size_kib)
{
  g_autofree char *options = g_strdup_printf ("size=%uk,mode=0700", size_kib);

  if (mount ("yun-test", dir, "tmpfs", MS_NOSUID | MS_NODEV, options) != 0)
    g_error ("could not mount a tmpfs on %s: %s", dir, g_strerror (errno));
}

/**
 * yun_test_fill_disk:
 * @dir: a folder on the file system to fill
 *
 * Writes a file in @dir until the file system is full.
 */
void
yun_test_fill_disk (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "filler", NULL);
  char block[4096] = { 0 };
  int fd = open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

  g_assert_cmpint (fd, >=, 0);
  while (write (fd, block, sizeof block) > 0)
    ;
  g_assert_cmpint (errno, ==, ENOSPC);
  close (fd);
}
