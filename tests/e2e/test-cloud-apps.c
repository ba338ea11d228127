/* test-cloud-apps.c: the store and the three cloud apps in the real shell,
 * on the real yun-cloud serving webapps/.
 *
 * One flow per app, as a new user would go: the store asks for the
 * "apps" permission and installs Local, Prices and Group buying through
 * navigator.yun.apps (their tiles appear on the home screen); Local asks
 * for the position and lists places with their distance from it (the
 * shell's --location fixed:30.25,120.14) and takes a review's photo with
 * the shell's viewfinder (--camera test); Prices delivers a price alert as
 * a shell notification; Group buying shares a deal with a contact chosen
 * in the shell's Contact Picker (the contact is seeded through the
 * built-in Contacts app) and the shell's share sheet, which makes a link
 * through the user's new cloud account.  Screenshots of each app are saved beside the
 * test (store.png, local.png, prices.png, groupbuy.png) for docs/.  Last,
 * with yun-cloud stopped, Local, Prices and Group buying are closed and
 * opened again: each shows the list and the entry loaded before, says it
 * is offline, and an action that needs the cloud says it cannot reach it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <math.h>
#include <string.h>

#include "yun-e2e.h"

#define WAIT_SECONDS 60
#define LAT 30.25
#define LON 120.14

static YunE2e *e2e;

/* Calls an automation method whose reply says nothing more than that it
 * worked (yun_e2e_call() fails the test otherwise). */
static void
call_and_forget (const char *method,
                 GVariant   *parameters)
{
  g_variant_unref (yun_e2e_call (e2e, method, parameters));
}

/* Polls @script in @app_id's page until its value is not null, answering
 * "always" to any permission question meanwhile.  Scripts sent while the
 * page is being replaced may fail; they are asked again. */
static JsonNode *
wait_answering (const char *app_id,
                const char *script)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;

  for (;;) {
    g_autoptr(GVariant) prompt = yun_e2e_call (e2e, "GetPrompt", NULL);
    g_autoptr(JsonNode) value = NULL;
    g_autoptr(GError) error = NULL;
    gboolean open = FALSE;

    g_variant_get (prompt, "(b&s&s&s&s)", &open, NULL, NULL, NULL, NULL);
    if (open)
      call_and_forget ("AnswerPrompt", g_variant_new ("(s)", "always"));
    value = yun_e2e_eval (e2e, app_id, script, &error);
    if (value != NULL && !JSON_NODE_HOLDS_NULL (value))
      return g_steal_pointer (&value);
    if (g_get_monotonic_time () > deadline) {
      g_autoptr(JsonNode) page = yun_e2e_eval (e2e, app_id,
                                               "return location.href + '\\n' +"
                                               "  document.body.innerText.slice (0, 500);", NULL);

      g_error ("waited %d s in %s for: %s (last error: %s; the page: %s)", WAIT_SECONDS, app_id,
               script, error != NULL ? error->message : "none",
               page != NULL ? json_node_get_string (page) : "?");
    }
    g_usleep (100 * 1000);
  }
}

static void
wait_until (const char *app_id,
            const char *script)
{
  json_node_unref (wait_answering (app_id, script));
}

/* Waits for the shell's permission question about @permission from
 * @app_name and answers "always"; returns the reason it showed. */
static char *
answer_prompt (const char *app_name,
               const char *permission)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;

  for (;;) {
    g_autoptr(GVariant) prompt = yun_e2e_call (e2e, "GetPrompt", NULL);
    gboolean open = FALSE;
    const char *name = NULL, *asked = NULL, *reason = NULL;

    g_variant_get (prompt, "(b&s&s&s&s)", &open, &name, &asked, NULL, &reason);
    if (open) {
      char *shown = g_strdup (reason);

      g_assert_cmpstr (name, ==, app_name);
      g_assert_cmpstr (asked, ==, permission);
      call_and_forget ("AnswerPrompt", g_variant_new ("(s)", "always"));
      return shown;
    }
    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    g_usleep (50 * 1000);
  }
}

