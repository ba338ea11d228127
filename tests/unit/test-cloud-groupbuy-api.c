/* test-cloud-groupbuy-api.c: the group-buying API on a real yun-cloud
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A real YunCloudServer on 127.0.0.1 with real SQLite files in a temporary
 * folder, driven over real HTTP; the concurrency test sends its requests
 * from several threads, each with its own connection, while the server
 * answers on the main thread.  The deals' database is read behind the
 * API's back to count the buyers.
 */

#include "config.h"

#include "yun-test-cloud-api.h"

#include <string.h>

#define THREADS 8
#define REQUESTS_PER_THREAD 25
#define DISTINCT_BUYERS 150

typedef struct {
  YunTestCloud *cloud;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  user_data)
{
  fixture->cloud = yun_test_cloud_new (NULL);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_clear_pointer (&fixture->cloud, yun_test_cloud_free);
}

static YunTestResponse *
get (Fixture    *fixture,
     const char *path)
{
  return yun_test_cloud_get (fixture->cloud, path);
}

/* The first deal @accept takes, as an object the caller owns. */
static JsonObject *
find_deal (Fixture     *fixture,
           const char  *state,
           gboolean   (*accept) (JsonObject *deal))
{
  g_autofree char *path = g_strdup_printf ("api/groupbuy/deals?state=%s&limit=100", state);
  g_autoptr(YunTestResponse) response = get (fixture, path);
  JsonArray *items = yun_test_page_items (response);

  for (guint i = 0; i < json_array_get_length (items); i++) {
    JsonObject *deal = json_array_get_object_element (items, i);

    if (accept (deal))
      return json_object_ref (deal);
  }
  g_error ("the generated deals have none of the kind this test needs");
}

static JsonObject *
deal_now (Fixture    *fixture,
          const char *id)
{
  g_autofree char *path = g_strconcat ("api/groupbuy/deals/", id, NULL);
  g_autoptr(YunTestResponse) response = get (fixture, path);

  return json_object_ref (yun_test_response_object (response, 200));
}

static guint
buyers_in_db (Fixture    *fixture,
              const char *id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count (*) FROM buyers WHERE deal = '%s'", id);

  return yun_test_cloud_count (fixture->cloud, "groupbuy.db", sql);
}

static YunTestResponse *
join (Fixture    *fixture,
      const char *id,
      const char *user,
      const char *method)
{
  g_autofree char *path = g_strconcat ("api/groupbuy/deals/", id, "/buyers/mine", NULL);

  return yun_test_cloud_request (fixture->cloud, method, path, user, NULL, NULL, 0);
}

static void
test_open_deals_count_down (Fixture       *fixture,
                            gconstpointer  user_data)
{
  g_autoptr(YunTestResponse) response = get (fixture, "api/groupbuy/deals?limit=100");
  JsonObject *page = yun_test_response_object (response, 200);
  JsonArray *items = yun_test_page_items (response);
  gint64 now = json_object_get_int_member (page, "server_time_ms");
  gint64 last = 0;

  g_assert_cmpuint (json_array_get_length (items), >, 10);
  for (guint i = 0; i < json_array_get_length (items); i++) {
    JsonObject *deal = json_array_get_object_element (items, i);
    gint64 deadline = json_object_get_int_member (deal, "deadline_ms");

    g_assert_false (json_object_get_boolean_member (deal, "ended"));
    g_assert_cmpint (deadline, >, now);
    g_assert_cmpint (deadline, >=, last);
    g_assert_cmpint (json_object_get_int_member (deal, "seconds_left"), ==, (deadline - now) / 1000);
    g_assert_cmpint (json_object_get_int_member (deal, "joined"), <=,
                     json_object_get_int_member (deal, "stock"));
    g_assert_cmpint (json_object_get_boolean_member (deal, "unlocked"), ==,
                     json_object_get_int_member (deal, "joined") >=
                     json_object_get_int_member (deal, "threshold"));
    last = deadline;
  }
}

