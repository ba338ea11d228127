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

G_END_DECLS
