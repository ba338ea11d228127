/* yun-replicator.c: one run of the CouchDB replication protocol.
 *
 * The steps follow the protocol's description (docs.couchdb.org,
 * "Replication Protocol"): find a common checkpoint, then batch by batch
 * read the source's changes, ask the target which revisions it lacks, fetch
 * those with their ancestry and write them with `new_edits=false`, and
 * record the batch's last sequence in `_local/<replication id>` on both
 * sides.  A run stopped anywhere resumes from the last recorded batch; a
 * batch written twice is harmless because `_revs_diff` leaves out what the
 * target has.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-replicator.h"
#include "yun-sync-endpoint-private.h"
#include "yun-revision.h"

struct _YunReplicator {
  GObject parent_instance;

  YunSyncEndpoint *source;
  YunSyncEndpoint *target;
  guint batch_size;
  gboolean create_target;
};

G_DEFINE_FINAL_TYPE (YunReplicator, yun_replicator, G_TYPE_OBJECT)

G_DEFINE_QUARK (yun-replicator-error-quark, yun_replicator_error)

G_DEFINE_BOXED_TYPE (YunReplicationStats, yun_replication_stats,
                     yun_replication_stats_copy, yun_replication_stats_free)

/* What one run carries from step to step. */
typedef struct {
  YunReplicator *self;
  YunSyncCall call;
  YunReplicationStats *stats;
  char *checkpoint_id;
  char *source_rev;      /* the current _rev of each side's checkpoint */
  char *target_rev;
  JsonArray *history;    /* the sessions before this one, newest first */
  JsonNode *start_seq;   /* NULL: from the start */
  char *start_time;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->stats, yun_replication_stats_free);
  g_clear_pointer (&run->checkpoint_id, g_free);
  g_clear_pointer (&run->source_rev, g_free);
  g_clear_pointer (&run->target_rev, g_free);
  g_clear_pointer (&run->history, json_array_unref);
  g_clear_pointer (&run->start_seq, json_node_unref);
  g_clear_pointer (&run->start_time, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

/**
 * yun_replication_stats_copy:
 * @stats: a #YunReplicationStats
 *
 * Returns: (transfer full): a copy of @stats
 */
YunReplicationStats *
yun_replication_stats_copy (const YunReplicationStats *stats)
{
  YunReplicationStats *copy;

  g_return_val_if_fail (stats != NULL, NULL);

  copy = g_memdup2 (stats, sizeof *stats);
  copy->replication_id = g_strdup (stats->replication_id);
  copy->session_id = g_strdup (stats->session_id);
  copy->start_seq = g_strdup (stats->start_seq);
  copy->last_seq = g_strdup (stats->last_seq);
  return copy;
}

/**
 * yun_replication_stats_free:
 * @stats: (nullable): a #YunReplicationStats
 *
 * Frees @stats.
 */
void
yun_replication_stats_free (YunReplicationStats *stats)
{
  if (stats == NULL)
    return;
  g_free (stats->replication_id);
  g_free (stats->session_id);
  g_free (stats->start_seq);
  g_free (stats->last_seq);
  g_free (stats);
}

static void
yun_replicator_finalize (GObject *object)
{
  YunReplicator *self = YUN_REPLICATOR (object);

  g_clear_object (&self->source);
  g_clear_object (&self->target);

  G_OBJECT_CLASS (yun_replicator_parent_class)->finalize (object);
}

static void
yun_replicator_class_init (YunReplicatorClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = yun_replicator_finalize;
}

static void
yun_replicator_init (YunReplicator *self)
{
  self->batch_size = YUN_REPLICATOR_DEFAULT_BATCH_SIZE;
}

/**
 * yun_replicator_new:
 * @source: where to read
 * @target: where to write
 *
 * Returns: (transfer full): a replicator from @source to @target
 */
YunReplicator *
yun_replicator_new (YunSyncEndpoint *source,
                    YunSyncEndpoint *target)
{
  YunReplicator *self;

  g_return_val_if_fail (YUN_IS_SYNC_ENDPOINT (source), NULL);
  g_return_val_if_fail (YUN_IS_SYNC_ENDPOINT (target), NULL);

  self = g_object_new (YUN_TYPE_REPLICATOR, NULL);
  self->source = g_object_ref (source);
  self->target = g_object_ref (target);
  return self;
}

/**
 * yun_replicator_set_batch_size:
 * @self: a #YunReplicator
 * @batch_size: changes per batch, at least 1
 *
 * Sets how many changes each batch reads, and so how often a checkpoint
 * is written.  Not while a run is going on.
 */
void
yun_replicator_set_batch_size (YunReplicator *self,
                               guint          batch_size)
{
  g_return_if_fail (YUN_IS_REPLICATOR (self));
  g_return_if_fail (batch_size > 0);

  self->batch_size = batch_size;
}

/**
 * yun_replicator_set_create_target:
 * @self: a #YunReplicator
 * @create_target: whether to create the target database when missing
 *
 * Not while a run is going on.
 */
void
yun_replicator_set_create_target (YunReplicator *self,
                                  gboolean       create_target)
{
  g_return_if_fail (YUN_IS_REPLICATOR (self));

  self->create_target = create_target;
}

/**
 * yun_replicator_get_source:
 * @self: a #YunReplicator
 *
 * Returns: (transfer none): the source
 */
YunSyncEndpoint *
yun_replicator_get_source (YunReplicator *self)
{
  g_return_val_if_fail (YUN_IS_REPLICATOR (self), NULL);

  return self->source;
}

/**
 * yun_replicator_get_target:
 * @self: a #YunReplicator
 *
 * Returns: (transfer none): the target
 */
YunSyncEndpoint *
yun_replicator_get_target (YunReplicator *self)
{
  g_return_val_if_fail (YUN_IS_REPLICATOR (self), NULL);

  return self->target;
}

static char *
seq_text (JsonNode *seq)
{
  return seq != NULL ? json_to_string (seq, FALSE) : g_strdup ("0");
}

static char *
now_text (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format_iso8601 (now);
}

static gboolean
history_has_session (JsonArray  *history,
                     const char *session_id)
{
  for (guint i = 0; history != NULL && i < json_array_get_length (history); i++) {
    JsonNode *entry = json_array_get_element (history, i);

    if (JSON_NODE_HOLDS_OBJECT (entry) &&
        g_strcmp0 (json_object_get_string_member_with_default (json_node_get_object (entry),
                                                               "session_id", NULL),
                   session_id) == 0)
      return TRUE;
  }
  return FALSE;
}

static JsonNode *
non_null_member (JsonObject *object,
                 const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && !JSON_NODE_HOLDS_NULL (node) ? json_node_copy (node) : NULL;
}

/* The protocol's "compare replication logs": the same session on both
 * sides gives the source's last sequence; otherwise the newest session of
 * the source's history that the target's history knows too. */
static void
find_start (Run        *run,
            JsonObject *source_log,
            JsonObject *target_log)
{
  JsonArray *source_history = yun_sync_array_member (source_log, "history");
  JsonArray *target_history = yun_sync_array_member (target_log, "history");
  const char *source_session;

  run->history = json_array_new ();
  if (source_log == NULL || target_log == NULL)
    return;

  source_session = json_object_get_string_member_with_default (source_log, "session_id", NULL);
  if (source_session != NULL &&
      g_strcmp0 (source_session,
                 json_object_get_string_member_with_default (target_log, "session_id", NULL))
      == 0) {
    run->start_seq = non_null_member (source_log, "source_last_seq");
    for (guint i = 0; source_history != NULL && i < json_array_get_length (source_history); i++)
      json_array_add_element (run->history,
                              json_node_copy (json_array_get_element (source_history, i)));
    return;
  }

  for (guint i = 0; source_history != NULL && i < json_array_get_length (source_history); i++) {
    JsonNode *entry = json_array_get_element (source_history, i);
    const char *session;

    if (!JSON_NODE_HOLDS_OBJECT (entry))
      continue;
    session = json_object_get_string_member_with_default (json_node_get_object (entry),
                                                          "session_id", NULL);
    if (session == NULL || !history_has_session (target_history, session))
      continue;
    run->start_seq = non_null_member (json_node_get_object (entry), "recorded_seq");
    for (guint j = i; j < json_array_get_length (source_history); j++)
      json_array_add_element (run->history,
                              json_node_copy (json_array_get_element (source_history, j)));
    return;
  }
}

static JsonObject *
build_checkpoint (Run        *run,
                  JsonNode   *last_seq,
                  const char *rev)
{
  YunReplicationStats *stats = run->stats;
  g_autoptr(JsonObject) doc = json_object_new ();
  g_autoptr(JsonObject) entry = json_object_new ();
  g_autoptr(JsonArray) history = json_array_new ();
  g_autofree char *end_time = now_text ();

  json_object_set_string_member (entry, "session_id", stats->session_id);
  json_object_set_string_member (entry, "start_time", run->start_time);
  json_object_set_string_member (entry, "end_time", end_time);
  json_object_set_member (entry, "start_last_seq",
                          run->start_seq != NULL ? json_node_copy (run->start_seq)
                                                 : json_node_init_int (json_node_alloc (), 0));
  json_object_set_member (entry, "end_last_seq", json_node_copy (last_seq));
  json_object_set_member (entry, "recorded_seq", json_node_copy (last_seq));
  json_object_set_int_member (entry, "missing_checked", stats->missing_checked);
  json_object_set_int_member (entry, "missing_found", stats->missing_found);
  json_object_set_int_member (entry, "docs_read", stats->docs_read);
  json_object_set_int_member (entry, "docs_written", stats->docs_written);
  json_object_set_int_member (entry, "doc_write_failures", stats->doc_write_failures);
  json_array_add_object_element (history, g_steal_pointer (&entry));
  for (guint i = 0; i < json_array_get_length (run->history) &&
                    json_array_get_length (history) < YUN_REPLICATOR_MAX_HISTORY; i++)
    json_array_add_element (history, json_node_copy (json_array_get_element (run->history, i)));

  json_object_set_string_member (doc, "_id", run->checkpoint_id);
  if (rev != NULL)
    json_object_set_string_member (doc, "_rev", rev);
  json_object_set_string_member (doc, "session_id", stats->session_id);
  json_object_set_member (doc, "source_last_seq", json_node_copy (last_seq));
  json_object_set_int_member (doc, "replication_id_version", 3);
  json_object_set_string_member (doc, "replicator", "yun");
  json_object_set_array_member (doc, "history", g_steal_pointer (&history));
  return g_steal_pointer (&doc);
}

static gboolean
is_conflict (const GError *error)
{
  return g_error_matches (error, YUN_REPLICATOR_ERROR, YUN_REPLICATOR_ERROR_CONFLICT) ||
         g_error_matches (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_CONFLICT);
}

/* Writes the checkpoint on one side; when someone else wrote it since we
 * read it, reads its new _rev and writes once more. */
static gboolean
write_checkpoint (Run              *run,
                  YunSyncEndpoint  *side,
                  char            **rev,
                  JsonNode         *last_seq,
                  GError          **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonObject) doc = build_checkpoint (run, last_seq, *rev);
  g_autoptr(JsonObject) current = NULL;
  char *new_rev;

  new_rev = yun_sync_endpoint_put_local (side, doc, &run->call, &local_error);
  if (new_rev == NULL && is_conflict (local_error)) {
    g_clear_error (&local_error);
    current = yun_sync_endpoint_get_local (side, run->checkpoint_id, &run->call, &local_error);
    if (local_error == NULL) {
      g_clear_pointer (&doc, json_object_unref);
      doc = build_checkpoint (run, last_seq,
                              current != NULL
                                ? json_object_get_string_member_with_default (current, "_rev",
                                                                              NULL)
                                : NULL);
      new_rev = yun_sync_endpoint_put_local (side, doc, &run->call, &local_error);
    }
  }
  if (new_rev == NULL && yun_sync_endpoint_is_remote (side)) {
    g_propagate_error (error, g_steal_pointer (&local_error));
    return FALSE;
  }
  if (new_rev == NULL) {
    g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                "writing the checkpoint on the %s: ",
                                yun_sync_endpoint_get_description (side));
    return FALSE;
  }
  g_free (*rev);
  *rev = new_rev;
  return TRUE;
}