static void
launch (const char *app_id)
{
  call_and_forget ("Launch", g_variant_new ("(s)", app_id));
}

static gboolean
is_installed (const char *app_id)
{
  g_autoptr(GVariant) reply = yun_e2e_call (e2e, "ListInstalled", NULL);
  g_auto(GStrv) ids = NULL;

  g_variant_get (reply, "(^as)", &ids);
  return g_strv_contains ((const char * const *) ids, app_id);
}

/* Whether the home screen shows an installed app's tile for @app_id. */
static gboolean
has_home_tile (const char *app_id)
{
  g_autoptr(GVariant) reply = yun_e2e_call (e2e, "GetHomeTiles", NULL);
  g_autoptr(GVariantIter) tiles = NULL;
  GVariant *tile;

  g_variant_get (reply, "(aa{sv})", &tiles);
  while ((tile = g_variant_iter_next_value (tiles)) != NULL) {
    const char *id = NULL, *place = NULL;
    gboolean found = g_variant_lookup (tile, "app_id", "&s", &id) &&
                     g_strcmp0 (id, app_id) == 0 &&
                     g_variant_lookup (tile, "place", "&s", &place) &&
                     (g_str_equal (place, "grid") || g_str_equal (place, "dock"));

    g_variant_unref (tile);
    if (found)
      return TRUE;
  }
  return FALSE;
}

/* Saves what the shell shows as @name beside the test, once @app_id's
 * page has settled, and checks it is a picture of the phone's screen. */
static void
screenshot (const char *app_id,
            const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_BUILT, name, NULL);
  g_autoptr(GdkPixbuf) picture = NULL;
  g_autoptr(GError) error = NULL;

  wait_until (app_id, "await new Promise ((r) => requestAnimationFrame (() => "
                      "  requestAnimationFrame (r)));"
                      "return true;");
  g_usleep (300 * 1000);
  call_and_forget ("Screenshot", g_variant_new ("(s)", path));
  picture = gdk_pixbuf_new_from_file (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (picture), ==, 360);
  g_assert_cmpint (gdk_pixbuf_get_height (picture), ==, 760);
  g_test_message ("%s saved to %s", app_id, path);
}

/* Store ----------------------------------------------------------------- */

static void
test_store_asks_for_the_apps_permission (void)
{
  g_autoptr(JsonNode) started = NULL;
  g_autoptr(JsonNode) listed = NULL;
  g_autofree char *reason = NULL;

  started = wait_answering ("store",
                            "if (document.readyState !== 'complete' || !navigator.yun?.apps)"
                            "  return null;"
                            "window.listed = navigator.yun.apps.list ();"
                            "return true;");
  reason = answer_prompt ("Yun Store", "apps");
  g_assert_cmpstr (reason, ==, "Install, update and remove the apps you choose in the store.");
  listed = wait_answering ("store", "return await window.listed;");
  g_assert_true (JSON_NODE_HOLDS_ARRAY (listed));
}

/* Opens @app_id's page in the store, presses Install and waits for the
 * store to say it is installed. */
