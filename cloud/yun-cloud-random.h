/* yun-cloud-random.h: deterministic choices for the data generators
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define YUN_CLOUD_PICK(rand, array) ((array)[g_rand_int_range ((rand), 0, G_N_ELEMENTS (array))])

extern const char * const yun_cloud_random_users[];
extern const guint yun_cloud_random_n_users;

guint32  yun_cloud_random_hash     (const char  *text,
                                    guint32      salt);
double   yun_cloud_random_log_range (GRand      *rand,
                                    double       low,
                                    double       high);
char    *yun_cloud_random_slug     (const char  *name);
char    *yun_cloud_random_color    (GRand       *rand,
                                    double       saturation,
                                    double       lightness);
char    *yun_cloud_random_hsl      (double       hue,
                                    double       saturation,
                                    double       lightness);

G_END_DECLS
