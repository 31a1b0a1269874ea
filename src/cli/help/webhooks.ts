// `apriora help webhooks`. Sources: src/commands/activity/listen.ts, src/cli/listen-output.ts, src/webhooks/ (server.ts,
// connections.ts, receiver.ts, queue.ts, journal.ts, lock.ts, listener.ts), src/apriora/partner.ts (signature).
export default String.raw`RECEIVING APRIORA'S WEBHOOKS

"apriora activity listen" is a small HTTP server for the webhook URL set in Apriora's web app. It
pushes each session.completed into Tracker as it arrives, exactly as
"apriora activity push --report <reportId>" would (see "apriora help results"), and runs until
Ctrl-C or SIGTERM. It needs apriora tracker login, apriora tracker fields map and apriora login.

  printf '%s\n' "$WEBHOOK_SECRET" | apriora activity listen --profile acme --secret-stdin
  APRIORA_WEBHOOK_SECRET=... apriora activity listen --port 8787 --json

  --port N              default 8787; 0 picks a free port
  --host HOST           default 127.0.0.1
  --path PATH           starting with "/"; default /webhooks/apriora
  --secret-stdin        read the signing secret from stdin (first line)
  --insecure-no-verify  accept unsigned deliveries, with a warning: local tests only, never on
                        a port anyone else can reach
  --concurrency N       deliveries pushed at once, 1-32 (default 4)
  --max-pending N       deliveries waiting to be pushed before more are answered 503, 1-100000
                        (default: see PUSHES AND DUPLICATES)

Apriora must be able to reach it: put it behind an HTTPS reverse proxy or a tunnel, and set that
public URL (ending in --path) as the webhook URL in Apriora's web app.


THE SIGNATURE

Apriora POSTs {"event": ..., "data": {"candidateId", "candidateEmail", "reportId", "positionId",
"time"}} with the header

  Apriora-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>

The HMAC covers the timestamp exactly as sent, a dot, and the raw body bytes. A header may carry
several v1 entries; one match is enough. The signature is checked before the body is parsed. This
scheme is an assumption of this tool until Apriora documents one (see "apriora help api"); it
lives in one place, src/apriora/partner.ts.

The secret, first hit wins: --secret-stdin, APRIORA_WEBHOOK_SECRET, the profile's store (account
<profile>/apriora.webhookSecret, which no command writes). None of them: exit 2 missing_value.
It is the secret shared with Apriora for that webhook.

To send a signed delivery by hand:

  body='{"event":"session.completed","data":{"candidateId":"cand_3",
    "candidateEmail":"alan.turing@example.com","reportId":"rep_3","positionId":"pos_3",
    "time":1795892000}}'
  t=$(date +%s)
  sig=$(printf '%s.%s' "$t" "$body" | openssl dgst -sha256 -hmac "$APRIORA_WEBHOOK_SECRET" \
    | sed 's/^.* //')
  curl -s http://127.0.0.1:8787/webhooks/apriora -H "Apriora-Signature: t=$t,v1=$sig" \
    -H 'Content-Type: application/json' -d "$body"

"apriora sandbox complete --webhook-url URL" makes the sandbox deliver a signed session.completed
as Apriora would (see "apriora help sandbox").


WHAT EACH REQUEST GETS

  404  another path than --path                                 not_found
  405  not a POST                                               method_not_allowed
  413  a body over 256 KiB (declared or sent): the rest is      payload_too_large
       discarded and the connection closed
  401  the signature is missing, malformed, does not match      missing, malformed,
       the raw body, or its timestamp is more than 300 s from   mismatch, stale
       now (a replayed old delivery)
  400  the body is not JSON, or not an Apriora webhook          invalid_json, invalid_payload
  200  {"ok": true, "ignored": true}: a verified event other than session.completed
       (session.started, session.paused, session.ended, or an event newer than this version)
  202  {"ok": true, "id": "dlv_..."}: a verified session.completed, written to the journal
       first, then queued for its push
  200  {"ok": true, "duplicate": true}: a report already received and not failed (waiting,
       being pushed, or pushed): pushed once
  503  with Retry-After: 30: the pending cap reached (busy; see PUSHES AND DUPLICATES), the
       listener is shutting down (shutting_down), or the journal cannot be written (journal_error)
  503  with Retry-After: 10: too many connections (too_many_connections), see below

Errors are {"ok": false, "error": {"code", "message"}}. A refused request writes nothing, to the
journal or to Tracker.


CONNECTIONS

The listener keeps at most 256 connections open from one client address (behind a reverse proxy
or a tunnel, that is the proxy's) and 512 in all. A request gets 5 s for its headers and 10 s in
all (408 after that); an idle keep-alive connection is closed after 5 s.

Apriora sends a delivery at once, so a connection still waiting for its headers or its body is a
slow one. When a new connection arrives at a limit, the connection that has waited longest for a
complete request is closed to make room (answered 503 too_many_connections with Retry-After: 10);
a connection whose request is complete (being checked, journaled and answered) never is. When
every connection is busy with a complete request, the new one gets that 503 instead: a client
that has sent its whole request is answered, not reset. The first time connections are closed
this way, and then at most once a minute, the log has a warning with their number.


THE JOURNAL

Every accepted delivery is appended to <data dir>/<profile>/webhooks.jsonl (directory 0700, file
0600; data dir: APRIORA_DATA_DIR, $XDG_DATA_HOME/apriora or ~/.local/share/apriora) and flushed to
disk before the 202 goes out; it is marked done once its push has finished. At start the listener
reads the journal, pushes again every delivery that was acknowledged but not done ("replaying":
the process was killed, the machine rebooted), and rewrites the file with only those, so the file
holds little more than the work still to do. A torn last line (a crash in the middle of a write,
before that delivery was acknowledged) is dropped with a warning.

A lock file, webhooks.jsonl.lock, allows one listener per profile and data dir: a second one is
exit 2 listener_running (a lock left by a dead process is taken over). A port in use is exit 2
port_in_use.


PUSHES AND DUPLICATES

Up to --concurrency pushes at once. A transient failure (Tracker or Apriora down, a timeout, a
429) is tried again, 4 attempts in all, after waits of up to 1, 2 and 4 s; a delivery still failing
transiently after that stays pending in the journal and is pushed again at the next start (its
log line says so). Any other failure is final and logged as failed: the delivery was answered
202, so Apriora has no reason to send it again. Push that report again once the cause is fixed,
with apriora activity push --report <reportId>, or a daily apriora activity push --since 24h.

Deliveries wait to be pushed up to a cap sized to what Tracker's rate limit drains in about 10
minutes: the profile's tracker.rateLimitPerMinute (90 unless set) / ~1.3 Tracker requests a
delivery x 10, never fewer than 100 nor more than 10,000 (692 at 90 a minute); --max-pending N
sets it. Beyond it a delivery is answered 503 busy with Retry-After and Apriora sends it again
later, instead of waiting longer than that in the queue. The listening line states the cap and
the drain time it stands for. The webhook's candidateId, candidateEmail and positionId are kept
in the journal as hints for the push; the report read from Apriora decides. The e-mail of a
signed delivery whose candidateId is the report's spares reading the Apriora candidate; any
other hint (another candidate, or --insecure-no-verify) is not used. Each position is read once
and kept for 10 minutes (read again after a failed push).

A later delivery of a failed report is accepted and pushed again. Duplicates are recognised among
the deliveries of the running listener and those finished in the run before; an older report
delivered again is pushed again, and found by its marker (skipped). The listener and activity
push runs of the same profile may run at the same time on one machine: they never push one report
at once (write locks: see "apriora help results", NEVER TWICE).


STOPPING

Ctrl-C or SIGTERM: new connections are refused and requests still arriving on open ones get 503;
the deliveries already acknowledged are pushed (retries included); the journal is closed; the
summary is printed; exit 0. A second Ctrl-C (exit 130) or SIGTERM (exit 143) quits at once, and
the journal keeps what was not pushed for the next start. With many deliveries pending, finishing
them takes as long as the rate limit needs (up to the drain time of the start line); a service
manager that kills the listener sooner (systemd's TimeoutStopSec, Kubernetes'
terminationGracePeriodSeconds) loses nothing: the next start pushes the rest.


THE LOG

One line per request answered and per push finished: on stderr as a table (time, event, report,
status, detail) for people; with --json or --output ndjson as JSON lines on stdout:

  {"time", "warning"}            a journal warning (a torn line at start, a done mark that could
                                 not be written), or connections closed at a limit (CONNECTIONS)
  {"time", "event", "reportId", "status": "replaying", "id", "detail"}
                                 a delivery left by the previous run, pushed again (these come
                                 before the listening line)
  {"listening": "<url>", "maxPending", "drainMinutes", "trackerRequestsPerMinute"}
                                 the port is open; the pending cap and the minutes it stands
                                 for at that many Tracker requests a minute
  {"time", "event", "reportId", "status", "http", "id"?, "detail"?}
                                 a request answered: accepted, duplicate, ignored, rejected,
                                 busy, unavailable, error
  {"time", "event", "reportId", "status": "retrying", "id", "attempt", "detail"}
                                 a push failed transiently and will be tried again
  {"time", "event", "reportId", "status", "id", "attempt", "detail", "candidateEmail",
   "trackerCandidateId", "candidateCreated", "jobId", "subject", "error"?}
                                 a push finished: created, updated, skipped, failed or
                                 duplicate (with "duplicates": see "apriora help results")
  {"time", "stopping": "SIGINT" or "SIGTERM", "pending"}
  {"time", "stopped": true, "summary": {"received", "accepted", "duplicates", "ignored",
   "rejected", "busy", "replayed", "created", "updated", "skipped", "failed",
   "duplicateRecords"}}
`;