static void
install_from_store (const char *app_id)
{
  g_autofree char *open = g_strdup_printf (
    "if (document.readyState !== 'complete') return null;"
    "location.hash = '#/app/%s';"
    "return true;", app_id);
  g_autoptr(JsonNode) seen = NULL;
  g_autoptr(JsonNode) message = NULL;
  g_autoptr(JsonNode) record = NULL;
  g_autofree char *get = NULL;
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;
  JsonArray *events;
  JsonObject *last;
  double fraction = 0;

  g_assert_false (is_installed (app_id));
  wait_until ("store", open);
  wait_until ("store",
              "const b = [...document.querySelectorAll ('#install button')]"
              "  .find ((e) => e.textContent === 'Install');"
              "if (!b) return null;"
              "window.progressSeen = [];"
              "navigator.yun.apps.addEventListener ('progress', (e) => window.progressSeen.push (e.detail));"
              "b.click ();"
              "return true;");
  message = wait_answering ("store",
                            "const m = document.querySelector ('#install .status');"
                            "return m && /installed|could not|not allowed|damaged|network|space/i"
                            "  .test (m.textContent) ? m.textContent : null;");
  g_assert_true (g_str_has_suffix (json_node_get_string (message), "is installed."));

  /* The page heard the install go from download to done. */
  seen = wait_answering ("store", "return window.progressSeen;");
  events = json_node_get_array (seen);
  g_assert_cmpuint (json_array_get_length (events), >=, 2);
  for (guint i = 0; i < json_array_get_length (events); i++) {
    JsonObject *event = json_array_get_object_element (events, i);

    g_assert_cmpstr (json_object_get_string_member (event, "id"), ==, app_id);
    g_assert_cmpfloat (json_object_get_double_member (event, "fraction"), >=, fraction);
    fraction = json_object_get_double_member (event, "fraction");
  }
  last = json_array_get_object_element (events, json_array_get_length (events) - 1);
  g_assert_cmpstr (json_object_get_string_member (last, "phase"), ==, "done");
  g_assert_cmpfloat (fraction, ==, 1.0);

  /* The phone has it, the store's page says so, and so does the home
   * screen. */
  g_assert_true (is_installed (app_id));
  get = g_strdup_printf ("return await navigator.yun.apps.get ({ id: '%s' });", app_id);
  record = wait_answering ("store", get);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (record), "source"), ==,
                   "hosted");
  wait_until ("store",
              "return [...document.querySelectorAll ('#install button')]"
              "  .some ((e) => e.textContent === 'Uninstall') || null;");
  while (!has_home_tile (app_id)) {
    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    g_usleep (100 * 1000);
  }
}

static void
test_store_installs_local (void)
{
  install_from_store ("local");
  wait_until ("store", "document.getElementById ('install').scrollIntoView ({ block: 'center' });"
                       "return true;");
  screenshot ("store", "store.png");
}

static void
test_store_installs_prices_and_groupbuy (void)
{
  install_from_store ("prices");
  install_from_store ("groupbuy");
}

static void
test_other_apps_cannot_use_apps (void)
{
  g_autoptr(JsonNode) refused = NULL;
  g_autoptr(GVariant) prompt = NULL;
  const char *permission = NULL;
  gboolean open = TRUE;

  /* Local is installed but not the store: refused, and nobody asked about
   * "apps" (Local may be asking for its location by now). */
  launch ("local");
  /* Its location question, if any, is left for the next test. */
  refused = yun_e2e_wait_for (e2e, "local",
                              "if (!navigator.yun?.apps) return null;"
                              "try { await navigator.yun.apps.list (); return 'listed'; }"
                              "catch (e) { return e.name; }");
  g_assert_cmpstr (json_node_get_string (refused), ==, "NotAllowedError");
  prompt = yun_e2e_call (e2e, "GetPrompt", NULL);
  g_variant_get (prompt, "(b&s&s&s&s)", &open, NULL, &permission, NULL, NULL);
  g_assert_true (!open || g_strcmp0 (permission, "apps") != 0);
}

/* Local ----------------------------------------------------------------- */

