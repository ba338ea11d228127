/* yun-css-color.h: which strings are CSS colours.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean yun_css_color_is_valid (const char *text);

G_END_DECLS
