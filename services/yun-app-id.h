/* yun-app-id.h: what an app id may be.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The longest app id, in bytes. */
#define YUN_APP_ID_MAX_LENGTH 64

gboolean yun_app_id_is_valid (const char *id);

G_END_DECLS