static void
test_local_lists_places_near_the_position (void)
{
  g_autofree char *reason = NULL;
  g_autofree char *compare = NULL;
  g_autoptr(JsonNode) shown = NULL;
  g_autoptr(JsonNode) same = NULL;
  JsonObject *found;
  JsonArray *distances;

  launch ("local");
  reason = answer_prompt ("Yun Local", "location");
  g_assert_cmpstr (reason, ==, "Show the places near where you are, nearest first.");

  /* The list for the position, nearest first, each with its distance. */
  shown = wait_answering ("local",
                          "const items = [...document.querySelectorAll ('#places [data-distance]')];"
                          "if (items.length < 5 || /Finding|city centre/.test ("
                          "    document.getElementById ('status').textContent)) return null;"
                          "return items.map ((e) => Number (e.dataset.distance));");
  distances = json_node_get_array (shown);
  for (guint i = 1; i < json_array_get_length (distances); i++)
    g_assert_cmpfloat (json_array_get_double_element (distances, i - 1), <=,
                       json_array_get_double_element (distances, i));

  /* They are the cloud's places around the fixed position, not around the
   * city centre. */
  compare = g_strdup_printf (
    "const r = await fetch ('/api/local/places?radius=20000&limit=20&lat=%f&lon=%f');"
    "const page = await r.json ();"
    "const ids = [...document.querySelectorAll ('#places [data-place]')]"
    "  .slice (0, 5).map ((e) => e.dataset.place);"
    "const expected = page.items.slice (0, 5).map ((p) => String (p.id)).join ();"
    "if (ids.join () !== expected) return null;"
    "return { origin: page.origin, shown: ids.join (), expected };", LAT, LON);
  same = wait_answering ("local", compare);
  found = json_node_get_object (same);
  g_test_message ("origin: %s", json_to_string (json_object_get_member (found, "origin"), FALSE));
  g_assert_false (json_object_get_boolean_member (json_object_get_object_member (found, "origin"),
                                                  "default"));
  g_assert_cmpstr (json_object_get_string_member (found, "shown"), ==,
                   json_object_get_string_member (found, "expected"));
  screenshot ("local", "local.png");
}

static gboolean
camera_open (void)
{
  g_autoptr(GVariant) reply = yun_e2e_call (e2e, "GetCamera", NULL);
  gboolean open = FALSE;

  g_variant_get (reply, "(b&s&s)", &open, NULL, NULL);
  return open;
}

static void
test_local_review_with_a_camera_photo (void)
{
  g_autoptr(JsonNode) saved = NULL;
  g_autoptr(JsonNode) edited = NULL;
  g_autoptr(JsonNode) mine = NULL;
  g_autofree char *reason = NULL;
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;
  JsonObject *review;

  wait_until ("local",
              "const a = document.querySelector ('#places a[data-place]');"
              "if (!a) return null;"
              "location.hash = a.getAttribute ('href');"
              "return true;");
  wait_until ("local",
              "const form = document.getElementById ('review-form');"
              "if (!form) return null;"
              "form.querySelector ('#rating-4').checked = true;"
              "form.querySelector ('#review-text').value = 'Good tea by the lake';"
              "form.querySelector ('#photo').click ();"
              "return true;");

  /* The photo comes from the shell's viewfinder (GStreamer's test
   * source), after the camera question. */
  reason = answer_prompt ("Yun Local", "camera");
  g_assert_cmpstr (reason, ==, "Take a photo for the review you are writing.");
  while (!camera_open ()) {
    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    g_usleep (50 * 1000);
  }
  call_and_forget ("Shutter", NULL);
  wait_until ("local",
              "const preview = document.querySelector ('#review-form .preview');"
              "if (!preview || preview.hidden || !preview.complete || !preview.naturalWidth)"
              "  return null;"
              "document.querySelector ('#review-form button[type=submit]').click ();"
              "return true;");
  saved = wait_answering ("local",
                          "const m = document.querySelector ('#review-form .status');"
                          "return m && /saved|could|error/i.test (m.textContent) ? m.textContent : null;");
  g_assert_cmpstr (json_node_get_string (saved), ==, "Your review is saved.");
  edited = wait_answering ("local",
                           "return document.getElementById ('review-heading').textContent === "
                           "  'Edit your review' && document.body.innerText.includes ("
                           "  'Good tea by the lake') || null;");

  /* The cloud has the review with the photo, one per user and place. */
  mine = wait_answering ("local",
                         "const id = location.hash.split ('/')[2];"
                         "const r = await fetch (`/api/local/places/${id}/reviews/mine`,"
                         "  { headers: { 'X-Yun-User': localStorage.getItem ('yun-user') } });"
                         "return r.ok ? await r.json () : null;");
  review = json_node_get_object (mine);
  g_assert_cmpint (json_object_get_int_member (review, "rating"), ==, 4);
  g_assert_cmpstr (json_object_get_string_member (review, "text"), ==, "Good tea by the lake");
  g_assert_false (json_object_get_null_member (review, "photo"));
  g_assert_nonnull (json_object_get_string_member (review, "photo_url"));
}