static void
test_states (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autoptr(YunTestResponse) ended = get (fixture, "api/groupbuy/deals?state=ended&limit=100");
  g_autoptr(YunTestResponse) all = get (fixture, "api/groupbuy/deals?state=all&limit=100");
  g_autoptr(YunTestResponse) open = get (fixture, "api/groupbuy/deals?state=open&limit=100");
  g_autoptr(YunTestResponse) bad = get (fixture, "api/groupbuy/deals?state=closed");
  JsonArray *ended_items = yun_test_page_items (ended);

  g_assert_cmpuint (json_array_get_length (ended_items), >, 0);
  for (guint i = 0; i < json_array_get_length (ended_items); i++)
    g_assert_true (json_object_get_boolean_member (json_array_get_object_element (ended_items, i),
                                                   "ended"));
  g_assert_cmpuint (json_array_get_length (yun_test_page_items (all)), ==,
                    json_array_get_length (ended_items) +
                    json_array_get_length (yun_test_page_items (open)));
  yun_test_response_assert_error (bad, SOUP_STATUS_BAD_REQUEST, "bad_request");
}

static gboolean
has_room (JsonObject *deal)
{
  return json_object_get_int_member (deal, "remaining") >= 3;
}

static void
test_join_idempotent (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(JsonObject) deal = find_deal (fixture, "open", has_room);
  const char *id = json_object_get_string_member (deal, "id");
  gint64 joined = json_object_get_int_member (deal, "joined");
  g_autoptr(YunTestResponse) first = join (fixture, id, "alice", "PUT");
  g_autoptr(YunTestResponse) again = join (fixture, id, "alice", "PUT");
  g_autoptr(YunTestResponse) leave = NULL;
  g_autoptr(YunTestResponse) leave_again = NULL;
  JsonObject *answer;

  answer = yun_test_response_object (first, 201);
  g_assert_true (json_object_get_boolean_member (answer, "changed"));
  g_assert_true (json_object_get_boolean_member (answer, "mine"));
  g_assert_cmpint (json_object_get_int_member (answer, "joined"), ==, joined + 1);
  answer = yun_test_response_object (again, 200);
  g_assert_false (json_object_get_boolean_member (answer, "changed"));
  g_assert_cmpint (json_object_get_int_member (answer, "joined"), ==, joined + 1);
  g_assert_cmpuint (buyers_in_db (fixture, id), ==, joined + 1);

  leave = join (fixture, id, "alice", "DELETE");
  leave_again = join (fixture, id, "alice", "DELETE");
  g_assert_true (json_object_get_boolean_member (yun_test_response_object (leave, 200), "changed"));
  answer = yun_test_response_object (leave_again, 200);
  g_assert_false (json_object_get_boolean_member (answer, "changed"));
  g_assert_false (json_object_get_boolean_member (answer, "mine"));
  g_assert_cmpint (json_object_get_int_member (answer, "joined"), ==, joined);
  g_assert_cmpuint (buyers_in_db (fixture, id), ==, joined);
}

static gboolean
short_of_threshold (JsonObject *deal)
{
  gint64 missing = json_object_get_int_member (deal, "threshold") -
                   json_object_get_int_member (deal, "joined");

  return missing >= 2 && missing <= 40 && json_object_get_int_member (deal, "remaining") >= missing;
}

/* The deal unlocks with the buyer that meets its threshold, not before. */
static void
test_unlocks_at_threshold (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autoptr(JsonObject) deal = find_deal (fixture, "open", short_of_threshold);
  const char *id = json_object_get_string_member (deal, "id");
  gint64 missing = json_object_get_int_member (deal, "threshold") -
                   json_object_get_int_member (deal, "joined");

  g_assert_false (json_object_get_boolean_member (deal, "unlocked"));
  g_assert_true (json_object_get_null_member (deal, "unlocked_at"));
  for (gint64 i = 0; i < missing; i++) {
    g_autofree char *user = g_strdup_printf ("friend-%" G_GINT64_FORMAT, i);
    g_autoptr(YunTestResponse) response = join (fixture, id, user, "PUT");
    JsonObject *answer = yun_test_response_object (response, 201);

    g_assert_cmpint (json_object_get_boolean_member (answer, "unlocked"), ==, i == missing - 1);
  }
  {
    g_autoptr(JsonObject) now = deal_now (fixture, id);

    g_assert_true (json_object_get_boolean_member (now, "unlocked"));
    g_assert_false (json_object_get_null_member (now, "unlocked_at"));
  }
}

static gboolean
few_left (JsonObject *deal)
{
  gint64 remaining = json_object_get_int_member (deal, "remaining");

  return remaining >= 1 && remaining <= 60;
}

