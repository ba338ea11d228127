/* yun-cloud-random.c: deterministic choices for the data generators
 *
 * The generators draw from a GRand seeded with a fixed number, so the
 * same seed gives the same data on every machine and every start.  These
 * helpers add what GRand lacks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "yun-cloud-random.h"

#include <math.h>

/* Users who wrote the generated reviews and joined the generated deals. */
const char * const yun_cloud_random_users[] = {
  "wang_lei", "li.na", "zhang_wei", "liu_yang", "chen.jing", "yang_fan", "zhao_min",
  "huang_li", "zhou_jie", "wu_xia", "xu_ming", "sun_hao", "hu_yan", "zhu_qiang",
  "gao_ling", "lin_tao", "he_ping", "guo_hui", "ma_lin", "luo_bin", "liang_yu",
  "song_jia", "zheng_kai", "xie_fang", "han_bo", "tang_rui", "feng_xue", "yu_chen",
  "dong_mei", "xiao_long", "cheng_hong", "cao_ying", "yuan_jun", "deng_li", "xu_lan",
  "fu_qing", "shen_yi", "zeng_wen", "peng_fei", "lu_xin",
};

const guint yun_cloud_random_n_users = G_N_ELEMENTS (yun_cloud_random_users);

/* FNV-1a of @text, mixed with @salt: a stable number for drawing things
 * (icons, screenshots) from an id at request time. */
guint32
yun_cloud_random_hash (const char *text,
                       guint32     salt)
{
  guint32 hash = 2166136261u ^ salt;

  for (const unsigned char *p = (const unsigned char *) text; *p != '\0'; p++) {
    hash ^= *p;
    hash *= 16777619u;
  }
  return hash;
}

/* A number between @low and @high whose logarithm is uniform: sizes,
 * counts and prices spread the way real ones do. */
double
yun_cloud_random_log_range (GRand  *rand,
                            double  low,
                            double  high)
{
  return exp (g_rand_double_range (rand, log (low), log (high)));
}

/* "Jade Ledger Pro" → "jade-ledger-pro": lowercase ASCII letters and
 * digits, runs of anything else made one hyphen. */
char *
yun_cloud_random_slug (const char *name)
{
  GString *slug = g_string_new (NULL);

  for (const char *p = name; *p != '\0'; p++) {
    if (g_ascii_isalnum (*p))
      g_string_append_c (slug, g_ascii_tolower (*p));
    else if (slug->len > 0 && slug->str[slug->len - 1] != '-')
      g_string_append_c (slug, '-');
  }
  while (slug->len > 0 && slug->str[slug->len - 1] == '-')
    g_string_truncate (slug, slug->len - 1);

  return g_string_free (slug, FALSE);
}

static double
hue_to_rgb (double p,
            double q,
            double t)
{
  if (t < 0)
    t += 1;
  if (t > 1)
    t -= 1;
  if (t < 1.0 / 6)
    return p + (q - p) * 6 * t;
  if (t < 1.0 / 2)
    return q;
  if (t < 2.0 / 3)
    return p + (q - p) * (2.0 / 3 - t) * 6;
  return p;
}

/* Returns: (transfer full): "#rrggbb" for a hue in [0, 1) */
char *
yun_cloud_random_hsl (double hue,
                      double saturation,
                      double lightness)
{
  double q = lightness < 0.5 ? lightness * (1 + saturation)
                             : lightness + saturation - lightness * saturation;
  double p = 2 * lightness - q;

  return g_strdup_printf ("#%02x%02x%02x",
                          (int) lround (255 * hue_to_rgb (p, q, hue + 1.0 / 3)),
                          (int) lround (255 * hue_to_rgb (p, q, hue)),
                          (int) lround (255 * hue_to_rgb (p, q, hue - 1.0 / 3)));
}

/* Returns: (transfer full): a colour of random hue */
char *
yun_cloud_random_color (GRand  *rand,
                        double  saturation,
                        double  lightness)
{
  return yun_cloud_random_hsl (g_rand_double (rand), saturation, lightness);
}