/* Prices ---------------------------------------------------------------- */

static gboolean
has_notification (const char *app_id,
                  const char *title,
                  char      **body)
{
  g_autoptr(GVariant) reply = yun_e2e_call (e2e, "ListNotifications", NULL);
  g_autoptr(GVariantIter) entries = NULL;
  const char *from, *shown_title, *shown_body;

  g_variant_get (reply, "(a(usssx))", &entries);
  while (g_variant_iter_next (entries, "(u&s&s&sx)", NULL, &from, &shown_title, &shown_body,
                              NULL)) {
    if (g_str_equal (from, app_id) && g_str_equal (shown_title, title)) {
      *body = g_strdup (shown_body);
      return TRUE;
    }
  }
  return FALSE;
}

static void
test_prices_alert_arrives_as_a_notification (void)
{
  g_autoptr(JsonNode) product = NULL;
  g_autofree char *body = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *set = NULL;
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;
  JsonObject *chosen;
  gint64 best;

  launch ("prices");
  product = wait_answering ("prices",
                            "if (document.readyState !== 'complete') return null;"
                            "const r = await fetch ('/api/prices/products?limit=1');"
                            "const p = (await r.json ()).items[0];"
                            "location.hash = '#/product/' + p.id;"
                            "return p;");
  chosen = json_node_get_object (product);
  best = json_object_get_int_member (chosen, "best_total_fen");
  g_assert_cmpint (best, >, 0);

  /* An alert above the best price: it is already met. */
  set = g_strdup_printf ("const input = document.getElementById ('below');"
                         "if (!input) return null;"
                         "input.value = '%.2f';"
                         "document.querySelector ('#alert-form button[type=submit]').click ();"
                         "return true;", (best + 100) / 100.0);
  wait_until ("prices", set);
  reason = answer_prompt ("Yun Prices", "notifications");
  g_assert_cmpstr (reason, ==, "Tell you when a price you are watching drops below your alert.");

  while (!has_notification ("prices", "Price drop", &body)) {
    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    g_usleep (100 * 1000);
  }
  g_assert_nonnull (strstr (body, json_object_get_string_member (chosen, "name")));
  g_assert_nonnull (strstr (body, "below your"));
  wait_until ("prices",
              "const m = document.querySelector ('#alert-form .status');"
              "return m && m.textContent.startsWith ('We will tell you') || null;");
  screenshot ("prices", "prices.png");
}

/* Group buying ---------------------------------------------------------- */

