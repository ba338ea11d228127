/* yun-scope.h: which URLs belong to an app.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean yun_scope_contains   (const char *scope,
                               const char *uri);
gboolean yun_scope_same_origin (const char *a,
                                const char *b);

G_END_DECLS
