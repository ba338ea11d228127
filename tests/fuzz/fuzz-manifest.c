/* fuzz-manifest.c: libFuzzer target for Web App Manifest processing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdint.h>

#include "yun-manifest.h"
#include "yun-scope.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(YunManifest) manifest = NULL;

  manifest = yun_manifest_new_from_data ((const char *) data, size,
                                         "http://127.0.0.1:8080/apps/fuzz/manifest.json", &error);
  g_assert ((manifest == NULL) == (error != NULL));

  /* Whatever a manifest says, the app it describes starts inside its own
   * scope, on the manifest's origin. */
  if (manifest != NULL) {
    g_assert (yun_manifest_get_name (manifest) != NULL);
    g_assert (yun_scope_contains (yun_manifest_get_scope (manifest),
                                  yun_manifest_get_start_url (manifest)));
    g_assert (yun_scope_same_origin (yun_manifest_get_start_url (manifest),
                                     "http://127.0.0.1:8080/"));
  }

  return 0;
}