static void
test_groupbuy_shares_a_deal_with_a_contact (void)
{
  g_autoptr(JsonNode) seeded = NULL;
  g_autoptr(JsonNode) deal = NULL;
  g_autoptr(GVariant) picker = NULL;
  g_autoptr(GVariantIter) rows = NULL;
  g_autoptr(JsonNode) shared = NULL;
  g_autoptr(JsonNode) registered = NULL;
  g_autoptr(GVariant) sheet = NULL;
  g_autofree char *wei = NULL;
  g_autofree char *deal_url = NULL;
  const char *state, *text, *url, *said;
  const char *app_name = NULL;
  const char *id, *label;
  const char *ids[2] = { NULL, NULL };

  /* A friend in the address book, through the built-in Contacts app. */
  launch ("contacts");
  seeded = wait_answering ("contacts",
                           "if (!navigator.yun?.contacts) return null;"
                           "const c = await navigator.yun.contacts.save ({ contact: {"
                           "  name: { formatted: 'Wei Zhang' }, tel: [{ value: '+86 138 0000 1111' }] } });"
                           "return c.id;");

  launch ("groupbuy");
  deal = wait_answering ("groupbuy",
                         "if (document.readyState !== 'complete') return null;"
                         "const r = await fetch ('/api/groupbuy/deals?limit=1');"
                         "const d = (await r.json ()).items[0];"
                         "location.hash = '#/deal/' + d.id;"
                         "return d;");
  /* The phone's share sheet makes links through the user's cloud
   * account: sign the phone in to a new one. */
  registered = wait_answering ("groupbuy",
                               "const r = await fetch ('/accounts', { method: 'POST',"
                               "  headers: { 'Content-Type': 'application/json' },"
                               "  body: JSON.stringify ({ name: 'dealer', password: 'deal-pass-1' }) });"
                               "return r.status;");
  g_assert_cmpint (json_node_get_int (registered), ==, 201);
  call_and_forget ("SyncSignIn", g_variant_new ("(ss)", "dealer", "deal-pass-1"));

  /* The automation's scripts count as the user's taps, which the share
   * sheet needs; the picker and the sheet are the shell's own. */
  wait_until ("groupbuy",
              "const b = document.getElementById ('share-contacts');"
              "if (!b) return null;"
              "b.click ();"
              "return true;");
  picker = yun_e2e_wait_for_contact_picker (e2e);
  g_variant_get (picker, "(b&s^a&sba(ss))", NULL, &app_name, NULL, NULL, &rows);
  g_assert_cmpstr (app_name, ==, "Deals");
  while (g_variant_iter_next (rows, "(&s&s)", &id, &label)) {
    if (g_str_has_prefix (label, "Wei Zhang"))
      wei = g_strdup (id);
  }
  g_assert_nonnull (wei);
  ids[0] = wei;
  call_and_forget ("AnswerContactPicker", g_variant_new ("(^as)", ids));

  /* The picker used up the tap that opened it; Share is a tap of its own. */
  wait_until ("groupbuy",
              "const m = document.querySelector ('#share-box .status');"
              "if (!m || m.textContent !== 'Tap Share to send this deal to Wei Zhang.') return null;"
              "document.getElementById ('share').click ();"
              "return true;");

  /* The deal's text and link reach the sheet, which makes a link. */
  deal_url = g_strdup_printf ("#/deal/%s",
                              json_object_get_string_member (json_node_get_object (deal), "id"));
  for (gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;;) {
    g_clear_pointer (&sheet, g_variant_unref);
    sheet = yun_e2e_call (e2e, "GetShareSheet", NULL);
    g_variant_get (sheet, "(&s&s&s&s&s&s)", &state, NULL, NULL, &text, &url, &said);
    if (g_str_equal (state, "asking"))
      break;
    if (g_get_monotonic_time () > deadline) {
      g_autoptr(JsonNode) status = yun_e2e_eval (e2e, "groupbuy",
                                                 "return document.querySelector ('#share-box .status').textContent;", NULL);
      g_error ("the share sheet is %s (%s), not asking; the page says %s", state, said,
               status != NULL ? json_node_get_string (status) : "?");
    }
    g_usleep (50 * 1000);
  }
  g_assert_true (g_str_has_suffix (url, deal_url));
  g_assert_nonnull (strstr (text, deal_url));
  call_and_forget ("AnswerShareSheet", g_variant_new ("(ss)", "link", ""));

  shared = wait_answering ("groupbuy",
                           "const m = document.querySelector ('#share-box .status');"
                           "return m && !m.textContent.startsWith ('Tap Share') ? m.textContent : null;");
  g_assert_cmpstr (json_node_get_string (shared), ==, "Shared with Wei Zhang.");
  call_and_forget ("AnswerShareSheet", g_variant_new ("(ss)", "close", ""));
  screenshot ("groupbuy", "groupbuy.png");
}