static void
test_sold_out (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(JsonObject) deal = find_deal (fixture, "open", few_left);
  const char *id = json_object_get_string_member (deal, "id");
  gint64 remaining = json_object_get_int_member (deal, "remaining");
  gint64 stock = json_object_get_int_member (deal, "stock");
  g_autoptr(YunTestResponse) late = NULL;
  g_autoptr(YunTestResponse) again = NULL;

  for (gint64 i = 0; i < remaining; i++) {
    g_autofree char *user = g_strdup_printf ("early-%" G_GINT64_FORMAT, i);
    g_autoptr(YunTestResponse) response = join (fixture, id, user, "PUT");

    yun_test_response_object (response, 201);
  }
  late = join (fixture, id, "late-comer", "PUT");
  yun_test_response_assert_error (late, SOUP_STATUS_CONFLICT, "conflict");
  /* A buyer already in stays in, and asking again still succeeds. */
  again = join (fixture, id, "early-0", "PUT");
  g_assert_true (json_object_get_boolean_member (yun_test_response_object (again, 200), "sold_out"));
  g_assert_cmpuint (buyers_in_db (fixture, id), ==, stock);
}

static gboolean
is_ended (JsonObject *deal)
{
  return json_object_get_boolean_member (deal, "ended");
}

static void
test_ended_refuses (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(JsonObject) deal = find_deal (fixture, "ended", is_ended);
  const char *id = json_object_get_string_member (deal, "id");
  guint before = buyers_in_db (fixture, id);
  g_autoptr(YunTestResponse) joining = join (fixture, id, "alice", "PUT");
  g_autoptr(YunTestResponse) leaving = join (fixture, id, "buyer-00001", "DELETE");

  yun_test_response_assert_error (joining, SOUP_STATUS_GONE, "gone");
  if (before > 0)
    yun_test_response_assert_error (leaving, SOUP_STATUS_GONE, "gone");
  g_assert_cmpuint (buyers_in_db (fixture, id), ==, before);
}

