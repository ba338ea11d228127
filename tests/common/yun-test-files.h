/* yun-test-files.h: files and folders for tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

void yun_test_write_file  (const char *dir,
                           const char *name,
                           const char *contents,
                           gssize      length);
void yun_test_make_symlink (const char *target,
                            const char *dir,
                            const char *name);
void yun_test_remove_tree (const char *path);

gboolean yun_test_enter_private_mounts (void);
void     yun_test_mount_tmpfs          (const char *dir,
                                        guint       size_kib);
void     yun_test_fill_disk            (const char *dir);

G_END_DECLS