/* Offline -------------------------------------------------------------- */

/* What an app showed online: @list_script's value on its start page and
 * @detail_script's on the page of the list's first entry, @detail_hash
 * followed by that entry's id. */
typedef struct {
  const char *app_id;
  const char *list_script;
  const char *detail_hash;
  const char *detail_script;
  const char *action_script;
  const char *message_script;
  char *list;
  char *detail;
} Shown;

/* Shows @shown's list and the first entry's page, and returns once the
 * service worker keeps the app's files, as after a first visit. */
static void
visit_online (Shown *shown)
{
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(JsonNode) detail = NULL;
  g_autofree char *open = NULL;

  launch (shown->app_id);
  wait_until (shown->app_id, "if (document.readyState !== 'complete') return null;"
                             "location.hash = '#/';"
                             "return true;");
  list = wait_answering (shown->app_id, shown->list_script);
  shown->list = g_strdup (json_node_get_string (list));
  open = g_strdup_printf ("location.hash = '%s' + '%s'.split (',')[0]; return true;",
                          shown->detail_hash, shown->list);
  wait_until (shown->app_id, open);
  detail = wait_answering (shown->app_id, shown->detail_script);
  shown->detail = g_strdup (json_node_get_string (detail));
  wait_until (shown->app_id,
              "const r = await navigator.serviceWorker.getRegistration ();"
              "return r?.active?.state === 'activated' || null;");
}

/* Waits until @script's value in @app_id's page is the string @expected. */
static void
wait_for_string (const char *app_id,
                 const char *script,
                 const char *expected)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;

  for (;;) {
    g_autoptr(JsonNode) value = wait_answering (app_id, script);

    if (g_strcmp0 (json_node_get_string (value), expected) == 0)
      return;
    if (g_get_monotonic_time () > deadline)
      g_error ("%s shows \"%s\", not \"%s\"", app_id, json_node_get_string (value), expected);
    g_usleep (100 * 1000);
  }
}

/* Closes @shown's app and opens it again with the cloud gone: it loads
 * afresh, shows the same list and entry, says it is offline, and an action
 * that needs the cloud fails with a message saying so. */
static void
check_offline (Shown *shown)
{
  g_autofree char *fresh_list = g_strdup_printf ("if (window.beforeReopen) return null; %s",
                                                 shown->list_script);
  g_autofree char *open = g_strdup_printf ("location.hash = '%s' + '%s'.split (',')[0]; return true;",
                                           shown->detail_hash, shown->list);
  g_autoptr(JsonNode) notice = NULL;
  g_autoptr(JsonNode) message = NULL;

  wait_until (shown->app_id, "window.beforeReopen = true; return true;");
  yun_e2e_activate_action (e2e, "close-app", g_variant_new_string (shown->app_id));
  launch (shown->app_id);
  wait_for_string (shown->app_id, fresh_list, shown->list);
  notice = wait_answering (shown->app_id,
                           "return document.getElementById ('offline')?.textContent || null;");
  g_test_message ("%s offline: %s", shown->app_id, json_node_get_string (notice));
  g_assert_true (g_str_has_prefix (json_node_get_string (notice), "You are offline: showing what "
                                   "was loaded on "));

  wait_until (shown->app_id, open);
  wait_for_string (shown->app_id, shown->detail_script, shown->detail);
  wait_until (shown->app_id, shown->action_script);
  message = wait_answering (shown->app_id, shown->message_script);
  g_assert_cmpstr (json_node_get_string (message), ==,
                   "Could not reach the cloud. Check your connection and try again.");
}