static void
test_bad_requests (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(JsonObject) deal = find_deal (fixture, "open", has_room);
  const char *id = json_object_get_string_member (deal, "id");
  guint before = buyers_in_db (fixture, id);
  g_autoptr(YunTestResponse) nobody = join (fixture, id, NULL, "PUT");
  g_autoptr(YunTestResponse) hostile = join (fixture, id, "' OR 1=1 --", "PUT");
  g_autoptr(YunTestResponse) unknown = join (fixture, "deal-999", "alice", "PUT");
  g_autoptr(YunTestResponse) post = join (fixture, id, "alice", "POST");
  g_autoptr(YunTestResponse) long_user = NULL;
  g_autofree char *too_long = g_strnfill (65, 'a');

  long_user = join (fixture, id, too_long, "PUT");
  yun_test_response_assert_error (nobody, SOUP_STATUS_UNAUTHORIZED, "unauthorized");
  yun_test_response_assert_error (hostile, SOUP_STATUS_BAD_REQUEST, "bad_request");
  yun_test_response_assert_error (long_user, SOUP_STATUS_BAD_REQUEST, "bad_request");
  yun_test_response_assert_error (unknown, SOUP_STATUS_NOT_FOUND, "not_found");
  yun_test_response_assert_error (post, SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed");
  g_assert_cmpuint (buyers_in_db (fixture, id), ==, before);
}

/* Concurrency: THREADS threads each send REQUESTS_PER_THREAD joins over
 * their own connections, 200 in all, for DISTINCT_BUYERS users, some of
 * them twice at once. */
typedef struct {
  const char *url;
  const char *deal;
  guint thread;
  guint created;
  guint ok;
  guint conflict;
  guint other;
  int *finished;
} Worker;

static gpointer
run_worker (gpointer user_data)
{
  Worker *worker = user_data;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(SoupSession) session = NULL;

  g_main_context_push_thread_default (context);
  session = soup_session_new_with_options ("max-conns-per-host", 4, NULL);
  soup_session_set_proxy_resolver (session, NULL);

  for (guint i = 0; i < REQUESTS_PER_THREAD; i++) {
    guint n = worker->thread * REQUESTS_PER_THREAD + i;
    g_autofree char *url = g_strdup_printf ("%sapi/groupbuy/deals/%s/buyers/mine", worker->url,
                                            worker->deal);
    g_autofree char *user = g_strdup_printf ("crowd-%03u", n % DISTINCT_BUYERS);
    g_autoptr(SoupMessage) msg = soup_message_new ("PUT", url);
    g_autoptr(GBytes) body = NULL;
    g_autoptr(GError) error = NULL;

    soup_message_headers_replace (soup_message_get_request_headers (msg), "X-Yun-User", user);
    body = soup_session_send_and_read (session, msg, NULL, &error);
    if (body == NULL) {
      worker->other++;
      continue;
    }
    switch (soup_message_get_status (msg)) {
    case SOUP_STATUS_CREATED:
      worker->created++;
      break;
    case SOUP_STATUS_OK:
      worker->ok++;
      break;
    case SOUP_STATUS_CONFLICT:
      worker->conflict++;
      break;
    default:
      worker->other++;
    }
  }

  g_clear_object (&session);
  g_main_context_pop_thread_default (context);

  /* Wake the main thread, which serves and waits for all of us. */
  g_atomic_int_inc (worker->finished);
  g_main_context_wakeup (NULL);
  return NULL;
}

static gboolean
room_for_some (JsonObject *deal)
{
  gint64 remaining = json_object_get_int_member (deal, "remaining");

  /* Fewer places than buyers, so that the stock is what stops them. */
  return remaining >= 20 && remaining < DISTINCT_BUYERS;
}

static void
test_concurrent_joins (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(JsonObject) deal = find_deal (fixture, "open", room_for_some);
  const char *id = json_object_get_string_member (deal, "id");
  gint64 joined = json_object_get_int_member (deal, "joined");
  gint64 remaining = json_object_get_int_member (deal, "remaining");
  gint64 stock = json_object_get_int_member (deal, "stock");
  Worker workers[THREADS] = { 0 };
  GThread *threads[THREADS];
  int finished = 0;
  guint created = 0, ok = 0, conflict = 0, other = 0;
  g_autoptr(JsonObject) after = NULL;

  for (guint i = 0; i < THREADS; i++) {
    workers[i] = (Worker) { fixture->cloud->url, id, i, 0, 0, 0, 0, &finished };
    threads[i] = g_thread_new ("crowd", run_worker, &workers[i]);
  }
  /* The server answers on this thread: keep it running until every worker
   * is done. */
  while (g_atomic_int_get (&finished) < THREADS)
    g_main_context_iteration (NULL, TRUE);
  for (guint i = 0; i < THREADS; i++)
    g_thread_join (threads[i]);

  for (guint i = 0; i < THREADS; i++) {
    created += workers[i].created;
    ok += workers[i].ok;
    conflict += workers[i].conflict;
    other += workers[i].other;
  }
  g_test_message ("201: %u, 200: %u, 409: %u, other: %u", created, ok, conflict, other);

  g_assert_cmpuint (created + ok + conflict + other, ==, THREADS * REQUESTS_PER_THREAD);
  g_assert_cmpuint (other, ==, 0);
  /* Every place was sold, once; nobody is counted twice. */
  g_assert_cmpint (created, ==, remaining);
  after = deal_now (fixture, id);
  g_assert_cmpint (json_object_get_int_member (after, "joined"), ==, stock);
  g_assert_cmpint (json_object_get_int_member (after, "joined"), ==, joined + created);
  g_assert_cmpuint (buyers_in_db (fixture, id), ==, stock);
  g_assert_cmpuint (yun_test_cloud_count (fixture->cloud, "groupbuy.db",
                                          "SELECT count (*) FROM deals WHERE joined !="
                                          " (SELECT count (*) FROM buyers WHERE deal = deals.id)"),
                    ==, 0);
}

static void
add_test (const char *name,
          void      (*test) (Fixture *, gconstpointer))
{
  g_autofree char *path = g_strconcat ("/yun/cloud/groupbuy-api/", name, NULL);

  g_test_add (path, Fixture, NULL, fixture_setup, test, fixture_teardown);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  add_test ("deals/open-count-down", test_open_deals_count_down);
  add_test ("deals/states", test_states);
  add_test ("join/idempotent", test_join_idempotent);
  add_test ("join/unlocks-at-threshold", test_unlocks_at_threshold);
  add_test ("join/sold-out", test_sold_out);
  add_test ("join/ended-refuses", test_ended_refuses);
  add_test ("join/bad-requests", test_bad_requests);
  add_test ("join/200-concurrent", test_concurrent_joins);

  return g_test_run ();
}
