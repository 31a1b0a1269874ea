// `apriora help json`. Sources: src/cli/run.ts, src/cli/output.ts, src/cli/context.ts, src/cli/main.ts,
// src/cli/bulk.ts, src/errors.ts, and the `code:` of every error raised under src/.
export default `JSON OUTPUT

For scripts, every command can print JSON. stdout then carries only JSON; warnings, prompts,
progress and --debug traces go to stderr, as they do for people. Fields are only ever added to
these documents, never renamed or removed.


--json, --output json

Exactly one JSON document on stdout, also on failure:

  {"ok": true, "data": {...}, "warnings": ["..."]}
  {"ok": false, "error": {"code": "...", "message": "...", "hint": "..." or null,
                          "details": {...} or null}, "warnings": [...]}

error.code is a stable machine-readable string (list below); message and hint are for people.
warnings holds what a person would have seen as "Warning:" lines. A command that found something
before failing carries both data and error: a bulk run with failed items, apriora status and
apriora tracker status.

  apriora tracker jobs list --state all --json | jq '.data.count'
  apriora interview list --job 3101 --json | jq -r '.data.interviews[0].interviewUrl'


--output table|json|ndjson  (-o)

  table   the default, for people: tables and sentences on stdout. Control characters in
          values (an escape sequence in a job title) are shown as symbols such as ␛ and never
          act on the terminal; a table cell is one line, cut with … after 120 characters.
          JSON keeps every value exact (JSON escapes control characters).
  json    the same as --json
  ndjson  one JSON object per line, as soon as it is ready, for long lists and bulk runs:
            tracker jobs list    one job per line
            interview list       one interview per line
            interview generate   one item per line, then a summary line
            activity push        one item per line, then a summary line
          Other commands print their --json document.

--json with --output table or ndjson is exit 2. There is no envelope around ndjson lines. A list
stream (tracker jobs list, interview list) that fails ends with one {"ok": false, "error": {...}}
line; a failure before the first line (not logged in, a bad flag) prints that document alone.

  apriora tracker jobs list --output ndjson | jq -r '.id'
  apriora activity push --since 24h --output ndjson | tail -n 1 | jq '.summary'

Two commands run until stopped and print as they go: apriora sandbox start --json prints one
document once it listens; apriora activity listen --json (or --output ndjson) prints one JSON
object per event (see "apriora help webhooks").


BULK RUNS: interview generate, activity push

With --json, data holds:
  items     one entry per input item, in input order
  summary   {"total", "created", "exists", "updated", "skipped", "failed", "duplicate", "durationMs"}
  dryRun    true for --dry-run
  interview generate: also modality, and template ({"id", "name"} or null)
  activity push:      also activityType, and source ("report", "job", "since" or "candidate")

An item of interview generate:
  {"jobId", "title", "positionId", "interviewUrl", "status", "error"?}
An item of activity push:
  {"reportId", "candidateEmail", "trackerCandidateId", "candidateCreated", "jobId", "subject",
   "status", "error"?, "duplicates"?}

With --output ndjson each item is one line, in the order the items finish, and the last line is
the summary, with an error member when the run did not succeed:

  $ apriora interview generate --job 3101 --job 9999 --output ndjson
  {"jobId":9999,"title":null,...,"status":"failed","error":{"code":"job_not_found",...}}
  {"jobId":3101,"title":"Registered Nurse - ICU","positionId":"pos_1",...,"status":"exists"}
  {"summary":{"total":2,...,"failed":1,...},"error":{"code":"partial_failure",...}}

The summary's error code is partial_failure (exit 3), interrupted (exit 130), or the code of the
failure that stopped the input (e.g. Tracker no longer answering while listing jobs).

Item statuses:
  created   interview generate: no interview was linked to the job, one was created.
            activity push: the report's activity was created (and the candidate, when Tracker
            had none with that e-mail: candidateCreated is true).
  exists    interview generate: an interview is linked to the job already; nothing written.
  updated   interview generate --update: its title and description were refreshed.
            activity push: the activity no longer said what the report says; rewritten.
  skipped   activity push: the activity already says what the report says; nothing written.
  failed    this item failed, with "error": {"code", "message"}; the other items go on.
  duplicate activity push: Tracker holds the report's activity (or, read back after creating
            it, the candidate's e-mail) twice, e.g. written by another machine at the same time.
            "duplicates" holds the ids ({"activityIds"} or {"candidateIds"}, oldest first) and
            "error" says what to do. Exit 3, as for failed.

In a dry run (--dry-run) nothing is written and each item has the status it would get; tables say
"would be created" and "would be updated". A job that would get an interview has no positionId
yet, and a candidate who would be created has no trackerCandidateId.


ERROR CODES

By exit code (see "apriora help exit-codes"):

  1    internal_error
  2    usage_error (flags and arguments), invalid_input (any other bad value), missing_value,
       empty_stdin, invalid_job_id, invalid_csv, unreadable_file, invalid_profile_name,
       invalid_profile, invalid_config, secret_in_config, corrupt_credentials_file,
       field_map_missing, field_map_invalid, field_map_ambiguous, unknown_field,
       wrong_association, duplicate_field, activity_type_missing, fields_missing,
       tracker_credentials_missing, unknown_template, apriora_invalid_input,
       apriora_report_filter_missing, listener_running, port_in_use, invalid_seed,
       credentials_in_url, insecure_credentials_file; the machine in the way: permission_denied,
       read_only_file_system, not_a_directory, is_a_directory, disk_full, too_many_open_files,
       io_error, address_not_available, host_not_found, invalid_port
  3    partial_failure
  4    not_logged_in, tracker_user_not_found, tracker_user_inactive, tracker_http_auth,
       apriora_unauthorized, apriora_forbidden, apriora_no_key, keychain_unavailable,
       keychain_locked, keychain_error
  5    not_found, server_error, rate_limited, timeout, network_error, unexpected_response,
       paging_stuck, remote_error, tracker_invalid_request, tracker_record_exists,
       tracker_unknown_status, tracker_http_error, apriora_http_error, conflict, tls_error; an
       Apriora answer that carries its own code (e.g. position_exists) keeps that code
  130  interrupted

Item errors (in items, and on the item lines of ndjson; the run exits 3): job_not_found,
report_not_found, candidate_not_found, candidate_email_missing, tracker_candidate_unresolved,
field_value_invalid, position_unresolved, write_lock_busy, internal_error, or any code above
from the call that failed; on a duplicate item: duplicate_activity, duplicate_candidate.

What activity listen answers to HTTP requests has codes of its own: see "apriora help webhooks".
`;