static void
test_apps_open_offline_with_what_was_loaded (void)
{
  Shown apps[] = {
    { "local",
      "const items = [...document.querySelectorAll ('#places [data-place]')];"
      "if (items.length < 5 || /Finding/.test (document.getElementById ('status').textContent))"
      "  return null;"
      "return items.map ((e) => e.dataset.place).join ();",
      "#/place/",
      "const name = document.getElementById ('place-name');"
      "return name && document.querySelector ('#reviews .review, #reviews p') ?"
      "  name.textContent + ': ' + document.getElementById ('reviews').textContent : null;",
      "const form = document.getElementById ('review-form');"
      "if (!form) return null;"
      "form.querySelector ('#rating-2').checked = true;"
      "form.querySelector ('#review-text').value = 'Written on the train';"
      "form.querySelector ('button[type=submit]').click ();"
      "return true;",
      "const m = document.querySelector ('#review-form .status.error');"
      "return m?.textContent || null;" },
    { "prices",
      "const items = [...document.querySelectorAll ('#products [data-product]')];"
      "return items.length ? items.map ((e) => e.dataset.product).join () : null;",
      "#/product/",
      "const rows = [...document.querySelectorAll ('#offers tbody tr')];"
      "return rows.length ? document.getElementById ('product-name').textContent + ': ' +"
      "  rows.map ((r) => r.dataset.total).join () : null;",
      "const input = document.getElementById ('below');"
      "if (!input) return null;"
      "input.value = '1.00';"
      "document.querySelector ('#alert-form button[type=submit]').click ();"
      "return true;",
      "const m = document.querySelector ('#alert-form .status.error');"
      "return m?.textContent || null;" },
    { "groupbuy",
      "const items = [...document.querySelectorAll ('#deals [data-deal]')];"
      "return items.length ? items.map ((e) => e.dataset.deal).join () : null;",
      "#/deal/",
      "const t = document.getElementById ('deal-title');"
      "return t ? t.textContent + ': ' + document.getElementById ('joined').textContent : null;",
      "const b = document.querySelector ('#join, #leave');"
      "if (!b || b.disabled) return null;"
      "b.click ();"
      "return true;",
      "const m = document.querySelector ('#join-status.error');"
      "return m?.textContent || null;" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (apps); i++)
    visit_online (&apps[i]);

  yun_e2e_stop_cloud (e2e);
  for (guint i = 0; i < G_N_ELEMENTS (apps); i++) {
    check_offline (&apps[i]);
    g_free (apps[i].list);
    g_free (apps[i].detail);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *location = g_strdup_printf ("fixed:%.2f,%.2f", LAT, LON);
  const char *shell_args[] = { "--location", location, "--camera", "test", NULL };
  int status;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/yun/e2e/cloud-apps/store/asks-for-the-apps-permission",
                   test_store_asks_for_the_apps_permission);
  g_test_add_func ("/yun/e2e/cloud-apps/store/installs-local", test_store_installs_local);
  g_test_add_func ("/yun/e2e/cloud-apps/store/installs-prices-and-groupbuy",
                   test_store_installs_prices_and_groupbuy);
  g_test_add_func ("/yun/e2e/cloud-apps/store/other-apps-cannot-use-apps",
                   test_other_apps_cannot_use_apps);
  g_test_add_func ("/yun/e2e/cloud-apps/local/lists-places-near-the-position",
                   test_local_lists_places_near_the_position);
  g_test_add_func ("/yun/e2e/cloud-apps/local/review-with-a-camera-photo",
                   test_local_review_with_a_camera_photo);
  g_test_add_func ("/yun/e2e/cloud-apps/prices/alert-arrives-as-a-notification",
                   test_prices_alert_arrives_as_a_notification);
  g_test_add_func ("/yun/e2e/cloud-apps/groupbuy/shares-a-deal-with-a-contact",
                   test_groupbuy_shares_a_deal_with_a_contact);
  /* Last: it stops the cloud. */
  g_test_add_func ("/yun/e2e/cloud-apps/offline/apps-open-with-what-was-loaded",
                   test_apps_open_offline_with_what_was_loaded);

  e2e = yun_e2e_start_full (g_getenv ("YUN_WEBAPPS_DIR"), "store", shell_args, TRUE);
  status = g_test_run ();
  yun_e2e_stop (e2e);
  return status;
}
