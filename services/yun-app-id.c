/* yun-app-id.c: what an app id may be.
 *
 * One rule for the registry, the installer, yun-cloud's app folders, the
 * shell and the app:// handler.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-app-id.h"

#include <string.h>

/**
 * yun_app_id_is_valid:
 * @id: (nullable): a string
 *
 * App ids follow the rule yun-cloud uses for its app folders:
 * `[a-z0-9][a-z0-9._-]{0,63}`.  Such an id is safe as a folder name and
 * as the host of an `app://` URL.
 *
 * Returns: whether @id is a valid app id
 */
gboolean
yun_app_id_is_valid (const char *id)
{
  gsize length;

  if (id == NULL)
    return FALSE;
  length = strlen (id);
  if (length == 0 || length > YUN_APP_ID_MAX_LENGTH)
    return FALSE;
  if (!g_ascii_islower (id[0]) && !g_ascii_isdigit (id[0]))
    return FALSE;
  for (gsize i = 1; i < length; i++) {
    if (!g_ascii_islower (id[i]) && !g_ascii_isdigit (id[i]) &&
        id[i] != '.' && id[i] != '_' && id[i] != '-')
      return FALSE;
  }
  return TRUE;
}
