/* fuzz-gpx.c: libFuzzer target for the GPX reader.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "yun-gpx.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(YunGpx) gpx = yun_gpx_parse ((const char *) data, size, &error);

  if (gpx == NULL) {
    /* Every failure is explained, readably, with where it was found. */
    g_assert_nonnull (error);
    g_assert_true (error->domain == YUN_GPX_ERROR);
    g_assert_true (g_utf8_validate (error->message, -1, NULL));
    g_assert_cmpuint (strlen (error->message), <, 1024);
    if (error->code != YUN_GPX_ERROR_TOO_LARGE || size <= YUN_GPX_MAX_BYTES)
      g_assert_nonnull (strstr (error->message, "line"));
    return 0;
  }

  /* What is read is what a replay can use. */
  g_assert_null (error);
  g_assert_cmpuint (yun_gpx_get_n_points (gpx), >=, 1);
  g_assert_cmpuint (yun_gpx_get_n_points (gpx), <=, YUN_GPX_MAX_POINTS);
  for (guint i = 0; i < yun_gpx_get_n_points (gpx); i++) {
    const YunGpxPoint *point = yun_gpx_get_point (gpx, i);

    g_assert_true (fabs (point->latitude) <= 90);
    g_assert_true (fabs (point->longitude) <= 180);
    g_assert_true (isnan (point->elevation) || isfinite (point->elevation));
  }
  return 0;
}