static gboolean
checkpoint (Run       *run,
            JsonNode  *last_seq,
            GError   **error)
{
  if (!write_checkpoint (run, run->self->source, &run->source_rev, last_seq, error) ||
      !write_checkpoint (run, run->self->target, &run->target_rev, last_seq, error))
    return FALSE;
  g_free (run->stats->last_seq);
  run->stats->last_seq = seq_text (last_seq);
  return TRUE;
}

static char *
dup_rev (JsonObject *doc)
{
  return doc != NULL ? g_strdup (json_object_get_string_member_with_default (doc, "_rev", NULL))
                     : NULL;
}

/* A stable hash of both sides' names: the id of their checkpoints. */
static char *
compute_replication_id (YunReplicator  *self,
                        YunSyncCall    *call,
                        GError        **error)
{
  g_autofree char *source_name = NULL;
  g_autofree char *target_name = NULL;
  g_autofree char *key = NULL;

  source_name = yun_sync_endpoint_dup_identity (self->source, call, error);
  if (source_name == NULL)
    return NULL;
  target_name = yun_sync_endpoint_dup_identity (self->target, call, error);
  if (target_name == NULL)
    return NULL;
  key = g_strconcat ("yun-replication-1\n", source_name, "\n", target_name, NULL);
  return g_compute_checksum_for_string (G_CHECKSUM_MD5, key, -1);
}

