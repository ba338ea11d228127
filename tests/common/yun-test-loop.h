/* yun-test-loop.h: running the main context until something happened.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void yun_test_run_until (const gboolean *done,
                         guint           seconds);

G_END_DECLS
