/* fuzz-package.c: libFuzzer target for package validation, from memory.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "yun-package.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) zip = g_bytes_new_static (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(YunPackage) package = NULL;

  package = yun_package_new_from_bytes (zip, "app://fuzz/manifest.json", NULL, &error);
  g_assert ((package == NULL) == (error != NULL));

  /* Whatever the bytes, a package that passes has a manifest at its root,
   * stays within the limits, and names only safe relative paths. */
  if (package != NULL) {
    const char * const *paths = yun_package_get_paths (package);

    g_assert (yun_package_get_manifest (package) != NULL);
    g_assert (g_strv_contains (paths, "manifest.json"));
    g_assert (yun_package_get_size (package) <= YUN_PACKAGE_MAX_SIZE);
    g_assert (g_strv_length ((char **) paths) <= YUN_PACKAGE_MAX_ENTRIES);
    for (int i = 0; paths[i] != NULL; i++) {
      g_auto(GStrv) segments = g_strsplit (paths[i], "/", -1);

      g_assert (g_utf8_validate (paths[i], -1, NULL));
      g_assert (strchr (paths[i], '\\') == NULL);
      for (int j = 0; segments[j] != NULL; j++) {
        g_assert (*segments[j] != '\0');
        g_assert (!g_str_equal (segments[j], "."));
        g_assert (!g_str_equal (segments[j], ".."));
      }
    }
  } else {
    g_assert (error->domain == YUN_PACKAGE_ERROR);
  }

  return 0;
}