/**
 * yun_replicator_dup_replication_id:
 * @self: a #YunReplicator
 * @error: return location for an error
 *
 * Names the replication without running it, so that a caller can read a
 * local side's checkpoint, `_local/<id>`, while offline.  It does not
 * touch the network; for a local side it reads (or, the first time,
 * writes) the database's unique id, so call it from a worker thread.
 *
 * Returns: (transfer full): the replication id, or %NULL with @error set
 */
char *
yun_replicator_dup_replication_id (YunReplicator  *self,
                                   GError        **error)
{
  YunSyncCall call = { 0 };

  g_return_val_if_fail (YUN_IS_REPLICATOR (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return compute_replication_id (self, &call, error);
}

/* Opens both sides, names the replication and finds where to start. */
static gboolean
prepare (Run     *run,
         GError **error)
{
  YunReplicator *self = run->self;
  g_autoptr(JsonObject) source_log = NULL;
  g_autoptr(JsonObject) target_log = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!yun_sync_endpoint_open_db (self->source, FALSE, &run->call, error) ||
      !yun_sync_endpoint_open_db (self->target, self->create_target, &run->call, error))
    return FALSE;

  run->stats->replication_id = compute_replication_id (self, &run->call, error);
  if (run->stats->replication_id == NULL)
    return FALSE;
  run->checkpoint_id = g_strconcat ("_local/", run->stats->replication_id, NULL);

  source_log = yun_sync_endpoint_get_local (self->source, run->checkpoint_id, &run->call,
                                            &local_error);
  if (local_error == NULL)
    target_log = yun_sync_endpoint_get_local (self->target, run->checkpoint_id, &run->call,
                                              &local_error);
  if (local_error != NULL) {
    g_propagate_error (error, g_steal_pointer (&local_error));
    return FALSE;
  }
  run->source_rev = dup_rev (source_log);
  run->target_rev = dup_rev (target_log);
  find_start (run, source_log, target_log);
  run->stats->start_seq = seq_text (run->start_seq);
  run->stats->last_seq = seq_text (run->start_seq);
  return TRUE;
}

/* The highest generation in @doc's ancestry among @present, revisions
 * the target holds: every attachment unchanged since then is there. */
static guint
common_ancestor_pos (JsonObject *doc,
                     JsonArray  *present)
{
  JsonObject *revisions = yun_sync_object_member (doc, "_revisions");
  JsonArray *ids = yun_sync_array_member (revisions, "ids");
  gint64 start;
  guint best = 0;

  if (ids == NULL || present == NULL)
    return 0;
  start = json_object_get_int_member_with_default (revisions, "start", 0);

  for (guint i = 0; i < json_array_get_length (present); i++) {
    const char *rev = json_array_get_string_element (present, i);
    const char *hash;
    guint pos;

    if (rev == NULL || !yun_revision_parse (rev, &pos, &hash) || pos > start ||
        start - pos >= json_array_get_length (ids))
      continue;
    if (g_strcmp0 (json_array_get_string_element (ids, start - pos), hash) == 0)
      best = MAX (best, pos);
  }
  return best;
}

/* The oldest revpos among @doc's attachments, or 0 without any. */
static guint
oldest_attachment (JsonObject *doc)
{
  JsonObject *atts = yun_sync_object_member (doc, "_attachments");
  JsonObjectIter iter;
  const char *name;
  JsonNode *att;
  guint oldest = 0;

  if (atts == NULL)
    return 0;
  json_object_iter_init (&iter, atts);
  while (json_object_iter_next (&iter, &name, &att)) {
    guint revpos = json_object_get_int_member_with_default (json_node_get_object (att),
                                                            "revpos", 0);

    if (revpos > 0 && (oldest == 0 || revpos < oldest))
      oldest = revpos;
  }
  return oldest;
}

/* Which of their ancestors the target holds, for revisions of a local
 * source whose attachments are older than themselves.  A target that
 * gives `possible_ancestors` (CouchDB) has said so already; for one that
 * does not (PouchDB), one more `_revs_diff` asks about the recent
 * ancestors.  Returns {id: [rev the target holds]}, or NULL with @error. */
static JsonObject *
find_present_ancestors (Run         *run,
                        JsonObject  *diff,
                        JsonArray   *docs,
                        GError     **error)
{
  g_autoptr(JsonObject) present = json_object_new ();
  g_autoptr(JsonObject) probe = json_object_new ();
  g_autoptr(JsonObject) answer = NULL;
  JsonObjectIter iter;
  const char *id;
  JsonNode *node;

  for (guint i = 0; i < json_array_get_length (docs); i++) {
    JsonObject *doc = json_array_get_object_element (docs, i);
    JsonObject *revisions = yun_sync_object_member (doc, "_revisions");
    JsonArray *ids = yun_sync_array_member (revisions, "ids");
    JsonArray *ancestors;
    JsonArray *list;
    guint oldest = oldest_attachment (doc);
    gint64 start;

    id = json_object_get_string_member (doc, "_id");
    ancestors = yun_sync_array_member (yun_sync_object_member (diff, id), "possible_ancestors");
    if (ancestors != NULL && !json_object_has_member (present, id))
      json_object_set_array_member (present, id, json_array_ref (ancestors));
    start = json_object_get_int_member_with_default (revisions, "start", 0);
    if (ancestors != NULL || ids == NULL || oldest == 0 || oldest >= start)
      continue;

    list = yun_sync_array_member (probe, id);
    if (list == NULL) {
      list = json_array_new ();
      json_object_set_array_member (probe, id, list);
    }
    /* The twenty most recent ancestors at most. */
    for (guint j = 1; j < json_array_get_length (ids) && j <= 20 && start - j >= oldest; j++) {
      g_autofree char *rev = g_strdup_printf ("%" G_GINT64_FORMAT "-%s", start - j,
                                              json_array_get_string_element (ids, j));

      json_array_add_string_element (list, rev);
    }
  }

  if (json_object_get_size (probe) == 0)
    return g_steal_pointer (&present);

  answer = yun_sync_endpoint_revs_diff (run->self->target, probe, &run->call, error);
  if (answer == NULL)
    return NULL;
  json_object_iter_init (&iter, probe);
  while (json_object_iter_next (&iter, &id, &node)) {
    JsonArray *asked = json_node_get_array (node);
    JsonArray *missing = yun_sync_array_member (yun_sync_object_member (answer, id), "missing");
    JsonArray *list = yun_sync_array_member (present, id);

    if (list == NULL) {
      list = json_array_new ();
      json_object_set_array_member (present, id, list);
    }
    for (guint i = 0; i < json_array_get_length (asked); i++) {
      const char *rev = json_array_get_string_element (asked, i);
      gboolean is_missing = FALSE;

      for (guint j = 0; missing != NULL && j < json_array_get_length (missing); j++)
        is_missing = is_missing || g_strcmp0 (json_array_get_string_element (missing, j), rev) == 0;
      if (!is_missing)
        json_array_add_string_element (list, rev);
    }
  }
  return g_steal_pointer (&present);
}

/* Gives the revisions of a local source their attachments' data, except
 * what the target holds already. */
static gboolean
attach_data (Run         *run,
             JsonObject  *diff,
             JsonArray   *docs,
             GError     **error)
{
  g_autoptr(JsonObject) present = NULL;

  if (yun_sync_endpoint_is_remote (run->self->source))
    return TRUE;
  present = find_present_ancestors (run, diff, docs, error);
  if (present == NULL)
    return FALSE;
  for (guint i = 0; i < json_array_get_length (docs); i++) {
    JsonObject *doc = json_array_get_object_element (docs, i);
    JsonArray *list = yun_sync_array_member (present, json_object_get_string_member (doc, "_id"));

    if (!yun_sync_endpoint_inline_attachments (run->self->source, doc,
                                               common_ancestor_pos (doc, list), error))
      return FALSE;
  }
  return TRUE;
}

/* One batch: returns how many changes it read, or -1 with @error set. */
static gssize
replicate_batch (Run        *run,
                 JsonNode   *since,
                 JsonNode  **last_seq,
                 GError    **error)
{
  YunReplicator *self = run->self;
  YunReplicationStats *stats = run->stats;
  g_autoptr(JsonObject) feed = NULL;
  g_autoptr(JsonObject) revs = json_object_new ();
  g_autoptr(JsonObject) diff = NULL;
  JsonArray *results;
  guint n_results;

  feed = yun_sync_endpoint_changes (self->source, since, self->batch_size, &run->call, error);
  if (feed == NULL)
    return -1;
  stats->n_batches++;
  results = json_object_get_array_member (feed, "results");
  n_results = json_array_get_length (results);
  *last_seq = json_node_copy (json_object_get_member (feed, "last_seq"));
  if (n_results == 0)
    return 0;

  for (guint i = 0; i < n_results; i++) {
    JsonObject *row = json_array_get_object_element (results, i);
    const char *id = json_object_get_string_member (row, "id");
    JsonArray *changes = json_object_get_array_member (row, "changes");
    JsonArray *list = yun_sync_array_member (revs, id);

    if (list == NULL) {
      list = json_array_new ();
      json_object_set_array_member (revs, id, list);
    }
    for (guint j = 0; j < json_array_get_length (changes); j++) {
      json_array_add_string_element (
        list, json_object_get_string_member (json_array_get_object_element (changes, j), "rev"));
      stats->missing_checked++;
    }
  }

  diff = yun_sync_endpoint_revs_diff (self->target, revs, &run->call, error);
  if (diff == NULL)
    return -1;

  if (json_object_get_size (diff) > 0) {
    g_autoptr(JsonArray) docs = NULL;
    JsonObjectIter iter;
    const char *id;
    JsonNode *entry;
    guint n_failed = 0;

    json_object_iter_init (&iter, diff);
    while (json_object_iter_next (&iter, &id, &entry))
      stats->missing_found +=
        json_array_get_length (json_object_get_array_member (json_node_get_object (entry),
                                                             "missing"));

    docs = yun_sync_endpoint_fetch (self->source, diff, &run->call, error);
    if (docs == NULL || !attach_data (run, diff, docs, error))
      return -1;
    stats->docs_read += json_array_get_length (docs);
    if (json_array_get_length (docs) > 0) {
      if (!yun_sync_endpoint_write (self->target, docs, &n_failed, &run->call, error))
        return -1;
      stats->docs_written += json_array_get_length (docs) - n_failed;
      stats->doc_write_failures += n_failed;
    }
  }

  if (!checkpoint (run, *last_seq, error))
    return -1;
  return n_results;
}

/**
 * yun_replicator_run:
 * @self: a #YunReplicator
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #YunReplicatorError, a #YunDocStoreError
 *   or %G_IO_ERROR_CANCELLED
 *
 * Replicates once, blocking until done: call it from a worker thread, or
 * use yun_replicator_run_async().
 *
 * Returns: (transfer full): what the run did, or %NULL with @error set;
 *   the batches checkpointed before the failure stay written
 */
YunReplicationStats *
yun_replicator_run (YunReplicator  *self,
                    GCancellable   *cancellable,
                    GError        **error)
{
  g_auto(Run) run = { 0 };
  g_autoptr(JsonNode) since = NULL;

  g_return_val_if_fail (YUN_IS_REPLICATOR (self), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  run.self = self;
  run.call.cancellable = cancellable;
  run.stats = g_new0 (YunReplicationStats, 1);
  run.stats->session_id = g_uuid_string_random ();
  run.start_time = now_text ();

  if (!prepare (&run, error))
    goto failed;

  since = run.start_seq != NULL ? json_node_copy (run.start_seq) : NULL;
  for (;;) {
    g_autoptr(JsonNode) last_seq = NULL;
    gssize n;

    if (g_cancellable_set_error_if_cancelled (cancellable, error))
      goto failed;
    n = replicate_batch (&run, since, &last_seq, error);
    if (n < 0)
      goto failed;
    if ((gsize) n < self->batch_size)
      break;
    if (since != NULL && json_node_equal (since, last_seq)) {
      g_set_error (error, YUN_REPLICATOR_ERROR, YUN_REPLICATOR_ERROR_PROTOCOL,
                   "%s: _changes: a full batch did not move last_seq past %s",
                   yun_sync_endpoint_get_description (self->source), run.stats->last_seq);
      goto failed;
    }
    g_clear_pointer (&since, json_node_unref);
    since = g_steal_pointer (&last_seq);
  }

  run.stats->bytes_sent = run.call.bytes_sent;
  run.stats->bytes_received = run.call.bytes_received;
  return g_steal_pointer (&run.stats);

failed:
  /* A run that failed while preparing has no sequence yet. */
  g_debug ("replication %s → %s stopped after %s",
           yun_sync_endpoint_get_description (self->source),
           yun_sync_endpoint_get_description (self->target),
           run.stats->last_seq != NULL ? run.stats->last_seq : "nothing");
  return NULL;
}

static void
run_in_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  GError *error = NULL;
  YunReplicationStats *stats = yun_replicator_run (source_object, cancellable, &error);

  if (stats == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, stats, (GDestroyNotify) yun_replication_stats_free);
}

/**
 * yun_replicator_run_async:
 * @self: a #YunReplicator
 * @cancellable: (nullable): a #GCancellable
 * @callback: called in the thread-default main context when done
 * @user_data: data for @callback
 *
 * Replicates once in a worker thread.
 */
void
yun_replicator_run_async (YunReplicator       *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (YUN_IS_REPLICATOR (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, yun_replicator_run_async);
  g_task_run_in_thread (task, run_in_thread);
}

/**
 * yun_replicator_run_finish:
 * @self: a #YunReplicator
 * @result: the #GAsyncResult
 * @error: return location for an error, as for yun_replicator_run()
 *
 * Returns: (transfer full): what the run did, or %NULL with @error set
 */
YunReplicationStats *
yun_replicator_run_finish (YunReplicator  *self,
                           GAsyncResult   *result,
                           GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == yun_replicator_run_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
